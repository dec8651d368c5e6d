using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// Predictions as one [I,J*16] matrix per image ([B,I,J*16]). A product with one vector per parent takes all
/// parents' vectors at once, placed in a block-diagonal matrix, and keeps the diagonal blocks of the result.
/// </summary>
internal sealed class PredictionsByImage(Tensor values, long parents) : Predictions(values, parents)
{
    public override Tensor Agreement(Tensor v)
    {
        using var scope = NewDisposeScope();
        Tensor agreement = Blocks(v).bmm(Values.transpose(1, 2));  // [B,J,J*16] @ [B,J*16,I] -> [B,J,I]
        return agreement.Widened().MoveToOuterDisposeScope();
    }

    public override Tensor WeightedSum(Tensor c)
    {
        using var scope = NewDisposeScope();
        Tensor all = c.to_type(Values.dtype).bmm(Values);  // [B,J,I] @ [B,I,J*16] -> [B,J,J*16], parent j's sum in block j
        Tensor sums = all.view(all.shape[0], Parents, Parents, -1).diagonal(0, 1, 2).transpose(1, 2);  // [B,J,16]
        return sums.Widened().MoveToOuterDisposeScope();
    }

    protected override Tensor InputMajorGradient(IReadOnlyList<Tensor> left, IReadOnlyList<Tensor> right)
    {
        using var scope = NewDisposeScope();
        // [B,I,T*J] @ [B,T*J,J*16]: row (t, j) of the right-hand side holds right_t[b,j,:] in block j.
        Tensor coefficients = cat([.. left.Select(l => l.to_type(Values.dtype))], 1).transpose(1, 2);
        Tensor gradient = coefficients.bmm(cat([.. right.Select(Blocks)], 1));  // [B,I,J*16]
        return gradient.transpose(0, 1).contiguous().MoveToOuterDisposeScope();  // [I,B,J*16]
    }

    /// <summary>x [B,J,16] -> [B,J,J*16] in the predictions' dtype, x[b,j,:] in block j of row j, zeros elsewhere.</summary>
    private Tensor Blocks(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor diagonal = eye(Parents, dtype: x.dtype, device: x.device).view(1, Parents, Parents, 1);
        Tensor blocks = (x.unsqueeze(1) * diagonal).view(x.shape[0], Parents, -1);  // [B,J,J,16] -> [B,J,J*16]
        return blocks.to_type(Values.dtype).MoveToOuterDisposeScope();
    }
}

using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>Predictions as one [I,16] matrix per (image, parent) ([B*J,I,16]): every product is matrix-vector.</summary>
internal sealed class PredictionsByPair(Tensor values, long parents) : Predictions(values, parents)
{
    public override Tensor Agreement(Tensor v)
    {
        using var scope = NewDisposeScope();
        long batch = v.shape[0];
        Tensor agreement = Pairs(v).bmm(Values.transpose(1, 2));  // [B*J,1,16] @ [B*J,16,I]
        return agreement.Widened().view(batch, Parents, -1).MoveToOuterDisposeScope();  // [B,J,I]
    }

    public override Tensor WeightedSum(Tensor c)
    {
        using var scope = NewDisposeScope();
        long batch = c.shape[0];
        Tensor sums = Pairs(c).bmm(Values);  // [B*J,1,I] @ [B*J,I,16]
        return sums.Widened().view(batch, Parents, -1).MoveToOuterDisposeScope();  // [B,J,16]
    }

    protected override Tensor InputMajorGradient(IReadOnlyList<Tensor> left, IReadOnlyList<Tensor> right)
    {
        using var scope = NewDisposeScope();
        long pairs = Values.shape[0], inputs = Values.shape[1], dim = Values.shape[2], batch = pairs / Parents;
        // [B*J,I,T] @ [B*J,T,16]. The T coefficient rows are stacked as [T,I] per pair: appending whole rows is a
        // plain copy, where building [I,T] directly would interleave them element by element.
        Tensor coefficients = cat([.. left.Select(Pairs)], 1).transpose(1, 2);
        Tensor gradient = coefficients.bmm(cat([.. right.Select(Pairs)], 1));  // [B*J,I,16]
        return gradient.view(batch, Parents, inputs, dim).permute(2, 0, 1, 3).reshape(inputs, batch, Parents * dim)
            .MoveToOuterDisposeScope();  // [I,B,J*16]
    }

    /// <summary>x [B,J,N] -> [B*J,1,N] in the predictions' dtype: one row per pair.</summary>
    private Tensor Pairs(Tensor x) => x.reshape(-1, 1, x.shape[2]).to_type(Values.dtype);
}

using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace CapsNet.Model;

/// <summary>
/// A square-kernel convolution without padding whose gradients are matrix products over the unfolded input
/// patches (im2col): libtorch's conv2d forward, then d weight = d out^T x patches and d input = the patches of
/// d out x weight added back where they were read. conv2d's gradients, in the input's dtype: in bfloat16 each of
/// the overlapping patch rows a pixel gets is a separate rounding.
/// </summary>
/// <remarks>
/// In bfloat16 libtorch's CPU convolution backward runs well below the rate of one matrix product of the same
/// size; its forward does not, so only the backward is replaced (docs/performance.md). The gradients are worked
/// out channels-last, where a patch row is k*k runs of C contiguous channels.
/// </remarks>
internal sealed class UnfoldedConvolution : SingleTensorFunction<UnfoldedConvolution>
{
    public override string Name => nameof(UnfoldedConvolution);

    /// <summary>
    /// conv2d(<paramref name="x"/> [B,C,H,W], <paramref name="weight"/> [O,C,k,k], <paramref name="bias"/> [O],
    /// stride): [B,O,oh,ow]. The input's gradient is computed only when it needs one, laid out channels-last.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor bias, int stride)
    {
        if (weight.shape[2] != weight.shape[3])
            throw new ArgumentException($"The kernel must be square; it is {weight.shape[2]}x{weight.shape[3]}.", nameof(weight));
        return apply(x, weight, bias, stride);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor x = (Tensor)vars[0], weight = (Tensor)vars[1], bias = (Tensor)vars[2];
        int stride = (int)vars[3];
        ctx.save_data("stride", stride);
        ctx.save_data("needs_input_grad", x.requires_grad);
        ctx.save_for_backward([x, weight]);
        return nn.functional.conv2d(x, weight, bias, strides: [stride, stride]);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int stride = (int)ctx.get_data("stride");
        bool needsInputGrad = (bool)ctx.get_data("needs_input_grad");
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor x = saved[0], weight = saved[1];
        long outChannels = weight.shape[0], kernel = weight.shape[2];
        Tensor channelsLast = x.permute(0, 2, 3, 1).contiguous();  // [B,H,W,C]
        var shape = new Shape(channelsLast, kernel, stride);

        Tensor grad = gradOutput.permute(0, 2, 3, 1).reshape(-1, outChannels);  // [B*oh*ow,O]
        Tensor gradRows;
        using (Tensor patches = Patches(channelsLast, shape))  // [B*oh*ow,k*k*C], the largest tensor here: freed before the fold
            gradRows = grad.t().mm(patches);  // [O,k*k*C], patch order (row, column, channel)
        Tensor gradWeight = gradRows.view(outChannels, kernel, kernel, shape.Channels).permute(0, 3, 1, 2).contiguous();
        Tensor gradBias = grad.sum(dim: 0);  // a literal 0 alone would bind to sum(ScalarType)
        Tensor? gradInput = null;
        if (needsInputGrad)
        {
            Tensor rows = weight.permute(0, 2, 3, 1).reshape(outChannels, -1);  // [O,k*k*C]
            gradInput = Fold(grad.mm(rows), shape).permute(0, 3, 1, 2);  // [B,C,H,W], laid out channels-last
        }
        return [gradInput?.MoveToOuterDisposeScope()!, gradWeight.MoveToOuterDisposeScope(), gradBias.MoveToOuterDisposeScope(), null!];
    }

    /// <summary>The patches of a channels-last input as rows [B*oh*ow, k*k*C] (a strided view, copied once).</summary>
    private static Tensor Patches(Tensor channelsLast, Shape s)
    {
        long[] strides = channelsLast.stride();
        return channelsLast.as_strided(
                [s.Images, s.OutputSide(s.Height), s.OutputSide(s.Width), s.Kernel, s.Kernel, s.Channels],
                [strides[0], strides[1] * s.Stride, strides[2] * s.Stride, strides[1], strides[2], strides[3]],
                channelsLast.storage_offset())
            .reshape(-1, s.Kernel * s.Kernel * s.Channels);
    }

    /// <summary>The inverse of <see cref="Patches"/> for gradients: each patch row added back where it was read from.</summary>
    private static Tensor Fold(Tensor patchRows, Shape s)
    {
        long outHeight = s.OutputSide(s.Height), outWidth = s.OutputSide(s.Width);
        Tensor patches = patchRows.view(s.Images, outHeight, outWidth, s.Kernel, s.Kernel, s.Channels);
        Tensor folded = zeros([s.Images, s.Height, s.Width, s.Channels], patchRows.dtype, patchRows.device);
        for (long row = 0; row < s.Kernel; row++)
        {
            for (long column = 0; column < s.Kernel; column++)
            {
                folded[.., TensorIndex.Slice(row, row + (outHeight - 1) * s.Stride + 1, s.Stride),
                       TensorIndex.Slice(column, column + (outWidth - 1) * s.Stride + 1, s.Stride), ..]
                    .PlusInPlace(patches[.., .., .., row, column, ..]);
            }
        }
        return folded;  // [B,H,W,C]
    }

    private readonly record struct Shape(long Images, long Height, long Width, long Channels, long Kernel, long Stride)
    {
        public Shape(Tensor channelsLast, long kernel, long stride)
            : this(channelsLast.shape[0], channelsLast.shape[1], channelsLast.shape[2], channelsLast.shape[3], kernel, stride)
        {
        }

        public long OutputSide(long side) => (side - Kernel) / Stride + 1;
    }
}

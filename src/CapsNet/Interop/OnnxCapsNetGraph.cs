using CapsNet.Model;
using static CapsNet.Interop.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace CapsNet.Interop;

/// <summary>
/// <see cref="CapsuleNetwork"/>'s test-time forward pass as ONNX nodes, operation for operation, with the routing
/// unrolled for the model's routing count and the decoder fed the predicted class's capsule (for a model of K labels
/// an image, each of the K predicted classes' capsules).
/// </summary>
internal static class OnnxCapsNetGraph
{
    public const string Images = "images";
    public const string Lengths = "lengths";
    public const string DigitCapsules = "capsules";
    public const string Reconstruction = "reconstruction";

    private const string One = "one", SquashEpsilon = "squash_epsilon", LastAxis = "last_axis";

    /// <param name="images">The network's input [N,C,H,W]: the graph's input <see cref="Images"/>, or the prepared picture.</param>
    public static void Add(OnnxGraphBuilder g, CapsuleNetwork model, string images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        CapsNetConfig c = model.Config;
        Dictionary<string, Tensor> state = model.state_dict();
        int classes = c.Classes, inputs = c.PrimaryCapsuleCount, dim = c.DigitCapsuleDim, inputDim = c.PrimaryCapsuleDim;
        g.Floats(One, [1f]);
        g.Floats(SquashEpsilon, [(float)Capsules.Epsilon]);
        g.Int64s(LastAxis, -1);

        int kernel = c.Conv1Kernel, stride = c.PrimaryStride;
        string features = g.Node("Relu", [g.Node("Conv", [images, Weight(g, state, "conv1.weight"), Weight(g, state, "conv1.bias")],
            attributes: Ints("kernel_shape", kernel, kernel))]);  // [N,256,20,20]
        string primary = g.Node("Conv", [features, Weight(g, state, "primary_caps.weight"), Weight(g, state, "primary_caps.bias")],
            attributes: [Ints("kernel_shape", c.PrimaryKernel, c.PrimaryKernel), Ints("strides", stride, stride)]);  // [N,256,6,6]
        // Capsules of 8 consecutive channels at each grid position, as PrimaryCapsules.Group cuts them.
        string grouped = g.Node("Reshape", [g.Node("Transpose", [primary], attributes: Ints("perm", 0, 2, 3, 1)), g.Int64s("primary_shape",
            -1, inputs, inputDim)]);
        string u = Squash(g, grouped);  // [N,1152,8]

        // u_hat as DigitCapsules computes it: one product per input capsule, [I,N,8] @ [I,8,J*16].
        string perInput = g.Floats("digit_caps.per_input", state["digit_caps.weight"].permute(1, 3, 0, 2).reshape(inputs, inputDim,
            classes * dim));
        string products = g.Node("MatMul", [g.Node("Transpose", [u], attributes: Ints("perm", 1, 0, 2)), perInput]);  // [I,N,J*16]
        string uHat = g.Node("Transpose", [g.Node("Reshape", [products, g.Int64s("u_hat_shape", inputs, -1, classes, dim)])],
            attributes: Ints("perm", 1, 2, 0, 3));  // [N,J,I,16]
        string v = Route(g, uHat, c.Routings, classes, inputs);  // [N,J,1,16]
        string capsules = g.Node("Squeeze", [v, g.Int64s("routed_axis", 2)], DigitCapsules);  // [N,J,16]

        string squaredLengths = g.Node("ReduceSumSquare", [capsules, LastAxis], attributes: Int("keepdims", 0));  // [N,J]
        string lengths = g.Node("Sqrt", [g.Node("Add", [squaredLengths, g.Floats("length_epsilon", [(float)Capsules.LengthEpsilon])])],
            Lengths);

        // The K predicted classes (one, or MultiMNIST's two), longest first, each decoded from its capsule alone as
        // CapsuleNetwork.forward does; among equal lengths TopK puts the lower class first, as argmax and Predicted's
        // stable sort do.
        string predicted = g.Node("TopK", [lengths, g.Int64s("labels_per_image", c.LabelsPerImage)], 2, Int("axis", 1))[1];  // [N,K]
        string mask = g.Node("OneHot", [predicted, g.Int64s("classes", classes), g.Floats("one_hot_values", [0f, 1f], 2)]);  // [N,K,J]
        string masked = g.Node("Mul", [g.Node("Unsqueeze", [capsules, g.Int64s("label_axis", 1)]),
            g.Node("Unsqueeze", [mask, LastAxis])]);  // [N,K,J,16]
        string hidden = g.Node("Reshape", [masked, g.Int64s("masked_shape", -1, classes * dim)]);  // [N*K,160], capsule-major
        hidden = Dense(g, state, hidden, "decoder.0", "Relu");  // [N*K,512]
        hidden = Dense(g, state, hidden, "decoder.2", "Relu");  // [N*K,1024]
        string pixels = Dense(g, state, hidden, "decoder.4", "Sigmoid");  // [N*K,784]
        g.Node("Reshape", [pixels, g.Int64s("image_shape", [-1, .. ReconstructionShape(c)])], Reconstruction);
    }

    /// <summary>
    /// The shape of one image's <see cref="Reconstruction"/>: [C,H,W], or [K,C,H,W] for a model of K labels an image.
    /// </summary>
    public static long[] ReconstructionShape(CapsNetConfig c) => c.LabelsPerImage == 1
        ? [c.InputChannels, c.InputSide, c.InputSide]
        : [c.LabelsPerImage, c.InputChannels, c.InputSide, c.InputSide];

    /// <summary>
    /// DynamicRouting's forward pass: uniform couplings 1/J first, then the softmax over the J parents of the summed
    /// agreements v.u_hat. Couplings are [N,J,1,I] so that every weighted sum is one batched product with u_hat.
    /// </summary>
    private static string Route(OnnxGraphBuilder g, string uHat, int iterations, int classes, int inputs)
    {
        string uHatT = g.Node("Transpose", [uHat], attributes: Ints("perm", 0, 1, 3, 2));  // [N,J,16,I]
        string uniform = g.Floats("uniform_coupling", Enumerable.Repeat(1f / classes, inputs).ToArray(), 1, inputs);
        string v = Squash(g, g.Node("MatMul", [uniform, uHat]));  // [N,J,1,16]
        string? logits = null;
        for (int iteration = 1; iteration < iterations; iteration++)
        {
            string agreement = g.Node("MatMul", [v, uHatT]);  // [N,J,1,I]
            logits = logits is null ? agreement : g.Node("Add", [logits, agreement]);
            string coupling = g.Node("Softmax", [logits], attributes: Int("axis", 1));
            v = Squash(g, g.Node("MatMul", [coupling, uHat]));
        }
        return v;
    }

    /// <summary>squash(s) = n / (1 + n) / sqrt(n + eps) * s with n = |s|^2 over the last axis, as Capsules.Squash.</summary>
    private static string Squash(OnnxGraphBuilder g, string s)
    {
        string n = g.Node("ReduceSumSquare", [s, LastAxis], attributes: Int("keepdims", 1));
        string ratio = g.Node("Div", [n, g.Node("Add", [n, One])]);
        string scale = g.Node("Div", [ratio, g.Node("Sqrt", [g.Node("Add", [n, SquashEpsilon])])]);
        return g.Node("Mul", [scale, s]);
    }

    private static string Dense(OnnxGraphBuilder g, Dictionary<string, Tensor> state, string x, string layer, string activation) =>
        g.Node(activation, [g.Node("Gemm", [x, Weight(g, state, $"{layer}.weight"), Weight(g, state, $"{layer}.bias")],
            attributes: Int("transB", 1))]);

    private static string Weight(OnnxGraphBuilder g, Dictionary<string, Tensor> state, string name) => g.Floats(name, state[name]);
}

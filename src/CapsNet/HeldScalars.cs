using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet;

/// <summary>
/// Numbers for tensor arithmetic that outlive every call that reads them. TorchSharp turns a number given to a tensor
/// operation, and the alpha = 1 of every addition, into a <see cref="Scalar"/> that nothing holds once its native
/// handle is read, so a garbage collection started by another thread can free it while libtorch reads it: "Unknown
/// scalar type", a crash, or a wrong number (TorchSharp pull request #1434). Our code therefore gives tensors numbers
/// only as Scalars kept in a static field or a <c>using</c> variable, adds with <see cref="Plus(Tensor, Tensor)"/> and
/// squares with <see cref="Squared"/>; ScalarLifetimeTests reads the compiled code for any other call.
/// </summary>
internal static class HeldScalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar MinusOne = (-1).ToScalar();
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>The largest byte: pixels in [0,255] divided by it lie in [0,1].</summary>
    public static readonly Scalar ByteMax = 255f.ToScalar();

    /// <summary>a + b, element-wise.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + b, element-wise.</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, One);

    /// <summary>a += b, element-wise.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a += b, element-wise.</summary>
    public static Tensor PlusInPlace(this Tensor a, Scalar b) => a.add_(b, One);

    /// <summary>a - b, element-wise, as TorchSharp computes a number minus a tensor: -b + a.</summary>
    public static Tensor Minus(this Scalar a, Tensor b) => b.neg().add(a, One);

    /// <summary>a^2, element-wise.</summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);
}

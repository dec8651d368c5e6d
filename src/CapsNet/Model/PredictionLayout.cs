namespace CapsNet.Model;

/// <summary>How the predictions u_hat are laid out in memory; each layout has its own fastest products.</summary>
internal enum PredictionLayout
{
    /// <summary>One [I,16] matrix per (image, parent): [B*J,I,16]. Products are matrix-vector, fast in float32.</summary>
    ByPair,

    /// <summary>
    /// One [I,J*16] matrix per image: [B,I,J*16]. Products cover all J parents at once (J times the arithmetic of
    /// the parent's own block, kept by taking the diagonal blocks), fast in bfloat16, where the matrix-vector
    /// products are not.
    /// </summary>
    ByImage,
}

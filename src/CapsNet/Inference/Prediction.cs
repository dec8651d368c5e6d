namespace CapsNet.Inference;

/// <summary>
/// One file's capsule lengths; the longest is the class, its length the confidence. A model of K labels an image
/// names the K longest.
/// </summary>
internal sealed record Prediction(string File, float[] Lengths)
{
    public int Class => Ranked[0];

    /// <summary>The classes, longest capsule first (among equal lengths the lower class first).</summary>
    public int[] Ranked => Enumerable.Range(0, Lengths.Length).OrderByDescending(c => Lengths[c]).ToArray();

    /// <summary>The K classes a model of K labels an image names.</summary>
    public int[] Classes(int labelsPerImage) => Ranked[..labelsPerImage];

    /// <summary>The next class after those named.</summary>
    public int RunnerUp(int labelsPerImage = 1) => Ranked[labelsPerImage];
}

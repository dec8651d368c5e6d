namespace CapsNet.Inference;

/// <summary>One file's capsule lengths; the longest is the class, its length the confidence.</summary>
internal sealed record Prediction(string File, float[] Lengths)
{
    public int Class => Array.IndexOf(Lengths, Lengths.Max());

    public int RunnerUp => Enumerable.Range(0, Lengths.Length).Where(c => c != Class).MaxBy(c => Lengths[c]);
}

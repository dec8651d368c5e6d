namespace CapsNet.Training;

/// <summary>The reference's schedule: lr * decay^epoch, set at the start of each (0-based) epoch.</summary>
internal static class LearningRate
{
    public static double At(double lr, double decay, int epoch) => lr * Math.Pow(decay, epoch);
}

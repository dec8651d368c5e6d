namespace CapsNet.Training;

/// <summary>Running sums over one pass, so epoch figures are batch means weighted by batch size.</summary>
internal sealed class PassTotals
{
    public long Samples { get; private set; }
    public long Correct { get; private set; }
    private double _margin;
    private double _reconstruction;
    private double _loss;

    public void Add(int samples, long correct, double margin, double reconstruction, double loss)
    {
        Samples += samples;
        Correct += correct;
        _margin += margin * samples;
        _reconstruction += reconstruction * samples;
        _loss += loss * samples;
    }

    public double Accuracy => Samples == 0 ? 0 : (double)Correct / Samples;
    public double Margin => Samples == 0 ? 0 : _margin / Samples;
    public double Reconstruction => Samples == 0 ? 0 : _reconstruction / Samples;
    public double Loss => Samples == 0 ? 0 : _loss / Samples;
}

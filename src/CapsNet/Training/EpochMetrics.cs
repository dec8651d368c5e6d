using System.Globalization;

namespace CapsNet.Training;

/// <summary>
/// One row of log.csv: the reference's columns, then the learning rate. The names are those of its Keras outputs:
/// capsnet_loss is the margin loss and decoder_loss the reconstruction loss (<see cref="PassTotals"/>).
/// </summary>
internal sealed record EpochMetrics(
    int Epoch,
    double CapsnetAccuracy,
    double CapsnetLoss,
    double DecoderLoss,
    double Loss,
    double ValCapsnetAccuracy,
    double ValCapsnetLoss,
    double ValDecoderLoss,
    double ValLoss,
    double Lr)
{
    public const string CsvHeader =
        "epoch,capsnet_accuracy,capsnet_loss,decoder_loss,loss,val_capsnet_accuracy,val_capsnet_loss,val_decoder_loss,val_loss,lr";

    public string ToCsv() => string.Join(",", new[]
    {
        Epoch.ToString(CultureInfo.InvariantCulture),
        F(CapsnetAccuracy), F(CapsnetLoss), F(DecoderLoss), F(Loss),
        F(ValCapsnetAccuracy), F(ValCapsnetLoss), F(ValDecoderLoss), F(ValLoss), F(Lr),
    });

    public static EpochMetrics FromCsv(string line)
    {
        string[] cells = line.Split(',');
        if (cells.Length != 10)
            throw new FormatException($"expected 10 columns, found {cells.Length}");
        double D(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
        return new EpochMetrics(int.Parse(cells[0], CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9));
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

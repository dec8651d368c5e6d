using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Training;

/// <summary>
/// One TensorBoard events file per epoch (<see cref="RunFiles.TensorBoardEvents"/>), put in place
/// whole: a resumed run replaces an epoch's file instead of adding the epoch a second time, and an epoch rolled
/// back leaves no trace. TensorBoard reads the files in name order, which is epoch order.
/// </summary>
internal static class TensorBoardEpoch
{
    public static void Write(string saveDir, EpochMetrics m, CapsuleNetwork model, bool debug, FaultPoints faults)
    {
        // TorchSharp's writer names its own file, so it writes into a staging folder beside tensorboard-logs
        // (where TensorBoard does not look), and the finished file is renamed into place.
        string staging = Path.Combine(saveDir, WriteTemporary.TemporaryName(RunFiles.TensorBoard));
        string target = Path.Combine(saveDir, RunFiles.TensorBoard, RunFiles.TensorBoardEvents(m.Epoch + 1));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var writer = utils.tensorboard.SummaryWriter(staging);
            int step = m.Epoch;
            writer.add_scalar("loss/train", (float)m.Loss, step);
            writer.add_scalar("loss/val", (float)m.ValLoss, step);
            writer.add_scalar("capsnet_loss/train", (float)m.CapsnetLoss, step);
            writer.add_scalar("capsnet_loss/val", (float)m.ValCapsnetLoss, step);
            writer.add_scalar("decoder_loss/train", (float)m.DecoderLoss, step);
            writer.add_scalar("decoder_loss/val", (float)m.ValDecoderLoss, step);
            writer.add_scalar("capsnet_accuracy/train", (float)m.CapsnetAccuracy, step);
            writer.add_scalar("capsnet_accuracy/val", (float)m.ValCapsnetAccuracy, step);
            writer.add_scalar("lr", (float)m.Lr, step);
            if (debug)
            {
                using var scope = NewDisposeScope();
                foreach (var (name, parameter) in model.named_parameters())
                    writer.add_histogram(name, parameter.detach().cpu(), step);
            }

            string events = Directory.GetFiles(staging).Single();
            using (var file = new FileStream(events, FileMode.Open, FileAccess.ReadWrite))
                file.Flush(flushToDisk: true);
            AtomicFile.MoveIntoPlace(events, target, faults);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Could not write '{target}': {e.Message}", e);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }
}

using System.Diagnostics;
using CapsNet;
using CapsNet.Data;
using CapsNet.Imaging;
using CapsNet.Interop;
using CapsNet.Model;
using CapsNet.Native;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using static TorchSharp.torch;

// Classifies the test images of the data set a model was trained on twice per round, in one process: with
// TorchSharp as `capsnet test` computes its accuracy (Encode and the capsule lengths), and with ONNX Runtime
// running the model's export (the whole test-time graph). Both in batches of 100 on 2 threads; rounds alternate
// so that the machine's slow and fast minutes fall on both sides. For a grey model it then times the export that
// prepares pictures itself, as a deployed application runs it: one example digit at a time, as it is.
if (args.Length is < 1 or > 2 || (args.Length == 2 && !int.TryParse(args[1], out _)))
{
    Console.Error.WriteLine("usage: CapsNet.OnnxBench WEIGHTS (.pt or Keras .h5) [ROUNDS, default 3]");
    return 2;
}
string weights = args[0];
int rounds = args.Length == 2 ? Math.Max(1, int.Parse(args[1])) : 3;
const int Batch = 100;
const int Threads = 2;

TorchRuntime.EnsureLoaded();
TorchRuntime.SetThreads(Threads);
CapsNetConfig config;
DataSet data;
CapsuleNetwork model;
try
{
    using var given = GivenWeights.Open(weights);
    config = given.Config;
    data = DataSets.Load(new DataRequest(config.Dataset, WithTrain: false));
    model = new CapsuleNetwork(config, new Generator(1));
    given.LoadInto(model);
}
catch (UserInputException e)  // the process ends: nothing to dispose
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
using var disposeData = data;
using var disposeModel = model;
ImageSet test = data.Test;
model.eval();
string onnxPath = Path.Combine(Path.GetTempPath(), $"capsnet-onnxbench-{Environment.ProcessId}.onnx");
OnnxExport.Save(model, config.Names, onnxPath, Preprocess.None);  // batches of test images, already prepared
Console.WriteLine($"{config.Dataset}: {test.Count} test images; ONNX file {new FileInfo(onnxPath).Length:N0} bytes");
using var session = new InferenceSession(onnxPath, new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1 });
File.Delete(onnxPath);

int count = test.Count / Batch * Batch;  // whole batches only
long[] labels = test.LabelArray();
int[] torchClasses = new int[count], onnxClasses = new int[count];

void Torch(int start)
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    long[] classes = Capsules.Length(model.Encode(test.Images(start, Batch))).argmax(1).data<long>().ToArray();
    for (int i = 0; i < Batch; i++)
        torchClasses[start + i] = (int)classes[i];
}
void Onnx(int start)
{
    float[] pixels;
    using (Tensor images = test.Images(start, Batch))
        pixels = images.data<float>().ToArray();
    var input = new DenseTensor(pixels, [Batch, config.InputChannels, config.InputSide, config.InputSide]);
    using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
    float[] lengths = results.First(r => r.Name == "lengths").AsEnumerable<float>().ToArray();
    for (int i = 0; i < Batch; i++)
    {
        ReadOnlySpan<float> row = lengths.AsSpan(i * config.Classes, config.Classes);
        int longest = 0;
        for (int c = 1; c < row.Length; c++)
            if (row[c] > row[longest])
                longest = c;
        onnxClasses[start + i] = longest;
    }
}
double Seconds(Action<int> classify)
{
    var clock = Stopwatch.StartNew();
    for (int start = 0; start < count; start += Batch)
        classify(start);
    return clock.Elapsed.TotalSeconds;
}
double Accuracy(int[] classes) => classes.Where((c, i) => c == labels[i]).Count() / (double)count;

Torch(0);  // warm-up: first-call allocation and kernel selection
Onnx(0);
var torchTimes = new List<double>();
var onnxTimes = new List<double>();
for (int round = 1; round <= rounds; round++)
{
    torchTimes.Add(Seconds(Torch));
    onnxTimes.Add(Seconds(Onnx));
    int same = torchClasses.Zip(onnxClasses).Count(pair => pair.First == pair.Second);
    Console.WriteLine($"round {round}: TorchSharp {torchTimes[^1]:F1} s, ONNX Runtime {onnxTimes[^1]:F1} s; same class for {same} of " +
        $"{count}; accuracy {Accuracy(torchClasses):F4} and {Accuracy(onnxClasses):F4}");
}
static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
Console.WriteLine($"median of {rounds}: TorchSharp {Median(torchTimes):F1} s, ONNX Runtime {Median(onnxTimes):F1} s");
if (config.InputChannels == 1)
    TimePictures();
return 0;

// Each example digit's grey pixels [H,W] through the export with --preprocess mnist, once to warm up, then
// `rounds` times more each, one picture per call.
void TimePictures()
{
    string picturePath = Path.Combine(Path.GetTempPath(), $"capsnet-onnxbench-{Environment.ProcessId}-pictures.onnx");
    OnnxExport.Save(model, config.Names, picturePath, Preprocess.Mnist);
    long size = new FileInfo(picturePath).Length;
    using var pictureSession = new InferenceSession(picturePath, new SessionOptions { IntraOpNumThreads = Threads, InterOpNumThreads = 1 });
    File.Delete(picturePath);
    // The build output lies below the repository: the digits are found by walking up from it.
    string folder = Path.Combine(AppContext.BaseDirectory, "docs", "examples", "digits");
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && !Directory.Exists(folder); dir = dir.Parent)
        folder = Path.Combine(dir.FullName, "docs", "examples", "digits");
    var pictures = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(Grey).ToList();
    var times = new List<double>();
    for (int round = 0; round <= rounds; round++)
    {
        foreach (var picture in pictures)
        {
            var clock = Stopwatch.StartNew();
            using var results = pictureSession.Run([NamedOnnxValue.CreateFromTensor("picture", picture)]);
            if (round > 0)
                times.Add(clock.Elapsed.TotalMilliseconds);
        }
    }
    string sizes = string.Join(", ", pictures.Select(p => $"{p.Dimensions[1]}x{p.Dimensions[0]}").Distinct());
    Console.WriteLine($"pictures as they are ({pictures.Count} example digits, {sizes}; ONNX file {size:N0} bytes): " +
        $"median {Median(times):F1} ms a picture, min {times.Min():F1}, max {times.Max():F1}, {times.Count} runs");
}

// A picture's grey (BT.709), 0 black to 1 white, as the example program and predict take it.
static DenseTensor Grey(string path)
{
    using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(path);
    var grey = new DenseTensor([image.Height, image.Width]);
    for (int y = 0; y < image.Height; y++)
    {
        for (int x = 0; x < image.Width; x++)
        {
            var p = image[x, y];
            grey[y, x] = (p.R * 0.2126f + p.G * 0.7152f + p.B * 0.0722f) / 255f;
        }
    }
    return grey;
}

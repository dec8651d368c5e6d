using System.Diagnostics;
using System.Globalization;
using CapsNet.Bench;
using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using TorchSharp;
using static TorchSharp.torch;

// Times, in one process and on random data of MNIST shape: the full training step, the two convolutions
// alone (the floor no implementation can go below) and test-mode inference.
BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

TorchRuntime.SetThreads(settings.Threads);
int batch = settings.BatchSize;
var generator = new Generator(1);
using var x = rand([batch, 1, 28, 28], generator: generator);
using var y = randint(10, [batch], ScalarType.Int64, generator: generator);
using var model = new CapsuleNetwork(CapsNetConfig.Mnist with { Routings = settings.Routings }, generator) { Precision = settings.Precision };
ScalarType compute = settings.Precision.ComputeType();
// The trainer's own step (forward, losses, divergence check, backward, Adam) on one fixed batch.
var trainer = new Trainer(model, new RunSettings(), CPU, Spectre.Console.AnsiConsole.Console);  // the reference's lr and lam_recon
var fixedBatch = new Batch(x, y);  // not disposed: x and y have their own using declarations
var totals = new PassTotals();
int stepNumber = 0;

// The same convolutions with the same shapes: conv1 weight gradient, primary-caps weight and input gradients.
using var conv1Weight = (randn([256, 1, 9, 9], generator: generator) * 0.01).requires_grad_();
using var conv1Bias = zeros([256], requires_grad: true);
using var primaryWeight = (randn([256, 256, 9, 9], generator: generator) * 0.01).requires_grad_();
using var primaryBias = zeros([256], requires_grad: true);
using var primaryGrad = randn([batch, 256, 6, 6], generator: generator);
void FloorStep()
{
    using var scope = NewDisposeScope();
    Tensor features = nn.functional.relu(nn.functional.conv2d(x.to_type(compute), conv1Weight.to_type(compute), conv1Bias.to_type(compute)));
    Tensor primary = nn.functional.conv2d(features, primaryWeight.to_type(compute), primaryBias.to_type(compute), strides: [2, 2]);
    primary.backward([primaryGrad.to_type(compute)]);
    foreach (Tensor p in new[] { conv1Weight, conv1Bias, primaryWeight, primaryBias })
        p.grad!.zero_();
}

// Floor and training steps alternate in blocks, so that the machine's slow and fast minutes fall on both sides of
// the ratio. Resident memory is read after the first third of the training steps and after the last, both times
// with the floor's tensors already in place; reading trims the heap, so not after every step.
const int Blocks = 3;
Console.WriteLine($"batch {batch}, routings {settings.Routings}, {settings.Precision.ToString().ToLowerInvariant()}, {get_num_threads()} threads, {settings.Steps} timed steps in {Blocks} blocks, each after {settings.Warmup} warm-up");
int third = settings.Steps / Blocks;
var heldAfterStep = new Dictionary<int, double>();
var trainTimes = new List<double>();
var floorTimes = new List<double>();
for (int block = 0; block < Blocks; block++)
{
    int blockSteps = settings.Steps * (block + 1) / Blocks - settings.Steps * block / Blocks;
    TimeBlock(floorTimes, blockSteps, FloorStep);
    TimeBlock(trainTimes, blockSteps, () => trainer.Step(fixedBatch, totals, epoch: 0, ++stepNumber), afterStep: () =>
    {
        if (trainTimes.Count == third || trainTimes.Count == settings.Steps)
            heldAfterStep[trainTimes.Count] = ResidentMemory.HeldMiB();
    });
}
var testTimes = new List<double>();
TimeBlock(testTimes, settings.Steps, () =>
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    model.eval();
    model.forward(x, null);
});
double trainSeconds = Report("train step", trainTimes);
double floorSeconds = Report("conv floor", floorTimes);
double testSeconds = Report("test forward", testTimes);

double growth = (heldAfterStep[settings.Steps] - heldAfterStep[third]) / heldAfterStep[third] * 100;
double trainRate = batch / trainSeconds, floorRate = batch / floorSeconds;
Console.WriteLine($"train img/s: {F(trainRate)}");
Console.WriteLine($"test img/s: {F(batch / testSeconds)}");
Console.WriteLine($"conv floor img/s: {F(floorRate)}");
Console.WriteLine($"floor ratio: {F(trainRate / floorRate, 3)}");
Console.WriteLine($"peak rss MiB: {F(ResidentMemory.PeakMiB())}");
Console.WriteLine($"rss growth %: {F(growth, 2)}");
return 0;

// Runs the warm-up steps untimed, then adds the time of each further step to times.
void TimeBlock(List<double> times, int steps, Action step, Action? afterStep = null)
{
    for (int i = 0; i < settings.Warmup; i++)
        step();
    for (int i = 0; i < steps; i++)
    {
        var clock = Stopwatch.StartNew();
        step();
        times.Add(clock.Elapsed.TotalSeconds);
        afterStep?.Invoke();
    }
}

// Prints and returns the median seconds per step.
static double Report(string name, List<double> times)
{
    List<double> sorted = [.. times.Order()];
    double median = sorted[sorted.Count / 2];
    Console.WriteLine($"{name}: median {median * 1000:F1} ms, min {sorted[0] * 1000:F1} ms, max {sorted[^1] * 1000:F1} ms");
    return median;
}

static string F(double value, int decimals = 1) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

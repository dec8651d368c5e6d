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
var trainer = new Trainer(model, new RunSettings(), CPU);  // the reference's lr and lam_recon
var fixedBatch = new Batch(x, y);  // not disposed: x and y have their own using declarations
var totals = new PassTotals();
int stepNumber = 0;
Console.WriteLine($"batch {batch}, routings {settings.Routings}, {settings.Precision.ToString().ToLowerInvariant()}, {get_num_threads()} threads, {settings.Steps} timed steps after {settings.Warmup} warm-up");

// Read after the first third of the steps and after the last; reading trims the heap, so not after every step.
int third = Math.Max(1, settings.Steps / 3);
var heldAfterStep = new Dictionary<int, double>();
double trainSeconds = Time("train step", () => trainer.Step(fixedBatch, totals, epoch: 0, ++stepNumber), afterStep: step =>
{
    if (step == third || step == settings.Steps)
        heldAfterStep[step] = ResidentMemory.HeldMiB();
});

// The same convolutions with the same shapes: conv1 weight gradient, primary-caps weight and input gradients.
using var conv1Weight = (randn([256, 1, 9, 9], generator: generator) * 0.01).requires_grad_();
using var conv1Bias = zeros([256], requires_grad: true);
using var primaryWeight = (randn([256, 256, 9, 9], generator: generator) * 0.01).requires_grad_();
using var primaryBias = zeros([256], requires_grad: true);
using var primaryGrad = randn([batch, 256, 6, 6], generator: generator);
double floorSeconds = Time("conv floor", () =>
{
    using var scope = NewDisposeScope();
    Tensor features = nn.functional.relu(nn.functional.conv2d(x.to_type(compute), conv1Weight.to_type(compute), conv1Bias.to_type(compute)));
    Tensor primary = nn.functional.conv2d(features, primaryWeight.to_type(compute), primaryBias.to_type(compute), strides: [2, 2]);
    primary.backward([primaryGrad.to_type(compute)]);
    foreach (Tensor p in new[] { conv1Weight, conv1Bias, primaryWeight, primaryBias })
        p.grad!.zero_();
});

double testSeconds = Time("test forward", () =>
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    model.eval();
    model.forward(x, null);
});

double growth = (heldAfterStep[settings.Steps] - heldAfterStep[third]) / heldAfterStep[third] * 100;
double trainRate = batch / trainSeconds, floorRate = batch / floorSeconds;
Console.WriteLine($"train img/s: {F(trainRate)}");
Console.WriteLine($"test img/s: {F(batch / testSeconds)}");
Console.WriteLine($"conv floor img/s: {F(floorRate)}");
Console.WriteLine($"floor ratio: {F(trainRate / floorRate, 3)}");
Console.WriteLine($"peak rss MiB: {F(ResidentMemory.PeakMiB())}");
Console.WriteLine($"rss growth %: {F(growth, 2)}");
return 0;

// Median seconds per step over the timed steps, after the warm-up steps.
double Time(string name, Action step, Action<int>? afterStep = null)
{
    for (int i = 0; i < settings.Warmup; i++)
        step();
    var seconds = new List<double>();
    for (int i = 0; i < settings.Steps; i++)
    {
        var clock = Stopwatch.StartNew();
        step();
        seconds.Add(clock.Elapsed.TotalSeconds);
        afterStep?.Invoke(i + 1);
    }
    seconds.Sort();
    double median = seconds[seconds.Count / 2];
    Console.WriteLine($"{name}: median {median * 1000:F1} ms, min {seconds[0] * 1000:F1} ms, max {seconds[^1] * 1000:F1} ms");
    return median;
}

static string F(double value, int decimals = 1) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

using System.Diagnostics;
using System.Globalization;
using CapsNet.Bench;
using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using static TorchSharp.torch;

// Times, in one process and on random data of MNIST shape: the full training step, the same step cut into parts,
// the two convolutions alone (libtorch's floor), test-mode inference, and plain matrix products at the step's shapes
// in float32 and bfloat16 (the machine's own limit, which the step is measured against).
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
using var model = new CapsuleNetwork(CapsNetConfig.Mnist with { Routings = settings.Routings },
    generator) { Precision = settings.Precision };
ScalarType compute = settings.Precision.ComputeType();
// The trainer's own step (forward, losses, divergence check, backward, Adam) on one fixed batch.
var trainer = new Trainer(model, new TrainingConfig(), CPU, Spectre.Console.AnsiConsole.Console);  // the reference's lr and lam_recon
var fixedBatch = new Batch(x, y);  // not disposed: x and y have their own using declarations
var totals = new PassTotals();
int stepNumber = 0;
var parts = new StepParts(model, trainer.Optimizer, new TrainingConfig().LamRecon);

// The same convolutions with the same shapes: conv1 weight gradient, primary-caps weight and input gradients.
using TorchSharp.Scalar weightScale = 0.01;  // held: see HeldScalars
using var conv1Weight = (randn([256, 1, 9, 9], generator: generator) * weightScale).requires_grad_();
using var conv1Bias = zeros([256], requires_grad: true);
using var primaryWeight = (randn([256, 256, 9, 9], generator: generator) * weightScale).requires_grad_();
using var primaryBias = zeros([256], requires_grad: true);
using var primaryGrad = randn([batch, 256, 6, 6], generator: generator);
void FloorStep()
{
    using var scope = NewDisposeScope();
    Tensor features = nn.functional.relu(nn.functional.conv2d(x.to_type(compute), conv1Weight.to_type(compute),
        conv1Bias.to_type(compute)));
    Tensor primary = nn.functional.conv2d(features, primaryWeight.to_type(compute), primaryBias.to_type(compute), strides: [2, 2]);
    primary.backward([primaryGrad.to_type(compute)]);
    foreach (Tensor p in new[] { conv1Weight, conv1Bias, primaryWeight, primaryBias })
        p.grad!.zero_();
}

const int Blocks = 3;
const int CeilingSteps = 9;  // per precision
Console.WriteLine($"batch {batch}, routings {settings.Routings}, {settings.Precision.ToString().ToLowerInvariant()}, {get_num_threads()} " +
    $"threads, {settings.Steps} timed steps in {Blocks} blocks, each after {settings.Warmup} warm-up");

// Floor, training and instrumented steps alternate in blocks, so that the machine's slow and fast minutes fall on
// all sides of the ratio and of the table of parts. Resident memory is read after the first third of the training
// steps and after the last, both times with the floor's tensors already in place; reading trims the heap, so not
// after every step.
int third = settings.Steps / Blocks;
var heldAfterStep = new Dictionary<int, double>();
var trainTimes = new List<double>();
var floorTimes = new List<double>();
var partTimes = new List<(double[] Forward, double[] Backward)>();
for (int block = 0; block < Blocks; block++)
{
    int blockSteps = settings.Steps * (block + 1) / Blocks - settings.Steps * block / Blocks;
    TimeBlock(floorTimes, blockSteps, FloorStep);
    TimeBlock(trainTimes, blockSteps, () => trainer.Step(fixedBatch, totals, epoch: 0, ++stepNumber), afterStep: () =>
    {
        if (trainTimes.Count == third || trainTimes.Count == settings.Steps)
            heldAfterStep[trainTimes.Count] = ResidentMemory.HeldMiB();
    });
    for (int i = 0; i < settings.Warmup + blockSteps; i++)
    {
        var times = parts.Step(x, y);
        if (i >= settings.Warmup)
            partTimes.Add(times);
    }
}
var testTimes = new List<double>();
TimeBlock(testTimes, settings.Steps, () =>
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    model.eval();
    model.forward(x, null);
});
double peakMiB = ResidentMemory.PeakMiB();
// The ceiling last, once the step's resident memory is read: its 0.5-0.9 GB of operands are not the step's. It is
// the fastest of its runs, not the median: a ceiling is what the machine can reach, and a busy neighbour on a
// shared host only ever slows a run down.
double CeilingGflops(ScalarType dtype, string name)
{
    using var ceiling = new MatmulCeiling(CapsNetConfig.Mnist, batch, dtype, generator);
    var times = new List<double>();
    TimeBlock(times, CeilingSteps, ceiling.Step, warmup: 1);
    Report($"{name} matmuls", times);
    return ceiling.GflopsPerSecond(times.Min());
}

double trainSeconds = Report("train step", trainTimes);
double floorSeconds = Report("conv floor", floorTimes);
double testSeconds = Report("test forward", testTimes);
ReportParts(partTimes);
double fp32Gflops = CeilingGflops(ScalarType.Float32, "fp32"), bf16Gflops = CeilingGflops(ScalarType.BFloat16, "bf16");
double stepFlops = StepCost.TrainFlopsPerImage(CapsNetConfig.Mnist with { Routings = settings.Routings });
double limitRate = (settings.Precision == Precision.Bf16 ? bf16Gflops : fp32Gflops) * 1e9 / stepFlops;

double growth = (heldAfterStep[settings.Steps] - heldAfterStep[third]) / heldAfterStep[third] * 100;
double trainRate = batch / trainSeconds, floorRate = batch / floorSeconds;
Console.WriteLine($"train img/s: {F(trainRate)}");
Console.WriteLine($"test img/s: {F(batch / testSeconds)}");
Console.WriteLine($"conv floor img/s: {F(floorRate)}");
Console.WriteLine($"floor ratio: {F(trainRate / floorRate, 3)}");
Console.WriteLine($"fp32 matmul GFLOP/s: {F(fp32Gflops)}");
Console.WriteLine($"bf16 matmul GFLOP/s: {F(bf16Gflops)}");
Console.WriteLine($"train GFLOP per image: {F(stepFlops / 1e9, 3)}");
Console.WriteLine($"limit img/s: {F(limitRate)}");
Console.WriteLine($"limit ratio: {F(trainRate / limitRate, 3)}");
Console.WriteLine($"peak rss MiB: {F(peakMiB)}");
Console.WriteLine($"rss growth %: {F(growth, 2)}");
return 0;

// Runs the warm-up steps untimed (the settings' count unless given), then adds the time of each further step to times.
void TimeBlock(List<double> times, int steps, Action step, Action? afterStep = null, int? warmup = null)
{
    for (int i = 0; i < (warmup ?? settings.Warmup); i++)
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
    double median = Median(sorted);
    Console.WriteLine($"{name}: median {median * 1000:F1} ms, min {sorted[0] * 1000:F1} ms, max {sorted[^1] * 1000:F1} ms");
    return median;
}

// Prints the medians of the instrumented steps, part by part, and the median of their sums beside the train step's.
void ReportParts(List<(double[] Forward, double[] Backward)> steps)
{
    Console.WriteLine($"step by part, ms (medians of {steps.Count} instrumented steps): forward, backward, both");
    for (int part = 0; part < StepParts.Names.Length; part++)
    {
        double forward = Median(steps.Select(s => s.Forward[part])), backward = Median(steps.Select(s => s.Backward[part]));
        double both = Median(steps.Select(s => s.Forward[part] + s.Backward[part]));
        string backwardMs = part == StepParts.Names.Length - 1 ? "" : F(backward * 1000);  // Adam has no backward pass
        Console.WriteLine($"  {StepParts.Names[part],-36} {F(forward * 1000),7} {backwardMs,7} {F(both * 1000),7}");
    }
    double sum = Median(steps.Select(s => s.Forward.Sum() + s.Backward.Sum()));
    Console.WriteLine($"  {"sum of the parts",-36} {"",7} {"",7} {F(sum * 1000),7} (train step {F(trainSeconds * 1000)})");
}

static double Median(IEnumerable<double> values)
{
    List<double> sorted = [.. values.Order()];
    return sorted[sorted.Count / 2];
}

static string F(double value, int decimals = 1) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

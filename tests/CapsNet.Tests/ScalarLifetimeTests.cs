using System.Reflection;
using System.Reflection.Emit;
using CapsNet.Model;
using TorchSharp;
using static CapsNet.Tests.CompiledCode;
using static TorchSharp.torch;

namespace CapsNet.Tests;

/// <summary>Tests that collect garbage without pause, alone: they make any unheld Scalar of a test beside them fail.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CollectionStormCollection
{
    public const string Name = "garbage collections without pause";
}

/// <summary>
/// No code of ours hands libtorch a number that the garbage collector may free during the call. TorchSharp turns a
/// number given to a tensor operation (and the alpha = 1 of every addition) into a <see cref="Scalar"/> that nothing
/// holds once its native handle has been read; a collection started by another thread then finalizes it while
/// libtorch reads it: "Unknown scalar type", a crash, or a wrong number (TorchSharp pull requests #1434, #1496).
/// Read from the compiled code: the TorchSharp methods that make such a Scalar (directly or through the methods they
/// call, not through virtual calls), and every call of ours to one of them or that makes a Scalar it does not keep
/// in a static field or a <c>using</c> variable. Tensors have the same weakness outside a dispose scope; this test
/// does not look for it.
/// </summary>
[Collection(CollectionStormCollection.Name)]
public sealed class ScalarLifetimeTests
{
    private static readonly Lazy<HashSet<MethodBase>> Unsafe = new(UnsafeTorchSharpMethods);

    // Before the Scalars were held, about one in 4,000 operations with a number failed while another thread collected
    // without pause ("Unknown scalar type", or "Expected false to be true" from c10's toDouble), and a wrong value can
    // pass unnoticed: the capsule non-linearity and the margin loss, 20,000 times each, give their first result every time.
    [Fact]
    public void SquashAndMarginLossGiveTheSameNumbersWhileAnotherThreadCollectsGarbage()
    {
        using var generator = new Generator(3);
        using var s = randn([4, 10, 16], generator: generator);
        using var labels = tensor(new long[] { 1, 5, 7, 9 });
        using Tensor squashed = Capsules.Squash(s), loss = CapsuleLoss.Margin(Capsules.Length(squashed), labels);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });

        collector.Start();
        int differing = 0;
        try
        {
            for (int i = 0; i < 20_000; i++)
            {
                using var scope = NewDisposeScope();
                Tensor again = Capsules.Squash(s), againLoss = CapsuleLoss.Margin(Capsules.Length(again), labels);
                if (!again.allclose(squashed, rtol: 0, atol: 0) || !againLoss.allclose(loss, rtol: 0, atol: 0))
                    differing++;
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        Assert.Equal(0, differing);
    }

    [Fact]
    public void TheAnalysisFindsTorchSharpsTemporaryScalarsInItsOperatorsAndNotInItsScalarOverloads()
    {
        Type tensor = typeof(torch.Tensor);

        Assert.Contains(tensor.GetMethod("op_Addition", [tensor, tensor])!, Unsafe.Value);  // add(t, 1): alpha
        Assert.Contains(tensor.GetMethod("op_Multiply", [tensor, typeof(float)])!, Unsafe.Value);
        Assert.Contains(tensor.GetMethod("square", Type.EmptyTypes)!, Unsafe.Value);  // pow(2)
        Assert.DoesNotContain(tensor.GetMethod("op_Multiply", [tensor, typeof(Scalar)])!, Unsafe.Value);
        Assert.DoesNotContain(tensor.GetMethod("add", [tensor, typeof(Scalar)])!, Unsafe.Value);
        Assert.DoesNotContain(tensor.GetMethod("op_Subtraction", [tensor, tensor])!, Unsafe.Value);
    }

    [Fact]
    public void ACallIsSafeOnlyWithAScalarKeptInAStaticFieldOrAUsingVariable()
    {
        string[] Calls(string name) => [.. UnsafeCalls(typeof(Examples).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!)];

        Assert.Equal(["TorchSharp.Scalar::op_Implicit(Single) not kept"], Calls(nameof(Examples.Converted)));
        Assert.Equal(["TorchSharp.ScalarExtensionMethods::ToScalar(Single) not kept"], Calls(nameof(Examples.LocalNotDisposed)));
        Assert.Equal(["TorchSharp.ScalarExtensionMethods::ToScalar(Single) not kept"], Calls(nameof(Examples.DisposedTooEarly)));
        Assert.Equal(["TorchSharp.torch+Tensor::op_Addition(Tensor, Tensor)"], Calls(nameof(Examples.Added)));
        Assert.Empty(Calls(nameof(Examples.Held)));
    }

    // TorchSharp's own histogram code makes a few Scalars it does not hold (an index set to 0, a count minus 1), and
    // nothing else writes a histogram event: with --debug, a TensorBoard epoch makes a few dozen of them, against the
    // hundreds each training batch made before this test.
    private static readonly string[] Accepted =
        ["CapsNet.Training.TensorBoardEpoch::Write(String, EpochMetrics, CapsuleNetwork, Boolean, FaultPoints) -> "
            + "TorchSharp.Modules.SummaryWriter::add_histogram(String, Tensor, Int32, HistogramBinSelector, Nullable`1, Nullable`1)"];

    [Theory]
    [InlineData("capsnet")]
    [InlineData("CapsNet.Tests")]
    public void NoCallOfOursLetsTorchSharpFreeANumberInUse(string assembly)
    {
        MethodBase[] methods = Methods(Assembly.Load(new AssemblyName(assembly))).ToArray();

        string[] calls = methods.Where(method => method.DeclaringType != typeof(Examples))
            .SelectMany(method => UnsafeCalls(method).Select(call => $"{Describe(method)} -> {call}"))
            .Distinct().Except(Accepted).Order().ToArray();

        Assert.True(methods.Length > 500, "the methods were not read");
        Assert.True(calls.Length == 0, string.Join("\n", calls));
    }

    /// <summary>Calls the analysis must refuse, and one it must accept.</summary>
    private static class Examples
    {
        private static readonly Scalar Static = 2f.ToScalar();

        internal static Tensor Converted(Tensor t) => t.div(255f);

        internal static Tensor LocalNotDisposed(Tensor t)
        {
            Scalar scale = 255f.ToScalar();
            return t.div(scale);
        }

        internal static Tensor DisposedTooEarly(Tensor t)
        {
            Scalar scale = 255f.ToScalar();
            scale.Dispose();
            return t.div(scale);
        }

        internal static Tensor Added(Tensor t) => t + t;

        internal static Tensor Held(Tensor t)
        {
            using Scalar scale = 255f.ToScalar();
            Func<Tensor, Tensor> divided = u => u.div(scale);
            return divided(t).mul(Static).add(t, HeldScalars.One);
        }
    }

    /// <summary>The calls of <paramref name="method"/> that let a Scalar be freed in use.</summary>
    private static IEnumerable<string> UnsafeCalls(MethodBase method)
    {
        List<Instruction> instructions = Instructions(method);
        for (int i = 0; i < instructions.Count; i++)
        {
            if (instructions[i].Callee is not { } callee)
                continue;
            if (MakesScalar(callee))
            {
                if (!Kept(method, instructions, i + 1))
                    yield return $"{Describe(callee)} not kept";
            }
            else if (Unsafe.Value.Contains(Definition(callee)))
            {
                yield return Describe(callee);
            }
        }
    }

    private static bool MakesScalar(MethodBase method) =>
        method is ConstructorInfo { DeclaringType: var type } ? type == typeof(Scalar) : ((MethodInfo)method).ReturnType == typeof(Scalar);

    /// <summary>
    /// The new Scalar stored by the instruction at <paramref name="store"/> goes into a static field, or into a local (or
    /// a lambda's captured local) that a finally clause starting right after the store disposes: a <c>using</c> variable.
    /// </summary>
    private static bool Kept(MethodBase method, List<Instruction> instructions, int store)
    {
        if (store + 1 >= instructions.Count)
            return false;
        if (instructions[store].Code == OpCodes.Stsfld)
            return true;
        if (instructions[store].Stored is not { } place)
            return false;
        int tryStart = instructions[store + 1].Offset;
        return method.GetMethodBody()!.ExceptionHandlingClauses.Any(clause =>
            clause.Flags == ExceptionHandlingClauseOptions.Finally && clause.TryOffset == tryStart
            && instructions.Zip(instructions.Skip(1)).Any(pair => pair.First.Offset >= clause.HandlerOffset
                && pair.Second.Offset < clause.HandlerOffset + clause.HandlerLength
                && Equals(pair.First.Loaded, place) && pair.Second.Callee?.Name == nameof(IDisposable.Dispose)));
    }

    /// <summary>
    /// TorchSharp's methods that make a Scalar they do not keep (and do not return), and those that call one of them
    /// or take its address. Calls through virtual methods to overrides are not followed.
    /// </summary>
    private static HashSet<MethodBase> UnsafeTorchSharpMethods()
    {
        var callers = new Dictionary<MethodBase, List<MethodBase>>();
        var unsafeMethods = new HashSet<MethodBase>();
        foreach (MethodBase method in Methods(typeof(torch).Assembly))
        {
            List<Instruction> instructions = Instructions(method);
            bool returnsIt = method is MethodInfo { ReturnType: var returned } && returned == typeof(Scalar);
            if (!returnsIt && instructions.Where((instruction, i) => instruction.Callee is { } callee && MakesScalar(callee)
                    && !Kept(method, instructions, i + 1)).Any())
                unsafeMethods.Add(Definition(method));
            foreach (MethodBase callee in instructions.Select(instruction => instruction.Callee).OfType<MethodBase>().Select(Definition))
            {
                callers.TryAdd(callee, []);
                callers[callee].Add(Definition(method));
            }
        }
        var pending = new Queue<MethodBase>(unsafeMethods);
        while (pending.TryDequeue(out MethodBase? method))
        {
            foreach (MethodBase caller in callers.GetValueOrDefault(method, []))
            {
                if (unsafeMethods.Add(caller))
                    pending.Enqueue(caller);
            }
        }
        return unsafeMethods;
    }
}

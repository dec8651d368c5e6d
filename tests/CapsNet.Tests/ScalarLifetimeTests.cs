using System.Reflection;
using System.Reflection.Emit;
using CapsNet.Model;
using TorchSharp;
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
/// call), and every call of ours to one of them or that makes a Scalar it does not keep in a static field or a
/// <c>using</c> variable.
/// </summary>
[Collection(CollectionStormCollection.Name)]
public sealed class ScalarLifetimeTests
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!).ToDictionary(code => code.Value);

    private static readonly Lazy<HashSet<MethodBase>> Unsafe = new(UnsafeTorchSharpMethods);

    // Before the Scalars were held, about one in 4,000 operations with a number failed while another thread collected
    // without pause ("Unknown scalar type", or "Expected false to be true" from c10's toDouble), and a wrong value can
    // pass unnoticed: the capsule non-linearity and the margin loss, 20,000 times each, give their first result every time.
    [Fact]
    public void SquashAndMarginLossGiveTheSameNumbersWhileAnotherThreadCollectsGarbage()
    {
        using var s = randn([4, 10, 16], generator: new Generator(3));
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
    public void TheAnalysisFindsTorchSharpsTemporaryScalarsAndOnlyThose()
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
        Assert.Equal(["TorchSharp.torch+Tensor::op_Addition(Tensor, Tensor)"], Calls(nameof(Examples.Added)));
        Assert.Empty(Calls(nameof(Examples.Held)));
    }

    // TorchSharp's own histogram code makes a few Scalars it does not hold (an index set to 0, a count minus 1), and
    // nothing else builds a histogram event: a TensorBoard epoch makes about fifty of them, against the hundreds each
    // training batch made before this test.
    private static readonly string[] Accepted =
        ["CapsNet.Training.TensorBoardEpoch::Write(String, EpochMetrics, CapsuleNetwork, Boolean, FaultPoints) -> "
            + "TorchSharp.Modules.SummaryWriter::add_histogram(String, Tensor, Int32, HistogramBinSelector, Nullable`1, Nullable`1)"];

    [Theory]
    [InlineData("capsnet")]
    [InlineData("CapsNet.Tests")]
    public void NoCallOfOursLetsTorchSharpFreeANumberInUse(string assembly)
    {
        Assembly ours = Assembly.Load(new AssemblyName(assembly));

        string[] calls = Methods(ours).Where(method => method.DeclaringType != typeof(Examples))
            .SelectMany(method => UnsafeCalls(method).Select(call => $"{Describe(method)} -> {call}"))
            .Distinct().Except(Accepted).Order().ToArray();

        Assert.True(Methods(ours).Count() > 500, "the methods were not read");
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
        var instructions = Instructions(method).ToList();
        for (int i = 0; i < instructions.Count; i++)
        {
            if (instructions[i].Callee is not { } callee)
                continue;
            if (MakesScalar(callee))
            {
                if (!Kept(instructions, i + 1))
                    yield return $"{Describe(callee)} not kept";
            }
            else if (Unsafe.Value.Contains(Definition(callee)))
            {
                yield return Describe(callee);
            }
        }
    }

    /// <summary>
    /// A new Scalar at <paramref name="next"/> goes into a static field, or into a local (or a lambda's captured local)
    /// that is disposed: a <c>using</c> variable.
    /// </summary>
    private static bool Kept(List<Instruction> instructions, int next)
    {
        if (next >= instructions.Count)
            return false;
        if (instructions[next].Code == OpCodes.Stsfld)
            return true;
        return instructions[next].Stored is { } place && instructions.Zip(instructions.Skip(1))
            .Any(pair => Equals(pair.First.Loaded, place) && pair.Second.Callee?.Name == nameof(IDisposable.Dispose));
    }

    private static bool MakesScalar(MethodBase method) =>
        (method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit")
        || (method.DeclaringType == typeof(ScalarExtensionMethods) && method.Name == nameof(ScalarExtensionMethods.ToScalar));

    /// <summary>
    /// TorchSharp's methods that make a Scalar without disposing of it, and those that call one of them.
    /// </summary>
    private static HashSet<MethodBase> UnsafeTorchSharpMethods()
    {
        var callers = new Dictionary<MethodBase, List<MethodBase>>();
        var unsafeMethods = new HashSet<MethodBase>();
        foreach (MethodBase method in Methods(typeof(torch).Assembly))
        {
            MethodBase[] callees = Instructions(method).Select(instruction => instruction.Callee).OfType<MethodBase>().Select(Definition)
                .ToArray();
            bool disposes = callees.Any(callee => callee.DeclaringType == typeof(Scalar) && callee.Name == nameof(Scalar.Dispose));
            if (callees.Any(MakesScalar) && !disposes && !MakesScalar(method))
                unsafeMethods.Add(Definition(method));
            foreach (MethodBase callee in callees)
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

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<MethodBase> Methods(Assembly assembly) => assembly.GetTypes()
        .SelectMany(type => type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)));

    private static MethodBase Definition(MethodBase method) => method is MethodInfo { IsGenericMethod: true } generic
        ? generic.GetGenericMethodDefinition()
        : method.DeclaringType is { IsGenericType: true } type && !type.IsGenericTypeDefinition
            ? MethodBase.GetMethodFromHandle(method.MethodHandle, type.GetGenericTypeDefinition().TypeHandle)!
            : method;

    private static string Describe(MethodBase method) =>
        $"{method.DeclaringType?.FullName}::{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    /// <summary>An instruction: the method it calls, the local (an int) or field it stores to or loads from.</summary>
    private sealed record Instruction(OpCode Code, MethodBase? Callee, object? Stored, object? Loaded);

    /// <summary>The instructions of a method body.</summary>
    private static IEnumerable<Instruction> Instructions(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        Type[] typeArguments = method.DeclaringType is { IsGenericType: true } type ? type.GetGenericArguments() : [];
        Type[] methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : [];
        for (int at = 0; at < il.Length;)
        {
            OpCode code = OpCodesByValue[il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at]];
            at += code.Size;
            int operand = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => il[at],
                OperandType.InlineVar => BitConverter.ToUInt16(il, at),
                OperandType.InlineI8 or OperandType.InlineR => 0,
                _ => BitConverter.ToInt32(il, at),
            };
            MethodBase? callee = code == OpCodes.Call || code == OpCodes.Callvirt || code == OpCodes.Newobj
                ? method.Module.ResolveMethod(operand, typeArguments, methodArguments)
                : null;
            FieldInfo? field = code == OpCodes.Stfld || code == OpCodes.Ldfld
                ? method.Module.ResolveField(operand, typeArguments, methodArguments)
                : null;
            yield return new Instruction(code, callee, code == OpCodes.Stfld ? field : Local(code, operand, store: true),
                code == OpCodes.Ldfld ? field : Local(code, operand, store: false));
            at += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * operand,
                _ => 4,
            };
        }
    }

    private static int? Local(OpCode code, int operand, bool store) => store
        ? code == OpCodes.Stloc_0 ? 0 : code == OpCodes.Stloc_1 ? 1 : code == OpCodes.Stloc_2 ? 2 : code == OpCodes.Stloc_3 ? 3
            : code == OpCodes.Stloc_S || code == OpCodes.Stloc ? operand : null
        : code == OpCodes.Ldloc_0 ? 0 : code == OpCodes.Ldloc_1 ? 1 : code == OpCodes.Ldloc_2 ? 2 : code == OpCodes.Ldloc_3 ? 3
            : code == OpCodes.Ldloc_S || code == OpCodes.Ldloc ? operand : null;
}

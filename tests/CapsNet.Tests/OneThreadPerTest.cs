using System.Runtime.CompilerServices;
using CapsNet.Native;

namespace CapsNet.Tests;

/// <summary>
/// xUnit runs as many tests at once as there are cores, and many of them train, in this process or in a child
/// process of the program: with libtorch's default of one thread per core, each test's threads would wait for the
/// others' on every operation. One thread each keeps the cores busy with arithmetic.
/// </summary>
internal static class OneThreadPerTest
{
    /// <summary>The environment variable libtorch reads for its default thread count in a child process.</summary>
    public const string ChildVariable = "OMP_NUM_THREADS";

#pragma warning disable CA2255  // a test assembly, not a library: the setting must precede every test
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.SetThreads(1);
#pragma warning restore CA2255
}

/// <summary>
/// Tests that set libtorch's thread count for a while, and tests that read it from the program's output: never side
/// by side, since the count is one for the whole process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ThreadCountCollection
{
    public const string Name = "libtorch's thread count";
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CapsNet.Tests;

/// <summary>Runs the real command-line program (the build copied next to the tests) as a child process.</summary>
internal sealed class CapsNetProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    // A shell without job control starts background jobs with SIGINT ignored, and an ignored signal stays
    // ignored in every child: CI may run us that way. The children must see SIGINT and SIGTERM as a terminal
    // user's program would, so an inherited "ignore" is reset here, before any child starts.
    static CapsNetProcess()
    {
        foreach (int signal in new[] { 2, 15 })
        {
            IntPtr previous = SetSignalHandler(signal, SignalDefault);
            if (previous != SignalIgnore)
                SetSignalHandler(signal, previous);
        }
    }

    private CapsNetProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "capsnet.dll"));
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment[OneThreadPerTest.ChildVariable] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static CapsNetProcess Start(params string[] args) => new(args);

    /// <summary>
    /// Runs until the program pauses at fault point <paramref name="point"/> (see <c>FaultPoints</c>), kills it
    /// there with SIGKILL and returns its output; fails if it ends without reaching the point.
    /// </summary>
    public static string KillAt(string point, params string[] args)
    {
        using var process = StartPausedAt(point, args);
        process.Kill();
        return process.Stdout + process.Stderr;
    }

    /// <summary>Starts the program and returns once it is paused at fault point <paramref name="point"/>.</summary>
    public static CapsNetProcess StartPausedAt(string point, params string[] args)
    {
        var process = new CapsNetProcess(args, new Dictionary<string, string> { [FaultPoints.Variable] = point });
        try
        {
            process.WaitForOutput($"fault point paused: {point}", TimeSpan.FromMinutes(10));
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the program with SIGKILL, as the OOM killer or a power cut would stop it, and waits for the end.</summary>
    public void Kill()
    {
        Signal(Sigkill);
        WaitForExit(TimeSpan.FromMinutes(1));
    }

    /// <summary>Runs to the end with fault points listed on stderr; returns the exit code and the points in order.</summary>
    public static (int ExitCode, string[] Points, string Output) RunListingFaultPoints(params string[] args)
    {
        using var process = new CapsNetProcess(args, new Dictionary<string, string> { [FaultPoints.Variable] = "list" });
        int exitCode = process.WaitForExit(TimeSpan.FromMinutes(10));
        string[] points = process.Stderr.Split('\n')
            .Where(line => line.StartsWith("fault point: ", StringComparison.Ordinal))
            .Select(line => line["fault point: ".Length..].TrimEnd('\r'))
            .ToArray();
        return (exitCode, points, process.Stdout + process.Stderr);
    }

    /// <summary>
    /// Runs to the end, reading the process's peak resident memory (VmHWM, which only grows) as it goes: the last
    /// reading before it ends is its peak but for the last few milliseconds.
    /// </summary>
    public static (int ExitCode, string Stderr, long PeakBytes) RunMeasuringPeak(params string[] args)
    {
        using var process = new CapsNetProcess(args);
        long peak = 0;
        using var done = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            string status = $"/proc/{process._process.Id}/status";
            while (!done.IsCancellationRequested)
            {
                try
                {
                    string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                    if (line is not null)
                        peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024);
                }
                catch (IOException)
                {
                    return;  // the process has ended
                }
                await Task.Delay(20);
            }
        });
        int exitCode = process.WaitForExit(TimeSpan.FromMinutes(10));
        done.Cancel();
        reader.Wait();
        return (exitCode, process.Stderr, peak);
    }

    /// <summary>Runs to the end and returns exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => RunIn(RepoPaths.Root, args);

    /// <summary>Runs to the end in <paramref name="workingDirectory"/>, where a data/NAME folder is looked for first.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunIn(string workingDirectory, params string[] args)
    {
        using var process = new CapsNetProcess(args, workingDirectory: workingDirectory);
        int exitCode = process.WaitForExit(TimeSpan.FromMinutes(10));
        return (exitCode, process.Stdout, process.Stderr);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"capsnet did not finish within {timeout}. Output so far:\n{Stdout}\n{Stderr}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until standard output or standard error contains <paramref name="text"/>.</summary>
    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Stdout.Contains(text, StringComparison.Ordinal) && !Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > timeout)
                throw new TimeoutException($"capsnet never printed '{text}'. Output:\n{Stdout}\n{Stderr}");
            Thread.Sleep(100);
        }
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.AppendLine(line);
    }

    private const int Sigkill = 9;

    private static readonly IntPtr SignalDefault = 0;
    private static readonly IntPtr SignalIgnore = 1;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr SetSignalHandler(int signal, IntPtr handler);
}

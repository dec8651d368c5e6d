namespace CapsNet;

/// <summary>
/// Named moments of a training run (a batch done, a file written but not yet renamed, ...) where the fault-injection
/// tests kill the process. The program makes one from <c>CAPSNET_FAULT_POINTS</c> and hands it to the run; without
/// the variable it is <see cref="None"/>. With it, each point reached is written to the error output as
/// <c>fault point: STAGE/POINT</c>, and when the variable names that point the run writes
/// <c>fault point paused: STAGE/POINT</c> and waits there to be killed. Any other value (<c>list</c>) only writes.
/// </summary>
internal sealed class FaultPoints
{
    public const string Variable = "CAPSNET_FAULT_POINTS";

    public static readonly FaultPoints None = new(target: null, TextWriter.Null);

    private readonly string? _target;
    private readonly TextWriter _error;

    public FaultPoints(string? target, TextWriter error)
    {
        _target = target;
        _error = error;
    }

    public static FaultPoints FromEnvironment(TextWriter error) =>
        Environment.GetEnvironmentVariable(Variable) is string target ? new FaultPoints(target, error) : None;

    /// <summary>Where the run is ("start", "epoch 2", "end"), so that a point's name is unique over the run.</summary>
    public string Stage { get; set; } = "start";

    public void Reach(string point)
    {
        if (_target is null)
            return;
        string name = $"{Stage}/{point}";
        _error.WriteLine($"fault point: {name}");
        if (name != _target)
            return;
        _error.WriteLine($"fault point paused: {name}");
        _error.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}

namespace CapsNet;

/// <summary>
/// Named moments of a training run (a batch done, a file written but not yet renamed, ...) where the fault-injection
/// test kills the process. Off unless <c>CAPSNET_FAULT_POINTS</c> is set: then each point reached is printed to
/// stderr as <c>fault point: STAGE/POINT</c>, and when the variable names that point the process prints
/// <c>fault point paused: STAGE/POINT</c> and waits there to be killed. Any other value (<c>list</c>) only prints.
/// </summary>
public static class FaultPoint
{
    public const string Variable = "CAPSNET_FAULT_POINTS";

    private static readonly string? Target = Environment.GetEnvironmentVariable(Variable);

    /// <summary>Where the run is ("start", "epoch 2", "end"), so that a point's name is unique over the run.</summary>
    public static string Stage { get; set; } = "start";

    public static void Reach(string point)
    {
        if (Target is null)
            return;
        string name = $"{Stage}/{point}";
        Console.Error.WriteLine($"fault point: {name}");
        if (name != Target)
            return;
        Console.Error.WriteLine($"fault point paused: {name}");
        Console.Error.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}

using CapsNet.Cli;

namespace CapsNet.Tests.Cli;

public sealed class ResumeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string[] Given = ["train", "--epochs", "50", "--save_dir", "my runs/one"];

    [Fact]
    public void ABuildInsideTheSourceTreeIsRunAgainThroughDotnetRun()
    {
        string project = Directory.CreateDirectory(_dir.File("repo/src/CapsNet")).FullName;
        File.WriteAllText(Path.Combine(project, "CapsNet.csproj"), "<Project />");
        string build = Directory.CreateDirectory(Path.Combine(project, "bin/Release/net10.0")).FullName;

        Assert.Equal("dotnet run --project src/CapsNet -c Release -- train --epochs 50 --save_dir 'my runs/one' --resume",
            ResumeCommand.Format(Given, build, Path.Combine(build, "capsnet")));
    }

    [Fact]
    public void APublishedAppIsRunAgainAsItself()
    {
        string app = Directory.CreateDirectory(_dir.File("runs/app")).FullName;

        Assert.Equal($"{app}/capsnet train --epochs 50 --save_dir 'my runs/one' --resume",
            ResumeCommand.Format(Given, app, Path.Combine(app, "capsnet")));
    }

    [Fact]
    public void ADllStartedByDotnetIsRunAgainByDotnet()
    {
        string app = Directory.CreateDirectory(_dir.File("runs/app")).FullName;

        Assert.Equal($"dotnet {app}/capsnet.dll --epochs 3 --resume",
            ResumeCommand.Format(["--epochs", "3"], app, "/usr/share/dotnet/dotnet"));
        Assert.Equal($"dotnet {app}/capsnet.dll --epochs 3 --resume",  // the executable could not be told
            ResumeCommand.Format(["--epochs", "3"], app, processPath: null));
    }

    [Fact]
    public void ResumeIsGivenOnce()
    {
        string app = Directory.CreateDirectory(_dir.File("app")).FullName;

        Assert.Equal($"{app}/capsnet --epochs 3 --resume",
            ResumeCommand.Format(["--resume", "--epochs", "3"], app, Path.Combine(app, "capsnet")));
    }
}

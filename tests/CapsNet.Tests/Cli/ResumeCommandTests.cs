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

        string repo = _dir.File("repo");
        Assert.Equal("dotnet run --project src/CapsNet -c Release -- train --epochs 50 --save_dir 'my runs/one' --resume",
            ResumeCommand.Format(Given, resume: true, build, Path.Combine(build, "capsnet"), workingFolder: repo));
        // Typed anywhere else, the command names the project by its full path, which works from there.
        Assert.Equal($"dotnet run --project {repo}/src/CapsNet -c Release -- train --epochs 50 --save_dir 'my runs/one' --resume",
            ResumeCommand.Format(Given, resume: true, build, Path.Combine(build, "capsnet"), workingFolder: _dir.Path));
    }

    [Fact]
    public void APublishedAppIsRunAgainAsItself()
    {
        string app = Directory.CreateDirectory(_dir.File("runs/app")).FullName;

        Assert.Equal($"{app}/capsnet train --epochs 50 --save_dir 'my runs/one' --resume",
            ResumeCommand.Format(Given, resume: true, app, Path.Combine(app, "capsnet"), _dir.Path));
    }

    [Fact]
    public void ADllStartedByDotnetIsRunAgainByDotnet()
    {
        string app = Directory.CreateDirectory(_dir.File("runs/app")).FullName;

        Assert.Equal($"dotnet {app}/capsnet.dll --epochs 3 --resume",
            ResumeCommand.Format(["--epochs", "3"], resume: true, app, "/usr/share/dotnet/dotnet", _dir.Path));
        Assert.Equal($"dotnet {app}/capsnet.dll --epochs 3 --resume",  // the executable could not be told
            ResumeCommand.Format(["--epochs", "3"], resume: true, app, processPath: null, _dir.Path));
    }

    [Fact]
    public void ResumeIsGivenOnceAndLeftOutWhenThereIsNothingToResume()
    {
        string app = Directory.CreateDirectory(_dir.File("app")).FullName;

        Assert.Equal($"{app}/capsnet --epochs 3 --resume",
            ResumeCommand.Format(["--resume", "--epochs", "3"], resume: true, app, Path.Combine(app, "capsnet"), _dir.Path));
        Assert.Equal($"{app}/capsnet --epochs 3",
            ResumeCommand.Format(["--resume", "--epochs", "3"], resume: false, app, Path.Combine(app, "capsnet"), _dir.Path));
    }
}

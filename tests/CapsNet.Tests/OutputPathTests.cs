using System.Diagnostics;
using System.Net.Sockets;

namespace CapsNet.Tests;

/// <summary>
/// Outputs that exist and are not regular files are refused whole; links to regular files are written through.
/// Every node is made in the test's own folder (mkfifo, mknod, a bound socket, ln -s), never a system path.
/// </summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Nodes => new()
    {
        { "mkfifo '{0}'", "a FIFO (named pipe)" },
        { "mknod '{0}' c 1 3", "a character device" },  // the null device's numbers, made here
        { "mknod '{0}' b 240 0", "a block device" },  // a number of the range kept for local use: no driver behind it
        { "mkdir '{0}'", "a folder" },
        { "socket", "a socket" },
    };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void AnOutputThatIsNotARegularFileIsRefusedAndLeftAsItIs(string make, string what)
    {
        string path = _dir.File("model.onnx");
        using Socket? socket = Make(make, path);
        FileNode before = FileNode.Of(path, followLinks: false)!.Value;

        var error = Assert.Throws<UserInputException>(() => AtomicFile.WriteAllText(path, "replaced"));

        Assert.Equal($"Cannot write '{path}': it is {what}, not a regular file, and is left as it is. Name a file to write.",
            error.Message);
        Assert.Equal(before, FileNode.Of(path, followLinks: false));
        Assert.Equal(["model.onnx"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public void ALinkToOneIsRefusedAndBothStay(string make, string what)
    {
        string target = _dir.File("node"), link = _dir.File("model.onnx");
        using Socket? socket = Make(make, target);
        FileNode before = FileNode.Of(target, followLinks: false)!.Value;
        File.CreateSymbolicLink(link, "node");

        var error = Assert.Throws<UserInputException>(() => AtomicFile.WriteAllText(link, "replaced"));

        Assert.Equal($"Cannot write '{link}': it is a symbolic link to {what} ('{target}'), not a regular file, and is left as it is. " +
            "Name a file to write.",
            error.Message);
        Assert.Equal(before, FileNode.Of(target, followLinks: false));
        Assert.Equal("node", new FileInfo(link).LinkTarget);
        Assert.Equal(2, Directory.GetFileSystemEntries(_dir.Path).Length);
    }

    [Fact]
    public void ALinkToARegularFileIsWrittenThroughAndStaysALink()
    {
        Directory.CreateDirectory(_dir.File("models"));
        string target = _dir.File("models/v4.pt"), link = _dir.File("latest.pt"), chain = _dir.File("current.pt");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, "models/v4.pt");
        File.CreateSymbolicLink(chain, "latest.pt");

        AtomicFile.WriteAllText(chain, "new");

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal("latest.pt", new FileInfo(chain).LinkTarget);
        Assert.Equal("models/v4.pt", new FileInfo(link).LinkTarget);
        Assert.Equal(["v4.pt"], Directory.GetFileSystemEntries(_dir.File("models")).Select(Path.GetFileName));
    }

    [Fact]
    public void ALinkToNothingYetMakesItsTarget()
    {
        string link = _dir.File("predictions.csv");
        File.CreateSymbolicLink(link, "kept/predictions-1.csv");
        Directory.CreateDirectory(_dir.File("kept"));

        AtomicFile.WriteAllText(link, "a,b\n");

        Assert.Equal("a,b\n", File.ReadAllText(_dir.File("kept/predictions-1.csv")));
        Assert.Equal(FileKind.SymbolicLink, FileNode.Of(link, followLinks: false)!.Value.Kind);
    }

    [Fact]
    public void AnOutputThatIsAnInputUnderAnyNameIsRefused()
    {
        string input = _dir.File("trained_model.h5");
        File.WriteAllText(input, "keras");
        Sh($"ln '{input}' '{_dir.File("hard.h5")}' && ln -s trained_model.h5 '{_dir.File("soft.h5")}' && mkdir '{_dir.File("sub")}'");
        string spelled = Path.Combine(_dir.Path, "sub", "..", "trained_model.h5");

        foreach (string output in new[] { input, _dir.File("hard.h5"), _dir.File("soft.h5"), spelled })
        {
            var error = Assert.Throws<UserInputException>(() => OutputPath.EnsureNotInput(output, input));
            Assert.Equal($"The output '{output}' is the input '{input}': writing it would replace what is being read. Name another output.",
                error.Message);
        }
        OutputPath.EnsureNotInput(_dir.File("trained_model.pt"), input);
        File.WriteAllText(_dir.File("other.h5"), "keras");
        OutputPath.EnsureNotInput(_dir.File("other.h5"), input);
        Assert.Equal("keras", File.ReadAllText(input));
    }

    [Fact]
    public void TwoOutputsThatAreOneFileAreRefused()
    {
        // convert a.h5 x.json: the weights x.json and their description x.json.
        string weights = _dir.File("x.json");
        Directory.CreateDirectory(_dir.File("real"));
        File.CreateSymbolicLink(_dir.File("alias"), "real");

        var error = Assert.Throws<UserInputException>(() => OutputPath.EnsureDistinct(weights, "the weights", weights,
            "their .json description"));

        Assert.Equal($"'{weights}' would be written twice, as the weights and as their .json description, the second replacing the " +
            "first. " +
            "Give the weights another name.", error.Message);
        Assert.True(OutputPath.SameFile(_dir.File("real/x.pt"), _dir.File("alias/x.pt")), "one folder by two names");
        Assert.False(OutputPath.SameFile(_dir.File("x.pt"), _dir.File("x.json")));
        OutputPath.EnsureDistinct(_dir.File("x.pt"), "the weights", _dir.File("x.json"), "their .json description");
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void AnOutputInAFolderThatCannotBeSearchedIsNamedWithTheSystemsReason()
    {
        string locked = _dir.File("locked");
        Directory.CreateDirectory(locked);
        string path = Path.Combine(locked, "predictions.csv");
        Sh($"chmod 755 '{_dir.Path}' && chmod 000 '{locked}'");
        try
        {
            var error = Unprivileged.Run(() => Assert.Throws<UserInputException>(() => AtomicFile.WriteAllText(path, "a,b\n")));

            Assert.Equal($"Could not write '{path}': Permission denied.", error.Message);
        }
        finally
        {
            Sh($"chmod 755 '{locked}'");
        }
        Assert.Empty(Directory.GetFileSystemEntries(locked));
    }

    [Fact]
    public void AnOutputFolderThatCannotBeWrittenIsNamedWithTheSystemsReasonNotTheProbesName()
    {
        string locked = _dir.File("locked");
        Directory.CreateDirectory(locked);
        string file = _dir.File("file");
        File.WriteAllText(file, "");
        Sh($"chmod 755 '{_dir.Path}' && chmod 555 '{locked}'");
        try
        {
            var denied = Unprivileged.Run(() => Assert.Throws<OutputFolderException>(() => OutputFolder.Prepare(locked)));
            var underFile = Assert.Throws<OutputFolderException>(() => OutputFolder.Prepare(Path.Combine(file, "sub")));
            var inProc = Assert.Throws<OutputFolderException>(() => OutputFolder.Prepare("/proc"));

            Assert.Equal("is not writable: permission denied.", denied.Problem);
            Assert.Equal("is not writable: nothing can be created there.", underFile.Problem);  // .NET reports ENOTDIR as not found
            Assert.Equal("is not writable: nothing can be created there.", inProc.Problem);
        }
        finally
        {
            Sh($"chmod 755 '{locked}'");
        }
    }

    private static Socket? Make(string make, string path)
    {
        if (make != "socket")
        {
            Sh(string.Format(make, path));
            return null;
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    internal static void Sh(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"'{command}' failed: {error}");
    }
}

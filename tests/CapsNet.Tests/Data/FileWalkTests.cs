using CapsNet.Data;

namespace CapsNet.Tests.Data;

/// <summary>Each test makes its own folders and links in a temp folder.</summary>
public sealed class FileWalkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.File("pictures");

    private string In(string relative) => Path.Combine(Root, relative);

    private void Files(params string[] relatives)
    {
        foreach (string relative in relatives)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(In(relative))!);
            File.WriteAllText(In(relative), relative);
        }
    }

    /// <summary>The walk, on a thread of its own that must finish within a minute: the loops it meets hung the old search.</summary>
    private static FileWalk Walk(string root, Func<string, bool>? include = null)
    {
        var walk = Task.Factory.StartNew(() => FileWalk.Under(root, include), TaskCreationOptions.LongRunning);
        Assert.True(walk.Wait(TimeSpan.FromMinutes(1)), "the walk did not finish");
        return walk.Result;
    }

    [Fact]
    public void TwoLinksIntoEachOthersFoldersAreFollowedOnceEach()
    {
        Files("a/1.png", "b/2.png");
        Directory.CreateSymbolicLink(In("a/to-b"), "../b");
        Directory.CreateSymbolicLink(In("b/to-a"), "../a");

        FileWalk walk = Walk(Root);

        Assert.Equal([In("a/1.png"), In("b/2.png")], walk.Files);
        Assert.Equal([$"'{In("a/to-b")}' leads to '{In("b")}', found already; not searched twice",
            $"'{In("b/to-a")}' leads to '{In("a")}', found already; not searched twice"], walk.Warnings);
        Assert.Empty(walk.Unreadable);
    }

    [Fact]
    public void ALinkBackUpIsALoopFollowedNever()
    {
        // The old search found the picture 41 times, once for each depth it could go to.
        Files("1.png", "digits/7.png");
        Directory.CreateSymbolicLink(In("digits/up"), "..");

        FileWalk walk = Walk(Root);

        Assert.Equal([In("1.png"), In("digits/7.png")], walk.Files);
        Assert.Equal([$"'{In("digits/up")}' leads back to '{Root}', which holds it; not followed"], walk.Warnings);
    }

    [Fact]
    public void LinksToFoldersElsewhereAreFollowedAndEachRealFolderSearchedOnce()
    {
        string elsewhere = _dir.File("elsewhere");
        Directory.CreateDirectory(Path.Combine(elsewhere, "deeper"));
        File.WriteAllText(Path.Combine(elsewhere, "deeper", "3.jpg"), "3");
        Files("1.png");
        Directory.CreateSymbolicLink(In("here"), elsewhere);
        Directory.CreateSymbolicLink(In("zz-again"), elsewhere);
        Directory.CreateSymbolicLink(In("linked-root"), Root);
        File.CreateSymbolicLink(In("2.png"), "1.png");  // a link to a file is a file, as before

        FileWalk walk = Walk(Root);

        Assert.Equal([In("1.png"), In("2.png"), In("here/deeper/3.jpg")], walk.Files);
        Assert.Equal([$"'{In("linked-root")}' leads back to '{Root}', which holds it; not followed",
            $"'{In("zz-again")}' leads to '{In("here")}', found already; not searched twice"], walk.Warnings);
    }

    [Fact]
    public void AnUnreadableFolderIsNamedAndTheRestSearched()
    {
        Files("1.png", "private/2.png", "z/3.png");
        // The temp folder is the test user's alone (0700); the others may read the rest.
        OutputPathTests.Sh($"chmod 755 '{_dir.Path}' && chmod 000 '{In("private")}'");
        try
        {
            FileWalk walk = Unprivileged.Run(() => FileWalk.Under(Root));

            Assert.Equal([In("1.png"), In("z/3.png")], walk.Files);
            Assert.Equal([(In("private"), "folder cannot be read (permission denied)")], walk.Unreadable);
            Assert.Empty(walk.Warnings);
        }
        finally
        {
            OutputPathTests.Sh($"chmod 755 '{In("private")}'");
        }
    }

    [Fact]
    public void LinksThatLeadNowhereOrInACircleAreKeptAsFilesForTheReaderToRefuse()
    {
        Files("1.png");
        File.CreateSymbolicLink(In("gone.png"), "missing.png");
        File.CreateSymbolicLink(In("self.png"), "self.png");
        File.WriteAllText(In(".hidden.png"), "");

        FileWalk walk = Walk(Root, name => !name.StartsWith('.'));

        Assert.Equal([In("1.png"), In("gone.png"), In("self.png")], walk.Files);
        Assert.Empty(walk.Warnings);
        Assert.Empty(walk.Unreadable);
    }

    [Fact]
    public void ARootThatIsALinkIsSearchedAndOneThatIsNotThereGivesNothing()
    {
        Files("sub/1.png");
        string link = _dir.File("link");
        Directory.CreateSymbolicLink(link, Root);

        Assert.Equal([Path.Combine(link, "sub", "1.png")], Walk(link).Files);
        FileWalk missing = Walk(_dir.File("absent"));
        Assert.Empty(missing.Files);
        Assert.Empty(missing.Unreadable);
    }
}

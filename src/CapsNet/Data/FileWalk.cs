using System.IO.Enumeration;

namespace CapsNet.Data;

/// <summary>
/// The files under a folder, searched recursively and following symbolic links to folders, but each real folder
/// once (by its device and inode, <see cref="FileNode"/>): .NET's own recursive search follows two links that point
/// at each other's folders for ever, and a link back to a folder above it dozens of times. A link to a folder
/// found already is skipped with a warning; a folder that cannot be read is reported and skipped. Nothing is
/// printed: the caller says what it makes of the warnings and problems.
/// </summary>
internal sealed class FileWalk
{
    private static readonly EnumerationOptions OneFolder = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,  // hidden folders are searched, as Directory.EnumerateFiles searched them
        ReturnSpecialDirectories = false,
    };

    private readonly Func<string, bool> _include;
    private readonly List<string> _files = [];
    private readonly List<string> _warnings = [];
    private readonly List<(string Path, string Problem)> _unreadable = [];
    private readonly Dictionary<string, string> _searched = [];  // identity -> the path it is searched under

    private FileWalk(Func<string, bool> include)
    {
        _include = include;
    }

    /// <summary>The files found, in ordinal order of their paths (spelled from the root as given).</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>
    /// Links to folders not followed, one line each: "'a/b/up' leads back to 'a', which holds it; not followed", or
    /// "'a/again' leads to 'a/b', found already; not searched twice".
    /// </summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Folders that could not be read, each with the reason; their files are missing from <see cref="Files"/>.</summary>
    public IReadOnlyList<(string Path, string Problem)> Unreadable => _unreadable;

    /// <summary>
    /// Searches <paramref name="root"/>, a folder or a link to one, keeping the files (and links to anything but a
    /// folder) whose name <paramref name="include"/> accepts; all of them without it. Folders are searched nearest
    /// first, so a folder is found under its own name before a link deeper down that leads to it.
    /// </summary>
    public static FileWalk Under(string root, Func<string, bool>? include = null)
    {
        var walk = new FileWalk(include ?? (_ => true));
        string? identity = walk.FolderIdentity(root);
        var queue = new Queue<Folder>();
        if (identity is not null)
            walk.Enqueue(queue, new Folder(root, identity, null));
        while (queue.TryDequeue(out Folder? folder))
            walk.Search(folder, queue);
        walk._files.Sort(StringComparer.Ordinal);
        return walk;
    }

    private void Enqueue(Queue<Folder> queue, Folder folder)
    {
        _searched[folder.Identity] = folder.Path;
        queue.Enqueue(folder);
    }

    private void Search(Folder folder, Queue<Folder> queue)
    {
        List<(string Path, bool IsFolder, bool IsLink)> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<(string, bool, bool)>(folder.Path,
                (ref FileSystemEntry entry) => (entry.ToSpecifiedFullPath(), entry.IsDirectory,
                    entry.Attributes.HasFlag(FileAttributes.ReparsePoint)),
                OneFolder)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _unreadable.Add((folder.Path, Reason(e)));
            return;
        }
        foreach (var (entry, isFolder, isLink) in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            FileNode? node = isLink ? LinkTarget(entry) : null;
            if (!(isLink ? node?.Kind == FileKind.Directory : isFolder))
            {
                if (_include(Path.GetFileName(entry)))
                    _files.Add(entry);
                continue;
            }
            string? reached = node?.Identity ?? FolderIdentity(entry);
            if (reached is null)
                continue;
            Folder? holder = folder.SelfOrAbove(reached);
            if (holder is not null)
                _warnings.Add($"'{entry}' leads back to '{holder.Path}', which holds it; not followed");
            else if (_searched.TryGetValue(reached, out string? first))
                _warnings.Add($"'{entry}' leads to '{first}', found already; not searched twice");
            else
                Enqueue(queue, new Folder(entry, reached, folder));
        }
    }

    // What a link leads to; a link that leads nowhere, or round in a circle of links, is kept as a file to report when read.
    private static FileNode? LinkTarget(string link)
    {
        try
        {
            return FileNode.Of(link);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private string? FolderIdentity(string folder)
    {
        try
        {
            return FileNode.Of(folder)?.Identity;
        }
        catch (IOException e)
        {
            _unreadable.Add((folder, Reason(e)));
            return null;
        }
    }

    private static string Reason(Exception e) =>
        e is UnauthorizedAccessException ? "folder cannot be read (permission denied)" : $"folder cannot be read " +
            $"({e.Message.TrimEnd('.')})";

    /// <summary>A folder to search, the real folder it is, and the folder it was found in.</summary>
    private sealed record Folder(string Path, string Identity, Folder? Parent)
    {
        public Folder? SelfOrAbove(string identity)
        {
            for (Folder? f = this; f is not null; f = f.Parent)
                if (f.Identity == identity)
                    return f;
            return null;
        }
    }
}

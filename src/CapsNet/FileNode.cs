using System.Runtime.InteropServices;

namespace CapsNet;

/// <summary>
/// A path's kind and identity on disk: two paths name one file (through links, hard links or other spellings)
/// exactly when their identities are equal. On Linux both come from statx(2), the identity being the device and
/// inode; elsewhere from .NET, which tells only folders, links and files apart, the identity being the full path
/// with links resolved.
/// </summary>
internal readonly record struct FileNode(FileKind Kind, string Identity)
{
    /// <summary>The kind with its article, as a sentence names it: "a character device".</summary>
    public string Described => Kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO (named pipe)",
        _ => "a socket",
    };

    /// <summary>
    /// What <paramref name="path"/> names, through symbolic links unless <paramref name="followLinks"/> is false;
    /// null when nothing is there (or a link leads nowhere). Other failures (a link loop, a folder on the way that
    /// cannot be searched) are <see cref="IOException"/>s in the system's words.
    /// </summary>
    public static FileNode? Of(string path, bool followLinks = true) =>
        OperatingSystem.IsLinux() ? Statx(path, followLinks) : FromDotNet(path, followLinks);

    private static FileNode? Statx(string path, bool followLinks)
    {
        var buffer = new byte[StatxSize];
        if (Statx(CurrentFolder, path, followLinks ? 0 : NoFollow, TypeAndInode, buffer) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error is NoEntry or NotDirectory)
                return null;
            throw new IOException(Marshal.GetPInvokeErrorMessage(error));
        }
        FileKind kind = (BitConverter.ToUInt16(buffer, 28) & 0xf000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xa000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            _ => FileKind.Socket,
        };
        ulong inode = BitConverter.ToUInt64(buffer, 32);
        uint major = BitConverter.ToUInt32(buffer, 136), minor = BitConverter.ToUInt32(buffer, 140);
        return new FileNode(kind, $"{major}:{minor}:{inode}");
    }

    private static FileNode? FromDotNet(string path, bool followLinks)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            if (!followLinks)
                return new FileNode(FileKind.SymbolicLink, Path.GetFullPath(path));
            info = info.ResolveLinkTarget(returnFinalTarget: true)!;
        }
        if (!info.Exists)
            return null;
        return new FileNode(info.Attributes.HasFlag(FileAttributes.Directory) ? FileKind.Directory : FileKind.Regular,
            Path.GetFullPath(info.FullName));
    }

    // struct statx (linux/stat.h) is 256 bytes on every architecture: stx_mode at 28, stx_ino at 32, stx_dev_major/minor at 136/140.
    private const int StatxSize = 256;
    private const int CurrentFolder = -100;  // AT_FDCWD
    private const int NoFollow = 0x100;  // AT_SYMLINK_NOFOLLOW
    private const uint TypeAndInode = 0x001 | 0x100;  // STATX_TYPE | STATX_INO
    private const int NoEntry = 2;  // ENOENT
    private const int NotDirectory = 20;  // ENOTDIR

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int folder, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask,
        [Out] byte[] buffer);
}

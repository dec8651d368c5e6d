namespace CapsNet;

/// <summary>What a path names on disk, as stat(2) tells the kinds apart.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}

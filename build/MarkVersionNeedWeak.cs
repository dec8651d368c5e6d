using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Sets VER_FLG_WEAK on one version need (Elf64_Vernaux in .gnu.version_r) of 64-bit little-endian ELF files,
// in place. The file's size and modification time are kept, so incremental copies still see it as unchanged.
public class MarkVersionNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; }

    [Required]
    public string VersionName { get; set; }

    public override bool Execute()
    {
        foreach (ITaskItem item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                string result = Patch(path);
                Log.LogMessage(MessageImportance.Low, "{0}: {1} {2}", path, VersionName, result);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("Cannot mark {0} weak in {1}: {2}", VersionName, path, e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private string Patch(string path)
    {
        DateTime modified = File.GetLastWriteTimeUtc(path);
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        long sectionTable = (long)U64(elf, 0x28);
        int sectionSize = U16(elf, 0x3a);
        int sectionCount = U16(elf, 0x3c);
        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionTable + (long)s * sectionSize;
            if (U32(elf, header + 4) != ShtGnuVerneed)
                continue;

            long needs = (long)U64(elf, header + 0x18);
            long strings = (long)U64(elf, sectionTable + (long)U32(elf, header + 0x28) * sectionSize + 0x18);
            long need = needs;
            while (true)
            {
                long aux = need + U32(elf, need + 8);
                for (int a = 0; a < U16(elf, need + 2); a++)
                {
                    if (CString(elf, strings + U32(elf, aux + 8)) == VersionName)
                    {
                        ushort flags = U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                            return "already weak";
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                        File.WriteAllBytes(path, elf);
                        File.SetLastWriteTimeUtc(path, modified);
                        return "marked weak";
                    }
                    aux += U32(elf, aux + 12);
                }
                uint next = U32(elf, need + 12);
                if (next == 0)
                    break;
                need += next;
            }
        }
        return "not needed, left as is";
    }

    private static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, checked((int)at));
    private static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, checked((int)at));
    private static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, checked((int)at));

    private static string CString(byte[] b, long at)
    {
        int start = checked((int)at);
        int end = Array.IndexOf(b, (byte)0, start);
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}

namespace CapsNet.Cli;

/// <summary>Quotes a word for a POSIX shell, so a printed command can be pasted back as it is.</summary>
internal static class ShellWord
{
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || "-_./=:".Contains(c)) ? word : $"'{word.Replace("'", "'\\''")}'";
}

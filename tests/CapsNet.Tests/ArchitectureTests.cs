using System.Text.RegularExpressions;

namespace CapsNet.Tests;

/// <summary>
/// How the sources depend on one another, read from the sources themselves: a file depends on another when its code
/// (comments and strings left out) names a type the other declares at its top level (a member access such as
/// <c>x.Name</c> is not a type's name). No file depends on itself through others, and
/// so no folder (namespace) does either; every type is internal.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Source = Path.Combine(RepoPaths.Root, "src", "CapsNet");

    // Program.cs, the entry point's top-level statements, belongs to no namespace: it may use any.
    private static readonly Dictionary<string, string> Code = Directory.GetFiles(Source, "*.cs", SearchOption.AllDirectories)
        .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        .Where(path => Path.GetFileName(path) != "Program.cs")
        .ToDictionary(path => Path.GetRelativePath(Source, path), path => Strip(File.ReadAllText(path)));

    [Fact]
    public void NoFileDependsOnItselfThroughOthers()
    {
        Dictionary<string, HashSet<string>> graph = FileGraph();

        string[] cycles = Cycles(graph).Select(cycle => string.Join(" -> ", cycle)).ToArray();

        Assert.True(graph.Count > 100, $"only {graph.Count} files read");
        Assert.True(cycles.Length == 0, string.Join("\n", cycles));
    }

    [Fact]
    public void NoFolderDependsOnItselfThroughOthers()
    {
        static string Folder(string file) => Path.GetDirectoryName(file) is { Length: > 0 } folder ? folder : "(root)";
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var (file, uses) in FileGraph())
        {
            graph.TryAdd(Folder(file), []);
            graph[Folder(file)].UnionWith(uses.Select(Folder).Where(folder => folder != Folder(file)));
        }

        string[] cycles = Cycles(graph).Select(cycle => string.Join(" -> ", cycle)).ToArray();

        Assert.Equal(["(root)", "Cli", "Data", "Imaging", "Inference", "Interop", "Model", "Native", "Training"], graph.Keys.Order());
        Assert.True(cycles.Length == 0, string.Join("\n", cycles));
    }

    [Fact]
    public void EveryTypeIsInternal()
    {
        string[] exposed = Code.Where(file => PublicType().IsMatch(file.Value)).Select(file => file.Key).Order().ToArray();

        Assert.True(exposed.Length == 0, string.Join("\n", exposed));
    }

    // A resumed run's settings come from checkpoint.json read once, under the folder's lock, and are never parsed
    // again as arguments: one call reads it, and the command line is parsed in one place; the other parse reads one
    // stored value of an earlier version's flag-string checkpoint as its own option reads it.
    [Fact]
    public void TheCheckpointIsReadInOnePlaceAndNoArgumentsAreRebuilt()
    {
        string[] readers = Code.Where(file => file.Value.Contains("Checkpoint.Read(", StringComparison.Ordinal)).Select(file => file.Key)
            .ToArray();
        string[] parsers = Code.Where(file => file.Key.StartsWith("Cli" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && Regex.IsMatch(file.Value, @"Command\b[^;]*\.Parse\(")).Select(file => file.Key).Order().ToArray();

        Assert.Equal([Path.Combine("Cli", "TrainHandler.cs")], readers);
        Assert.Single(Regex.Matches(Code[Path.Combine("Cli", "TrainHandler.cs")], @"Checkpoint\.Read\("));
        Assert.Equal([Path.Combine("Cli", "CapsNetApp.cs"), Path.Combine("Cli", "TrainSetting.cs")], parsers);
    }

    /// <summary>Each file, and the files whose types it names.</summary>
    private static Dictionary<string, HashSet<string>> FileGraph()
    {
        var owner = new Dictionary<string, string>();
        foreach (var (file, code) in Code)
            foreach (Match declared in Declaration().Matches(code))
                owner.TryAdd(declared.Groups["name"].Value, file);
        Assert.Contains("CapsuleNetwork", owner.Keys);  // the declarations are found at all
        return Code.ToDictionary(file => file.Key, file => Identifier().Matches(file.Value)
            .Select(word => owner.GetValueOrDefault(word.Value))
            .OfType<string>().Where(other => other != file.Key).ToHashSet());
    }

    /// <summary>Each group of nodes that reach one another (Tarjan's strongly connected components), as a path of names.</summary>
    private static IEnumerable<string[]> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var components = new List<string[]>();
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (string next in graph[node].Where(graph.ContainsKey))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }
            if (low[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                component.Add(member);
            }
            while (member != node);
            components.Add([.. component.Order()]);
        }
        foreach (string node in graph.Keys.Order())
        {
            if (!index.ContainsKey(node))
                Visit(node);
        }
        return components.Where(component => component.Length > 1);
    }

    // The code without comments and the contents of strings, so that a word there is no dependency.
    private static string Strip(string code) => StringLiteral().Replace(Comment().Replace(code, " "), "\"\"");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\$?@?"""""".*?""""""|@""(?:[^""]|"""")*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\])'", RegexOptions.Singleline)]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^(?:\w+ )*(?:class|record struct|record|struct|enum|interface) (?<name>[A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"(?<![.\w])[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^public\s", RegexOptions.Multiline)]
    private static partial Regex PublicType();
}

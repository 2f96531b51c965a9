namespace RLKit.Snippets;

/// <summary>
/// A snippet file as the documentation shows it: the file's leading using directives, a blank line, then each region
/// between <c>// begin snippet</c> and <c>// end snippet</c> lines, dedented, with a blank line between regions.
/// </summary>
internal sealed record SnippetFile(string RelativePath, string ShownText)
{
    public const string Begin = "// begin snippet";
    public const string End = "// end snippet";

    /// <summary>The repository root: the nearest folder above the test binaries that holds RLKit.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SnippetsDirectory => Path.Combine(RepositoryRoot, "docs", "snippets");

    /// <summary>Every snippet file: the .cs files in the subfolders of docs/snippets (the harness sits at its top).</summary>
    public static IReadOnlyList<SnippetFile> All() =>
        Directory.EnumerateDirectories(SnippetsDirectory)
            .Where(d => Path.GetFileName(d) is not ("bin" or "obj"))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToList();

    public static SnippetFile Load(string path)
    {
        string[] lines = File.ReadAllLines(path);
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal)).ToList();
        var regions = new List<List<string>>();
        List<string>? open = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].Trim();
            if (trimmed == Begin)
            {
                if (open is not null) throw new InvalidDataException($"{path}:{i + 1}: '{Begin}' inside an open region.");
                open = [];
            }
            else if (trimmed == End)
            {
                if (open is null) throw new InvalidDataException($"{path}:{i + 1}: '{End}' without '{Begin}'.");
                regions.Add(Dedent(open));
                open = null;
            }
            else
            {
                open?.Add(lines[i]);
            }
        }
        if (open is not null) throw new InvalidDataException($"{path}: '{Begin}' is never closed.");
        if (regions.Count == 0) throw new InvalidDataException($"{path}: no '{Begin}' … '{End}' region.");

        var parts = new List<string>();
        if (usings.Count > 0) parts.Add(string.Join('\n', usings));
        parts.AddRange(regions.Select(r => string.Join('\n', r)));
        return new SnippetFile(Path.GetRelativePath(SnippetsDirectory, path).Replace('\\', '/'), string.Join("\n\n", parts));
    }

    private static List<string> Dedent(List<string> lines)
    {
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return lines.Select(l => l.Trim().Length == 0 ? "" : l[indent..].TrimEnd()).ToList();
    }

    private static string FindRepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "RLKit.sln"))) return d.FullName;
        throw new DirectoryNotFoundException($"No RLKit.sln above {AppContext.BaseDirectory}.");
    }
}

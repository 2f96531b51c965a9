using System.Text.RegularExpressions;
using NUnit.Framework;

namespace RLKit.Snippets;

/// <summary>
/// Every C# block in README.md and docs/ is a snippet file shown verbatim: the line before the block names the file
/// (<c>&lt;!-- snippet: Readme/TrainingAnAgent.cs --&gt;</c>, relative to docs/snippets), and the block equals what the
/// file shows (<see cref="SnippetFile"/>). So the documented code is the code that CI builds and runs.
/// </summary>
[TestFixture]
public sealed partial class DocumentationTests
{
    [GeneratedRegex(@"^<!--\s*snippet:\s*(?<path>\S+)\s*-->$")]
    private static partial Regex Marker();

    private sealed record CodeBlock(string Document, int Line, string? SnippetPath, string Text);

    private static IEnumerable<string> Documents()
    {
        string root = SnippetFile.RepositoryRoot;
        yield return Path.Combine(root, "README.md");
        foreach (string path in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return path;
    }

    private static List<CodeBlock> CSharpBlocks()
    {
        var blocks = new List<CodeBlock>();
        foreach (string document in Documents())
        {
            string[] lines = File.ReadAllLines(document);
            string name = Path.GetRelativePath(SnippetFile.RepositoryRoot, document).Replace('\\', '/');
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() is not ("```csharp" or "```cs" or "```c#" or "```C#")) continue;
                int start = i + 1, end = start;
                while (end < lines.Length && lines[end].Trim() != "```") end++;
                string? previous = lines.Take(i).Reverse().FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
                var marker = previous is null ? null : Marker().Match(previous);
                blocks.Add(new CodeBlock(name, i + 1, marker is { Success: true } ? marker.Groups["path"].Value : null,
                    string.Join('\n', lines[start..end].Select(l => l.TrimEnd()))));
                i = end;
            }
        }
        return blocks;
    }

    [Test]
    public void EveryCSharpBlockEqualsItsSnippetFile()
    {
        var blocks = CSharpBlocks();
        Assert.That(blocks, Is.Not.Empty, "README.md has C# blocks; finding none means the parser is broken");
        var problems = new List<string>();
        foreach (var block in blocks)
        {
            string where = $"{block.Document}:{block.Line}";
            if (block.SnippetPath is null)
            {
                problems.Add($"{where}: no '<!-- snippet: Folder/File.cs -->' line before the block");
                continue;
            }
            string path = Path.Combine(SnippetFile.SnippetsDirectory, block.SnippetPath);
            if (!File.Exists(path))
            {
                problems.Add($"{where}: docs/snippets/{block.SnippetPath} does not exist");
                continue;
            }
            string shown = SnippetFile.Load(path).ShownText;
            if (shown != block.Text) problems.Add($"{where} differs from docs/snippets/{block.SnippetPath}: {FirstDifference(block.Text, shown)}");
        }
        Assert.That(problems, Is.Empty, string.Join('\n', problems));
    }

    /// <summary>The stand-ins of Caps.cs and the namespace a user's file must import for the real type.</summary>
    private static readonly (string Usage, string Namespace)[] StandIns =
    [
        ("Budget.", "RLKit.Training"),
        ("ActionEncoderOptions", "RLKit.Algorithms.ActionRepresentations"),
    ];

    [Test]
    public void SnippetsUsingAStandInImportTheRealTypesNamespace()
    {
        var missing = SnippetFile.All()
            .SelectMany(f => StandIns
                .Where(s => f.ShownText.Contains(s.Usage, StringComparison.Ordinal) && !f.ShownText.Contains($"using {s.Namespace};", StringComparison.Ordinal))
                .Select(s => $"{f.RelativePath} uses {s.Usage.TrimEnd('.')} without 'using {s.Namespace};'"))
            .ToList();
        Assert.That(missing, Is.Empty, string.Join('\n', missing));
    }

    [Test]
    public void EverySnippetFileIsShownInTheDocumentation()
    {
        var shown = CSharpBlocks().Select(b => b.SnippetPath).ToHashSet();
        var unshown = SnippetFile.All().Select(f => f.RelativePath).Where(p => !shown.Contains(p)).ToList();
        Assert.That(unshown, Is.Empty, "snippet files that no README/docs block shows");
    }

    private static string FirstDifference(string documented, string snippet)
    {
        string[] a = documented.Split('\n'), b = snippet.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string x = i < a.Length ? a[i] : "<end>", y = i < b.Length ? b[i] : "<end>";
            if (x != y) return $"line {i + 1} of the block is \"{x}\", the snippet's is \"{y}\"";
        }
        return "no difference";
    }
}

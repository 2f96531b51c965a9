using System.Reflection;
using NUnit.Framework;

namespace RLKit.Snippets;

/// <summary>Runs every snippet's <c>Run()</c> in a fresh working directory, so the files it writes go nowhere else.</summary>
[TestFixture]
public sealed class SnippetTests
{
    private static IEnumerable<TestCaseData> Snippets() =>
        typeof(SnippetTests).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("RLKit.Snippets.", StringComparison.Ordinal) == true
                        && t.GetMethod("Run", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => new TestCaseData(t).SetArgDisplayNames($"{t.Namespace!["RLKit.Snippets.".Length..]}/{t.Name}"));

    [TestCaseSource(nameof(Snippets))]
    public void Runs(Type snippet)
    {
        string previous = Environment.CurrentDirectory;
        string directory = Path.Combine(Path.GetTempPath(), $"rlkit-snippet-{snippet.Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            Environment.CurrentDirectory = directory;
            try
            {
                snippet.GetMethod("Run")!.Invoke(null, null);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void EverySnippetFileHasARunMethod()
    {
        var withoutRun = SnippetFile.All()
            .Where(f => !Snippets().Any(c => ((Type)c.Arguments[0]!).Name == Path.GetFileNameWithoutExtension(f.RelativePath)))
            .Select(f => f.RelativePath)
            .ToList();
        Assert.That(withoutRun, Is.Empty, "snippet files whose class (named as the file) has no public static Run()");
    }
}

using System.Text.RegularExpressions;

namespace RLKit.Core.Tests.Architecture;

/// <summary>
/// Packages a user can debug, checked without packing: every src/ project (each is a NuGet package) has its own
/// PACKAGE.md for its NuGet page, saying how to install it and showing C# (a tool: its commands), and the shared build settings ask for symbol
/// packages and repository metadata. <c>dotnet pack -c Release</c> then writes a .nupkg and a .snupkg per project.
/// </summary>
public sealed partial class PackagingTests
{
    private static IEnumerable<string> PackageProjects() =>
        Directory.EnumerateDirectories(Path.Combine(LayeringTests.RepositoryRoot(), "src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(Path.GetFileName)!;

    [Test]
    public void EveryPackageHasAReadmeWithItsInstallCommandAndAnExample()
    {
        var projects = PackageProjects().ToList();
        Assert.That(projects, Is.SupersetOf(new[] { "RLKit.Core", "RLKit.Algorithms", "RLKit.Envs", "RLKit.Onnx", "RLKit.MLNet", "RLKit.Distributed" }));
        foreach (var project in projects)
        {
            string path = Path.Combine(LayeringTests.RepositoryRoot(), "src", project, "PACKAGE.md");
            Assert.That(File.Exists(path), Is.True, $"{project} has no PACKAGE.md");
            string readme = File.ReadAllText(path);
            Assert.That(readme, Does.StartWith($"# {project}\n"), project);
            // A .NET tool is installed with `dotnet tool install` and shown with shell commands; a library with
            // `dotnet add package` and C#.
            bool tool = File.ReadAllText(Path.Combine(LayeringTests.RepositoryRoot(), "src", project, project + ".csproj"))
                .Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal);
            Assert.That(readme, Does.Contain(tool ? $"dotnet tool install " : $"dotnet add package {project}\n"), project);
            var example = (tool ? BashBlock() : CSharpBlock()).Match(readme);
            Assert.That(example.Success, Is.True, $"{project}: a ```{(tool ? "bash" : "csharp")} example");
            Assert.That(example.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.InRange(4, 20), $"{project}: a short example");
        }
    }

    [Test]
    public void TheBuildAsksForSymbolPackagesSourceLinkAndRepositoryMetadata()
    {
        string props = File.ReadAllText(Path.Combine(LayeringTests.RepositoryRoot(), "Directory.Build.props"));
        foreach (var setting in new[]
                 {
                     "<IncludeSymbols>true</IncludeSymbols>", "<SymbolPackageFormat>snupkg</SymbolPackageFormat>",
                     "<RepositoryUrl>https://github.com/rlkit/rlkit</RepositoryUrl>", "<PackageProjectUrl>https://github.com/rlkit/rlkit</PackageProjectUrl>",
                     "<PublishRepositoryUrl>true</PublishRepositoryUrl>", "<Deterministic>true</Deterministic>", "<ContinuousIntegrationBuild",
                     "<PackageReadmeFile>README.md</PackageReadmeFile>", "<PackageReference Include=\"Microsoft.SourceLink.GitHub\"",
                 })
            Assert.That(props, Does.Contain(setting));
        string versions = File.ReadAllText(Path.Combine(LayeringTests.RepositoryRoot(), "Directory.Packages.props"));
        Assert.That(versions, Does.Match(@"<PackageVersion Include=""Microsoft.SourceLink.GitHub"" Version=""\d+\.\d+\.\d+"" />"), "SourceLink is pinned");
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}

using System.Reflection;
using System.Text.RegularExpressions;

namespace RLKit.Core.Tests.Architecture;

/// <summary>
/// The layers as a test: the engine (tensors, ops, GEMM, autograd, Nn, Optim, Distributions, Serialization) knows
/// nothing of RL (spaces, environments, data, training, hosting); RLKit.Core knows neither RLKit.Envs nor
/// RLKit.Algorithms; RLKit.Envs does not know RLKit.Algorithms; none of the three knows the optional RLKit.Onnx or
/// RLKit.MLNet, and none takes an ONNX or ML.NET package. Checked on the source text (using directives, qualified
/// names and string literals, comments excluded) and on the compiled assemblies' references.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string[] EngineNamespaces =
        ["RLKit.Tensors", "RLKit.Autograd", "RLKit.Nn", "RLKit.Optim", "RLKit.Distributions", "RLKit.Serialization"];

    private static readonly string[] RlNamespaces =
        ["RLKit.Spaces", "RLKit.Environments", "RLKit.Data", "RLKit.Training", "RLKit.Hosting"];

    private static readonly string[] UpperPackages = ["RLKit.Envs", "RLKit.Algorithms"];

    private static readonly string[] CorePackages = ["RLKit.Core", "RLKit.Envs", "RLKit.Algorithms"];

    [Test]
    public void TheEngineNeverRefersToTheRlLayer()
    {
        var violations = new List<string>();
        foreach (var (path, code) in SourceFiles("RLKit.Core"))
            if (DeclaredNamespace(code) is { } ns && IsUnder(ns, EngineNamespaces))
                violations.AddRange(References(code, RlNamespaces).Select(r => $"{path}: {r}"));
        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void CoreNeverRefersToEnvsOrAlgorithms()
    {
        var violations = SourceFiles("RLKit.Core")
            .SelectMany(f => References(f.Code, UpperPackages).Select(r => $"{f.Path}: {r}")).ToList();
        Assert.That(violations, Is.Empty);
        Assert.That(ReferencedRLKitAssemblies(typeof(RLKit.Tensors.Tensor).Assembly), Is.Empty);
        Assert.That(ProjectReferences("RLKit.Core"), Is.Empty);
    }

    [Test]
    public void EnvsNeverRefersToAlgorithms()
    {
        var violations = SourceFiles("RLKit.Envs")
            .SelectMany(f => References(f.Code, ["RLKit.Algorithms"]).Select(r => $"{f.Path}: {r}")).ToList();
        Assert.That(violations, Is.Empty);
        Assert.That(ProjectReferences("RLKit.Envs"), Is.EquivalentTo(new[] { "RLKit.Core" }));
    }

    [Test]
    public void NoCorePackageKnowsTheOnnxPackageOrTakesAnOnnxDependency() =>
        AssertNoCorePackageKnows("RLKit.Onnx", package => package.Contains("Onnx") || package.Contains("Grpc"));

    [Test]
    public void NoCorePackageKnowsTheDistributedPackageOrTakesAnOrleansDependency() =>
        AssertNoCorePackageKnows("RLKit.Distributed", package => package.Contains("Orleans", StringComparison.OrdinalIgnoreCase));

    [Test]
    public void NoCorePackageKnowsTheMLNetPackageOrTakesAnMLNetDependency()
    {
        AssertNoCorePackageKnows("RLKit.MLNet", package => package.StartsWith("Microsoft.ML", StringComparison.Ordinal));
        foreach (var project in CorePackages)
        {
            var mlNetNames = SourceFiles(project).Where(f => MicrosoftMl().IsMatch(WithoutComments(f.Code))).Select(f => f.Path).ToList();
            Assert.That(mlNetNames, Is.Empty, $"{project} names Microsoft.ML");
        }
    }

    /// <summary>
    /// No core package names <paramref name="package"/> in code or as a type name in a string, references its project,
    /// or takes a NuGet package that <paramref name="forbiddenPackage"/> matches.
    /// </summary>
    private static void AssertNoCorePackageKnows(string package, Func<string, bool> forbiddenPackage)
    {
        foreach (var project in CorePackages)
        {
            var violations = SourceFiles(project).SelectMany(f => References(f.Code, [package]).Select(r => $"{f.Path}: {r}")).ToList();
            Assert.That(violations, Is.Empty, project);
            Assert.That(ProjectReferences(project), Has.None.EqualTo(package), project);
            var packages = PackageReference().Matches(ProjectFile(project)).Select(m => m.Groups[1].Value);
            Assert.That(packages.Where(forbiddenPackage), Is.Empty, project);
        }
    }

    [Test]
    public void TheCheckerFindsEachKindOfReference()
    {
        const string code = """
            // RLKit.Training in a comment is fine.
            /// <see cref="RLKit.Data.ReplayBuffer"/> in a doc comment is fine.
            using RLKit.Spaces;
            using Alias = RLKit.Hosting.RLContext;
            namespace RLKit.Nn;
            class C { object F = typeof(RLKit.Environments.EnvironmentBase); string S = "RLKit.Training.Budget, RLKit.Core"; }
            class M { string Hint = "Reference RLKit.Data to get buffers"; string Q = "Budget, RLKit.Hosting"; }
            """;
        Assert.That(DeclaredNamespace(code), Is.EqualTo("RLKit.Nn"));
        Assert.That(References(code, RlNamespaces).Select(r => r.Split(' ')[0]),
                    Is.EquivalentTo(new[] { "RLKit.Spaces", "RLKit.Hosting", "RLKit.Environments", "RLKit.Training", "RLKit.Hosting" }),
                    "a package named in a message is not a reference; a type or assembly-qualified name in a string is");
        Assert.That(References("namespace RLKit.Nn; class D { }", RlNamespaces), Is.Empty);
        Assert.That(References("var x = RLKit.Spacesuit.Make();", RlNamespaces), Is.Empty, "a longer name is another namespace");
    }

    /// <summary>
    /// Each referenced namespace (or a prefix of it) among <paramref name="forbidden"/>, with the line it is on. Inside
    /// string literals only type names count (a namespace and a type, or an assembly-qualified ", RLKit.X"), so a
    /// message may name a package without depending on it.
    /// </summary>
    private static IEnumerable<string> References(string code, string[] forbidden)
    {
        var lines = StringLiteral().Replace(WithoutComments(code), m => string.Join(" ", TypeNameInString().Matches(m.Value).Select(t => t.Groups[1].Value)))
            .Split('\n');
        for (int i = 0; i < lines.Length; i++)
            foreach (Match m in QualifiedName().Matches(lines[i]))
                if (forbidden.FirstOrDefault(f => m.Value == f || m.Value.StartsWith(f + ".", StringComparison.Ordinal)) is { } hit)
                    yield return $"{hit} (line {i + 1}: {lines[i].Trim()})";
    }

    private static string WithoutComments(string code) => LineComment().Replace(BlockComment().Replace(code, ""), "");

    private static string? DeclaredNamespace(string code) => FileNamespace().Match(code) is { Success: true } m ? m.Groups[1].Value : null;

    private static bool IsUnder(string ns, string[] roots) => roots.Any(r => ns == r || ns.StartsWith(r + ".", StringComparison.Ordinal));

    private static IEnumerable<string> ReferencedRLKitAssemblies(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("RLKit.", StringComparison.Ordinal));

    /// <summary>The RLKit projects a src/ project references (by project file name).</summary>
    private static IEnumerable<string> ProjectReferences(string project)
    {
        var text = ProjectFile(project);
        return ProjectReference().Matches(text).Select(m => Path.GetFileNameWithoutExtension(m.Groups[1].Value.Replace('\\', '/')));
    }

    private static string ProjectFile(string project) => File.ReadAllText(Path.Combine(RepositoryRoot(), "src", project, project + ".csproj"));

    private static IEnumerable<(string Path, string Code)> SourceFiles(string project)
    {
        var directory = Path.Combine(RepositoryRoot(), "src", project);
        Assert.That(Directory.Exists(directory), Is.True, $"source folder {directory}");
        var files = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.That(files, Is.Not.Empty);
        return files.Select(f => (Path.GetRelativePath(directory, f), File.ReadAllText(f)));
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RLKit.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No RLKit.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"\bRLKit(\.[A-Z]\w*)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"<PackageReference\s+Include=""([^""]+)""")]
    private static partial Regex PackageReference();

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?:,\s*)?\b(RLKit(?:\.[A-Z]\w*){2,}|(?<=,\s*)RLKit(?:\.[A-Z]\w*)+)")]
    private static partial Regex TypeNameInString();

    [GeneratedRegex(@"\bMicrosoft\.ML\b")]
    private static partial Regex MicrosoftMl();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}

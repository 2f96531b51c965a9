using System.Diagnostics;
using System.Reflection;
using RLKit.Algorithms.Hosting;
using RLKit.CheckpointProbe;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.Hosting;

/// <summary>
/// A checkpoint of every algorithm (classic and multi-task) loads in a fresh process that registers nothing (tests/RLKit.CheckpointProbe):
/// <c>Checkpoint.LoadAgent(path)</c> and <c>RLKitEnvs.CreateContext(seed).Model.Load(path)</c> find the algorithms
/// through RLKit.Algorithms' module alone, so no test process's earlier registrations can hide a gap.
/// </summary>
[TestFixture]
public sealed class FreshProcessCheckpointTests
{
    // Tiny networks and a few dozen steps: the probe checks loading, not learning.
    private static readonly Dictionary<string, object> TinyOptions = new()
    {
        ["HiddenSizes"] = new[] { 8 }, ["LearningStarts"] = 16, ["BatchSize"] = 8, ["StepsPerEnvironment"] = 16, ["MinibatchSize"] = 8, ["Seed"] = 1,
    };

    // Options JSON holds only keys the algorithm has (an unknown key is an error), so each gets the tiny settings it takes.
    private static string TinyOptionsFor(IAgentEstimatorFactory factory) => System.Text.Json.JsonSerializer.Serialize(
        TinyOptions.Where(o => factory.OptionsType.GetProperty(o.Key) is not null).ToDictionary(o => o.Key, o => o.Value));

    private static readonly HashSet<string> ContinuousOnly = new(StringComparer.Ordinal) { "sac", "td3", "ddpg", "mt-sac", "qmp", "dnc", "savo" };

    // Algorithms that recommend lists of items (ActionList actions).
    private static readonly HashSet<string> ListOnly = new(StringComparer.Ordinal) { "cdqn" };

    private static string EnvironmentFor(string algorithm) =>
        ContinuousOnly.Contains(algorithm) ? "Pendulum-v1" : ListOnly.Contains(algorithm) ? "RecSim-Slate-v0" : "CartPole-v1";

    [Test]
    public void AFreshProcessLoadsEveryAlgorithmBothWays()
    {
        using var directory = new TemporaryDirectory("rlkit-probe");
        var catalog = StandardEnvironments.CreateCatalog();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = new List<string>();
        foreach (var factory in ClassicAlgorithms.All.Concat(MultiTaskAlgorithms.All))
        {
            using var environment = catalog.Make(EnvironmentFor(factory.Algorithm));
            var agent = (ICheckpointable)factory.Create(factory.ParseOptions(TinyOptionsFor(factory))).Fit(environment, Budget.Steps(48));
            string path = directory.File(factory.Algorithm + Checkpoint.FileExtension);
            Checkpoint.Save(agent, path);
            paths.Add(path);
            expected[factory.Algorithm + Checkpoint.FileExtension] = $"{factory.Algorithm}\t{GreedyAction.Of(agent)}";
        }

        var (exitCode, output, errors) = RunProbe(paths);
        TestContext.Out.WriteLine(output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                          .Where(l => !l.StartsWith('#')).Select(l => l.Split('\t', 3)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), $"the probe failed: {output} {errors}");
            foreach (string via in new[] { "Checkpoint.LoadAgent", "RLContext.Model.Load" })
            {
                var loaded = lines.Where(l => l[1] == via).ToDictionary(l => l[0], l => l[2]);
                Assert.That(loaded, Is.EquivalentTo(expected), via);
            }
        });
    }

    private static (int ExitCode, string Output, string Errors) RunProbe(IEnumerable<string> checkpoints)
    {
        string probe = typeof(FreshProcessCheckpointTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                           .Single(a => a.Key == "CheckpointProbe").Value!;
        Assert.That(File.Exists(probe), Is.True, $"the checkpoint probe was not built at '{probe}'");
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(probe);
        foreach (var path in checkpoints) start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the checkpoint probe did not finish within 60 s");
        }
        return (process.ExitCode, output.Result, errors.Result);
    }

    // The SDK tells child processes which dotnet runs them; otherwise the test host itself may be dotnet.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";
}

using System.Text.Json;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests;

/// <summary>
/// Checkpoints written by RLKit 0.1 (Fixtures/v0.1: before the one-registry redesign and before each algorithm got its
/// own namespace) still load with <see cref="Checkpoint.LoadAgent"/> and act as they did when saved.
/// </summary>
[TestFixture]
public sealed class CheckpointCompatibilityTests
{
    private static readonly string Fixtures =
        Path.Combine(Path.GetDirectoryName(typeof(CheckpointCompatibilityTests).Assembly.Location)!, "Fixtures", "v0.1");

    /// <summary>One line of expected-actions.json: what the 0.1 agent did on fixed observations.</summary>
    public sealed record Expected(string Algorithm, string Environment, float[][] Observations, int[]? DiscreteActions, float[]? ContinuousActions);

    private static IEnumerable<TestCaseData> Saved() =>
        JsonSerializer.Deserialize<Expected[]>(File.ReadAllText(Path.Combine(Fixtures, "expected-actions.json")))!
            .Select(e => new TestCaseData(e).SetName(e.Algorithm));

    [Test]
    public void EveryClassicAlgorithmHasAFixture() =>
        Assert.That(Saved().Select(c => ((Expected)c.Arguments[0]!).Algorithm),
                    Is.EquivalentTo(new[] { "ppo", "a2c", "reinforce", "dqn", "sql", "sac", "sac-discrete", "td3", "ddpg" }));

    [TestCaseSource(nameof(Saved))]
    public void LoadsAndActsAsWhenSaved(Expected expected)
    {
        string path = Path.Combine(Fixtures, expected.Algorithm + Checkpoint.FileExtension);
        var metadata = Checkpoint.Load(path).Metadata;
        var agent = Checkpoint.LoadAgent(path);
        using var environment = StandardEnvironments.CreateCatalog().Make(expected.Environment);
        Assert.Multiple(() =>
        {
            Assert.That(metadata.FormatVersion, Is.EqualTo(Checkpoint.FormatVersion));
            Assert.That(metadata.OptionsType, Does.Match(@"^RLKit\.Algorithms\.(PolicyGradient|ValueBased|ActorCritic)\."),
                        "the options type is named as it was before the namespaces moved, and that is no obstacle");
            Assert.That(agent.Algorithm, Is.EqualTo(expected.Algorithm));
            Assert.That(SpaceDescription.Of(agent.ObservationSpace).Matches(SpaceDescription.Of(environment.ObservationSpace)), Is.True,
                        $"observation space {agent.ObservationSpace} vs {environment.ObservationSpace}");
            Assert.That(SpaceDescription.Of(agent.ActionSpace).Matches(SpaceDescription.Of(environment.ActionSpace)), Is.True,
                        $"action space {agent.ActionSpace} vs {environment.ActionSpace}");
        });

        var rows = expected.Observations;
        var observations = Tensor.FromArray(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);
        if (expected.DiscreteActions is { } discrete)
        {
            var actions = new int[discrete.Length];
            agent.Act(observations, actions, deterministic: true);
            Assert.That(actions, Is.EqualTo(discrete));
        }
        else
        {
            var continuous = expected.ContinuousActions!;
            var actions = new float[continuous.Length];
            agent.Act(observations, actions, deterministic: true);
            Assert.That(actions, Is.EqualTo(continuous).Within(1e-5f));
        }
    }
}

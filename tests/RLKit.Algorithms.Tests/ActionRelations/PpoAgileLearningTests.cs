using System.Diagnostics;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.ActionRelations;

/// <summary>
/// PPO + AGILE on the dig-lava grid with both dig skills offered every episode (seed 003 ch. 3): the straight line
/// to the goal crosses both lava columns (8 moves + 2 digs = 10 steps), walking around through the gaps takes 24.
/// </summary>
[TestFixture]
public sealed class PpoAgileLearningTests
{
    private static readonly EnvironmentCatalog Catalog = StandardEnvironments.CreateCatalog();
    private static readonly DigLavaGridOptions BothDigs = new() { SpecialSkills = [DigLavaSkill.DigOrange, DigLavaSkill.DigPink] };

    /// <summary>The shortest walk from the start to the goal through both gaps, without digging.</summary>
    internal const int WalkAroundSteps = 24;

    /// <summary>Seed 003 Table B.4 (dig-lava, PPO): lr 1e-3, entropy 0.05, clip 0.1, 4 epochs, γ 0.99, value coefficient 0.5.</summary>
    internal static PpoOptions PaperOptions(ulong seed) => new()
    {
        Seed = seed,
        LearningRate = 1e-3f,
        EntropyCoefficient = 0.05f,
        ClipRange = 0.1f,
        Epochs = 4,
        Gamma = 0.99f,
        ValueCoefficient = 0.5f,
        StepsPerEnvironment = 128,
        MinibatchSize = 128,
    };

    internal readonly record struct GreedyEpisode(double Return, int Steps, bool ReachedGoal, int Digs);

    /// <summary>One greedy episode on a fresh grid, acting with the grid's availability.</summary>
    internal static GreedyEpisode Greedy(IActionSetAgent agent, ulong seed)
    {
        var env = new DigLavaGrid(BothDigs);
        var observation = Tensor.Zeros(1, env.ObservationSpace.FlatSize);
        env.Reset(seed).Observation.CopyTo(observation.AsSpan());
        var action = new int[1];
        double total = 0;
        int digs = 0;
        for (int t = 1; t <= BothDigs.MaxSteps; t++)
        {
            bool inLava = env.InLava;
            agent.Act(observation, env.Skills.Available, action, deterministic: true);
            var step = env.Step(action[0]);
            total += step.Reward;
            if (inLava && !step.Terminated) digs++;
            if (step.Terminated) return new GreedyEpisode(total, t, env.Agent == DigLavaGrid.Goal, digs);
            step.Observation.CopyTo(observation.AsSpan());
        }
        return new GreedyEpisode(total, BothDigs.MaxSteps, false, digs);
    }

    private static SyncVectorEnvironment DigLava(int count) =>
        new(Enumerable.Range(0, count).Select(_ => Catalog.Make("DigLavaGrid-v0", BothDigs)).ToArray(), AutoresetMode.SameStep);

    [Test]
    public void AgileLearnsToDigThroughTheLava()
    {
        using var env = DigLava(8);
        var updates = new List<TrainingUpdate>();
        var clock = Stopwatch.StartNew();
        var agent = new PpoEstimator(PaperOptions(seed: 1)).WithActionRelations(Relations.Agile)
            .Fit(env, Budget.Steps(40_000), new SynchronousProgress(updates.Add));
        clock.Stop();
        var episode = Greedy(agent, seed: 100);
        var returns = updates.Where(u => u.MeanReturn is not null).Select(u => u.MeanReturn!.Value).ToArray();
        TestContext.Out.WriteLine($"PPO + AGILE dig-lava: {updates[^1].Steps} steps in {clock.Elapsed.TotalSeconds:0.0} s; " +
                                  $"mean return first {returns.FirstOrDefault():0.00}, last {returns.LastOrDefault():0.00}; " +
                                  $"greedy: return {episode.Return:0.00}, {episode.Steps} steps, goal {episode.ReachedGoal}, digs {episode.Digs}");
        Assert.That(episode.ReachedGoal, Is.True, "the greedy episode reaches the goal");
        Assert.That(episode.Steps, Is.LessThan(WalkAroundSteps), "…faster than walking around the lava, so it dug through");
        Assert.That(episode.Digs, Is.GreaterThanOrEqualTo(1));
    }
}

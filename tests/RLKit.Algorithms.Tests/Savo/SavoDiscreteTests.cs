using RLKit.Algorithms.Savo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>
/// SAVO's discrete mode end to end (seed 003 §4.4.5 item 5): acting through 1-NN projection onto real actions, the
/// buffer holding their representations, critic targets from the projected maximizer — on a small mining grid.
/// </summary>
[TestFixture]
public class SavoDiscreteTests
{
    /// <summary>
    /// A 4 × 4 mining grid with 2 mine types (4 + 4 = 8 actions with 4-D representations) and 20 steps. No mines: with
    /// two, 6000 steps reach a mean return of only 2.4 (γ 0.9) or 0.2 (γ 0.99) — too long a budget for a unit test.
    /// </summary>
    private static readonly MiningGridOptions Grid = new() { GridSize = 4, MineTypes = 2, MineCount = 0, MaxSteps = 20 };

    private static IEnvironment Make() => StandardEnvironments.CreateCatalog().Make("MiningGrid-v0", Grid);

    /// <summary>Mean return over episodes reset with seeds 500, 501, …, acting with <paramref name="act"/>.</summary>
    private static double MeanReturn(Func<Tensor, int> act, int episodes = 20)
    {
        using var env = Make();
        var observation = Tensor.Zeros(1, env.ObservationSpace.FlatSize);
        double total = 0;
        for (int episode = 0; episode < episodes; episode++)
        {
            env.Reset(500UL + (ulong)episode).Observation.CopyTo(observation.AsSpan());
            while (true)
            {
                var step = env.Step(act(observation));
                total += step.Reward;
                if (step.Done) break;
                step.Observation.CopyTo(observation.AsSpan());
            }
        }
        return total / episodes;
    }

    [Test]
    public void SavoLearnsTheMiningGridThroughNearestNeighbourProjection()
    {
        var options = new SavoOptions
        {
            HiddenSizes = [64, 64], SummarySize = 16, BatchSize = 64, LearningStarts = 500, LearningRate = 1e-3f, Gamma = 0.9f,
            ExplorationNoise = RLKit.Algorithms.Common.ExplorationNoiseKind.Gaussian, ExplorationNoiseStd = 0.3f, Seed = 3,
        };
        using var env = new SyncVectorEnvironment([Make(), Make()], AutoresetMode.SameStep);
        var agent = new SavoEstimator(options).Fit(env, Budget.Steps(6000));

        var random = new RandomGenerator(4);
        double randomReturn = MeanReturn(_ => random.NextInt(8));
        var id = new int[1];
        double savoReturn = MeanReturn(s => { agent.Act(s, id, deterministic: true); return id[0]; });
        TestContext.Out.WriteLine($"mean return over 20 episodes: random {randomReturn:F2}, savo {savoReturn:F2}");

        // Reaching the goal is worth about 9 here; a random walk over 8 actions mostly runs out of its 20 steps.
        Assert.That(savoReturn, Is.GreaterThan(randomReturn + 3), "SAVO's greedy policy beats random actions");
        Assert.That(savoReturn, Is.GreaterThan(7), "and mostly reaches the goal");

        // The buffer holds the executed actions' representations: every stored action is a real action.
        var representations = ((Spaces.ActionSet)env.SingleActionSpace).Representations.ToArray();
        var stored = agent.ReplayBuffer!.Sample(32, new RandomGenerator(5)).Actions.ToArray();
        for (int row = 0; row < 32; row++)
            Assert.That(Enumerable.Range(0, 8).Any(a => Enumerable.Range(0, 4).All(j => representations[a * 4 + j] == stored[row * 4 + j])),
                        $"stored action {row} is the representation of a real action");
    }
}

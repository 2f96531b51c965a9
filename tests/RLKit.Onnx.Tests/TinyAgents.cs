using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Distral;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.MixMask;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Environments;
using RLKit.Envs;
using RLKit.Training;

namespace RLKit.Onnx.Tests;

/// <summary>Small seeded agents trained for a few dozen steps, so their weights have moved away from the initial ones.</summary>
internal static class TinyAgents
{
    private static readonly EnvironmentCatalog Catalog = StandardEnvironments.CreateCatalog();

    private static readonly int[] Hidden = [16, 16];

    public static IEnvironment Make(string id) => Catalog.Make(id);

    public static PpoAgent Ppo(string environment = "CartPole-v1", Func<PpoOptions, PpoOptions>? configure = null, ulong seed = 1)
    {
        var options = new PpoOptions { HiddenSizes = Hidden, StepsPerEnvironment = 32, MinibatchSize = 16, Epochs = 2, Seed = seed };
        return Fit(new PpoEstimator(configure?.Invoke(options) ?? options), environment, 64);
    }

    /// <summary>A PPO agent with a Mix &amp; Mask network of width 8 (the paper's initialisation), changed by <paramref name="configure"/>.</summary>
    public static PpoAgent MixMask(Func<PpoEstimator, PpoEstimator> configure, ulong seed = 5) =>
        Fit(configure(new PpoEstimator(new PpoOptions
        {
            StepsPerEnvironment = 32, MinibatchSize = 16, Epochs = 2, Seed = seed,
            SharedFeatures = new SharedFeatureOptions { HiddenSize = 8 },
        })), "CartPole-v1", 64);

    public static A2cAgent A2c(bool sharedNetwork = false) =>
        Fit(new A2cEstimator(new A2cOptions { HiddenSizes = Hidden, SharedNetwork = sharedNetwork, Seed = 2 }), "CartPole-v1", 60);

    public static ReinforceAgent Reinforce() =>
        Fit(new ReinforceEstimator(new ReinforceOptions { HiddenSizes = [16], EpisodesPerUpdate = 1, Seed = 3 }), "CartPole-v1", 100);

    public static DqnAgent Dqn(bool dueling = false) => Fit(new DqnEstimator(QLearning(new DqnOptions { Dueling = dueling, Seed = 4 })), "CartPole-v1", 64);

    public static SoftQAgent SoftQ() => Fit(new SoftQEstimator(QLearning(new SoftQOptions { Seed = 5 })), "CartPole-v1", 64);

    public static SacAgent Sac() =>
        Fit(new SacEstimator(new SacOptions { HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, BufferSize = 1000, Seed = 6 }), "Pendulum-v1", 48);

    public static DiscreteSacAgent DiscreteSac() =>
        Fit(new DiscreteSacEstimator(new DiscreteSacOptions
        {
            HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, BufferSize = 1000, UpdateFrequency = 1, TargetNetworkFrequency = 8, Seed = 7,
        }), "CartPole-v1", 48);

    public static Td3Agent Td3() => Fit(new Td3Estimator(DeterministicPolicyGradient(new Td3Options { Seed = 8 })), "Pendulum-v1", 48);

    public static DdpgAgent Ddpg() => Fit(new DdpgEstimator(DeterministicPolicyGradient(new DdpgOptions { Seed = 9 })), "Pendulum-v1", 48);

    /// <summary>Distral on the five two-room grids 4–8 (three-float observations, four actions), changed by <paramref name="configure"/>.</summary>
    public static DistralAgent Distral(Func<DistralOptions, DistralOptions>? configure = null)
    {
        var options = new DistralOptions { HiddenSizes = [8, 8], BatchSize = 8, Seed = 10 };
        return new DistralEstimator(configure?.Invoke(options) ?? options).Fit(Catalog.MakeTaskSet("distral-grids-4-8"), Budget.Steps(60));
    }

    private static TAgent Fit<TAgent>(AgentEstimator<TAgent> estimator, string environment, long steps) where TAgent : class, IAgent
    {
        using var env = Make(environment);
        return estimator.Fit(env, Budget.Steps(steps));
    }

    // Learning starts after 16 steps, then two gradient steps on 16 transitions every 4 steps.
    private static T QLearning<T>(T options) where T : QLearningOptions =>
        (T)(options with { HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, TrainFrequency = 4, GradientSteps = 2, BufferSize = 1000 });

    private static T DeterministicPolicyGradient<T>(T options) where T : DeterministicPolicyGradientOptions =>
        (T)(options with { HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, BufferSize = 1000 });
}

using RLKit.Algorithms.A2c;
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
        using var env = Make(environment);
        return new PpoEstimator(configure?.Invoke(options) ?? options).Fit(env, Budget.Steps(64));
    }

    /// <summary>A PPO agent with a Mix &amp; Mask network of width 8 (the paper's initialisation), changed by <paramref name="configure"/>.</summary>
    public static PpoAgent MixMask(Func<PpoEstimator, PpoEstimator> configure, ulong seed = 5)
    {
        var options = new PpoOptions
        {
            StepsPerEnvironment = 32, MinibatchSize = 16, Epochs = 2, Seed = seed,
            SharedFeatures = new SharedFeatureOptions { HiddenSize = 8 },
        };
        using var env = Make("CartPole-v1");
        return configure(new PpoEstimator(options)).Fit(env, Budget.Steps(64));
    }

    public static A2cAgent A2c(bool sharedNetwork = false)
    {
        using var env = Make("CartPole-v1");
        return new A2cEstimator(new A2cOptions { HiddenSizes = Hidden, SharedNetwork = sharedNetwork, Seed = 2 }).Fit(env, Budget.Steps(60));
    }

    public static ReinforceAgent Reinforce()
    {
        using var env = Make("CartPole-v1");
        return new ReinforceEstimator(new ReinforceOptions { HiddenSizes = [16], EpisodesPerUpdate = 1, Seed = 3 }).Fit(env, Budget.Steps(100));
    }

    public static DqnAgent Dqn(bool dueling = false)
    {
        using var env = Make("CartPole-v1");
        return new DqnEstimator(new DqnOptions
        {
            HiddenSizes = Hidden, Dueling = dueling, LearningStarts = 16, BatchSize = 16, TrainFrequency = 4, GradientSteps = 2, BufferSize = 1000, Seed = 4,
        }).Fit(env, Budget.Steps(64));
    }

    public static SoftQAgent SoftQ()
    {
        using var env = Make("CartPole-v1");
        return new SoftQEstimator(new SoftQOptions
        {
            HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, TrainFrequency = 4, GradientSteps = 2, BufferSize = 1000, Seed = 5,
        }).Fit(env, Budget.Steps(64));
    }

    public static SacAgent Sac()
    {
        using var env = Make("Pendulum-v1");
        return new SacEstimator(new SacOptions { HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, BufferSize = 1000, Seed = 6 }).Fit(env, Budget.Steps(48));
    }

    public static DiscreteSacAgent DiscreteSac()
    {
        using var env = Make("CartPole-v1");
        return new DiscreteSacEstimator(new DiscreteSacOptions
        {
            HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, BufferSize = 1000, UpdateFrequency = 1, TargetNetworkFrequency = 8, Seed = 7,
        }).Fit(env, Budget.Steps(48));
    }

    public static Td3Agent Td3()
    {
        using var env = Make("Pendulum-v1");
        return new Td3Estimator(new Td3Options { HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, BufferSize = 1000, Seed = 8 }).Fit(env, Budget.Steps(48));
    }

    public static DdpgAgent Ddpg()
    {
        using var env = Make("Pendulum-v1");
        return new DdpgEstimator(new DdpgOptions { HiddenSizes = Hidden, LearningStarts = 16, BatchSize = 16, BufferSize = 1000, Seed = 9 }).Fit(env, Budget.Steps(48));
    }

    /// <summary>Distral on grids 4 and 5 (three-float observations, four actions), changed by <paramref name="configure"/>.</summary>
    public static DistralAgent Distral(Func<DistralOptions, DistralOptions>? configure = null)
    {
        var options = new DistralOptions { HiddenSizes = [8, 8], BatchSize = 8, Seed = 10 };
        return new DistralEstimator(configure?.Invoke(options) ?? options).Fit(Catalog.MakeTaskSet("distral-grids-4-8"), Budget.Steps(60));
    }
}

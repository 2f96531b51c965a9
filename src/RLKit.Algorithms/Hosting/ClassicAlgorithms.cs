using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Cdqn;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Savo;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Hosting;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Hosting;

/// <summary>
/// The classic algorithms as <see cref="IAgentEstimatorFactory"/> instances, keyed by their short names: the single
/// source for <c>AddClassicAlgorithms()</c> (keyed DI), the package's <see cref="IRLKitModule"/> (the default registry
/// behind <see cref="Checkpoint.LoadAgent"/> and <c>new RLContext(seed)</c>) and the <c>rl.Agents.Ppo()</c>-style
/// extension members. Each creates its estimator and restores its agent from a checkpoint.
/// </summary>
public static class ClassicAlgorithms
{
    /// <summary>PPO (Schulman et al. 2017), "ppo".</summary>
    public static AgentEstimatorFactory<PpoOptions, PpoAgent, PpoEstimator> Ppo { get; } = new(
        PpoEstimator.Name, "Proximal policy optimisation: clipped surrogate, GAE, minibatch epochs (discrete and continuous actions).",
        static () => new PpoOptions(), static (o, seed) => o with { Seed = seed }, static o => new PpoEstimator(o), PpoAgent.FromCheckpoint);

    /// <summary>A2C (Mnih et al. 2016), "a2c".</summary>
    public static AgentEstimatorFactory<A2cOptions, A2cAgent, A2cEstimator> A2c { get; } = new(
        A2cEstimator.Name, "Advantage actor-critic: synchronous n-step or GAE returns, shared or separate networks.",
        static () => new A2cOptions(), static (o, seed) => o with { Seed = seed }, static o => new A2cEstimator(o), A2cAgent.FromCheckpoint);

    /// <summary>REINFORCE with a learned baseline (Williams 1992), "reinforce".</summary>
    public static AgentEstimatorFactory<ReinforceOptions, ReinforceAgent, ReinforceEstimator> Reinforce { get; } = new(
        ReinforceEstimator.Name, "REINFORCE: Monte-Carlo policy gradient with a learned value baseline.",
        static () => new ReinforceOptions(), static (o, seed) => o with { Seed = seed }, static o => new ReinforceEstimator(o), ReinforceAgent.FromCheckpoint);

    /// <summary>DQN (Mnih et al. 2015) with double, dueling, n-step and prioritized options, "dqn".</summary>
    public static AgentEstimatorFactory<DqnOptions, DqnAgent, DqnEstimator> Dqn { get; } = new(
        DqnEstimator.Name, "Deep Q-network: replay, target network, ε-greedy; double, dueling, n-step, prioritized replay.",
        static () => new DqnOptions(), static (o, seed) => o with { Seed = seed }, static o => new DqnEstimator(o), DqnAgent.FromCheckpoint);

    /// <summary>Soft Q-learning (Haarnoja et al. 2017; the discrete form Distral builds on), "sql".</summary>
    public static AgentEstimatorFactory<SoftQOptions, SoftQAgent, SoftQEstimator> SoftQ { get; } = new(
        SoftQEstimator.Name, "Soft Q-learning: soft Bellman backup with inverse temperature β and a Boltzmann policy.",
        static () => new SoftQOptions(), static (o, seed) => o with { Seed = seed }, static o => new SoftQEstimator(o), SoftQAgent.FromCheckpoint);

    /// <summary>SAC (Haarnoja et al. 2018), "sac".</summary>
    public static AgentEstimatorFactory<SacOptions, SacAgent, SacEstimator> Sac { get; } = new(
        SacEstimator.Name, "Soft actor-critic: tanh-Gaussian actor, twin Q critics, automatic entropy tuning (continuous actions).",
        static () => new SacOptions(), static (o, seed) => o with { Seed = seed }, static o => new SacEstimator(o), SacAgent.FromCheckpoint);

    /// <summary>Discrete-action SAC (Christodoulou 2019), "sac-discrete".</summary>
    public static AgentEstimatorFactory<DiscreteSacOptions, DiscreteSacAgent, DiscreteSacEstimator> DiscreteSac { get; } = new(
        DiscreteSacEstimator.Name, "Soft actor-critic for discrete actions: categorical actor, twin Q critics, automatic entropy tuning.",
        static () => new DiscreteSacOptions(), static (o, seed) => o with { Seed = seed }, static o => new DiscreteSacEstimator(o), DiscreteSacAgent.FromCheckpoint);

    /// <summary>TD3 (Fujimoto et al. 2018), "td3".</summary>
    public static AgentEstimatorFactory<Td3Options, Td3Agent, Td3Estimator> Td3 { get; } = new(
        Td3Estimator.Name, "Twin delayed DDPG: twin critics, delayed actor, target policy smoothing (continuous actions).",
        static () => new Td3Options(), static (o, seed) => o with { Seed = seed }, static o => new Td3Estimator(o), Td3Agent.FromCheckpoint);

    /// <summary>DDPG (Lillicrap et al. 2016), "ddpg".</summary>
    public static AgentEstimatorFactory<DdpgOptions, DdpgAgent, DdpgEstimator> Ddpg { get; } = new(
        DdpgEstimator.Name, "Deep deterministic policy gradient: deterministic actor, one critic, exploration noise (continuous actions).",
        static () => new DdpgOptions(), static (o, seed) => o with { Seed = seed }, static o => new DdpgEstimator(o), DdpgAgent.FromCheckpoint);

    /// <summary>Cascaded DQN for list-wise actions with AGILE action relations (seed 003, Algorithm 5), "cdqn".</summary>
    public static AgentEstimatorFactory<CdqnOptions, CdqnAgent, CdqnEstimator> Cdqn { get; } = new(
        CdqnEstimator.Name, "Cascaded DQN: a slate of distinct items chosen position by position by a shared AGILE Q-network (ActionList actions).",
        static () => new CdqnOptions(), static (o, seed) => o with { Seed = seed }, static o => new CdqnEstimator(o), CdqnAgent.FromCheckpoint);

    /// <summary>SAVO-TD3 and its actor architectures (seed 003 ch. 4), "savo".</summary>
    public static AgentEstimatorFactory<SavoOptions, SavoAgent, SavoEstimator> Savo { get; } = new(
        SavoEstimator.Name, "SAVO: TD3 with k successive actors and learned surrogates, or another actor architecture (wolpertinger, ensemble, cem, joint); Box or ActionSet actions.",
        static () => new SavoOptions(), static (o, seed) => o with { Seed = seed }, static o => new SavoEstimator(o), SavoAgent.FromCheckpoint);

    /// <summary>Every classic algorithm, in the order above.</summary>
    public static IReadOnlyList<IAgentEstimatorFactory> All { get; } = [Ppo, A2c, Reinforce, Dqn, SoftQ, Sac, DiscreteSac, Td3, Ddpg, Cdqn, Savo];

    /// <summary>A registry holding every classic algorithm, for <see cref="RLContext"/>'s constructor.</summary>
    public static AlgorithmRegistry CreateRegistry()
    {
        var registry = new AlgorithmRegistry();
        AddTo(registry);
        return registry;
    }

    /// <summary>Adds every classic algorithm not yet in <paramref name="registry"/>.</summary>
    internal static void AddTo(AlgorithmRegistry registry)
    {
        foreach (var factory in All) registry.TryAdd(factory);
    }
}

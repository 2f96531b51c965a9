using System.Runtime.CompilerServices;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Hosting;

namespace RLKit.Algorithms.Hosting;

/// <summary>
/// The classic algorithms as <see cref="IAgentEstimatorFactory"/> instances, keyed by their short names: the single
/// source for <c>AddClassicAlgorithms()</c> (keyed DI) and the <c>rl.Agents.Ppo()</c>-style extension methods.
/// </summary>
public static class ClassicAlgorithms
{
    /// <summary>PPO (Schulman et al. 2017), "ppo".</summary>
    public static AgentEstimatorFactory<PpoOptions, PpoAgent> Ppo { get; } = new(
        PpoEstimator.Name, "Proximal policy optimisation: clipped surrogate, GAE, minibatch epochs (discrete and continuous actions).",
        typeof(PpoEstimator), static () => new PpoOptions(), static (o, seed) => o with { Seed = seed }, static o => new PpoEstimator(o));

    /// <summary>A2C (Mnih et al. 2016), "a2c".</summary>
    public static AgentEstimatorFactory<A2cOptions, A2cAgent> A2c { get; } = new(
        A2cEstimator.Name, "Advantage actor-critic: synchronous n-step or GAE returns, shared or separate networks.",
        typeof(A2cEstimator), static () => new A2cOptions(), static (o, seed) => o with { Seed = seed }, static o => new A2cEstimator(o));

    /// <summary>REINFORCE with a learned baseline (Williams 1992), "reinforce".</summary>
    public static AgentEstimatorFactory<ReinforceOptions, ReinforceAgent> Reinforce { get; } = new(
        ReinforceEstimator.Name, "REINFORCE: Monte-Carlo policy gradient with a learned value baseline.",
        typeof(ReinforceEstimator), static () => new ReinforceOptions(), static (o, seed) => o with { Seed = seed }, static o => new ReinforceEstimator(o));

    /// <summary>DQN (Mnih et al. 2015) with double, dueling, n-step and prioritized options, "dqn".</summary>
    public static AgentEstimatorFactory<DqnOptions, DqnAgent> Dqn { get; } = new(
        DqnEstimator.Name, "Deep Q-network: replay, target network, ε-greedy; double, dueling, n-step, prioritized replay.",
        typeof(DqnEstimator), static () => new DqnOptions(), static (o, seed) => o with { Seed = seed }, static o => new DqnEstimator(o));

    /// <summary>Soft Q-learning (Haarnoja et al. 2017; the discrete form Distral builds on), "sql".</summary>
    public static AgentEstimatorFactory<SoftQOptions, SoftQAgent> SoftQ { get; } = new(
        SoftQEstimator.Name, "Soft Q-learning: soft Bellman backup with inverse temperature β and a Boltzmann policy.",
        typeof(SoftQEstimator), static () => new SoftQOptions(), static (o, seed) => o with { Seed = seed }, static o => new SoftQEstimator(o));

    /// <summary>SAC (Haarnoja et al. 2018), "sac".</summary>
    public static AgentEstimatorFactory<SacOptions, SacAgent> Sac { get; } = new(
        SacEstimator.Name, "Soft actor-critic: tanh-Gaussian actor, twin Q critics, automatic entropy tuning (continuous actions).",
        typeof(SacEstimator), static () => new SacOptions(), static (o, seed) => o with { Seed = seed }, static o => new SacEstimator(o));

    /// <summary>Discrete-action SAC (Christodoulou 2019), "sac-discrete".</summary>
    public static AgentEstimatorFactory<DiscreteSacOptions, DiscreteSacAgent> DiscreteSac { get; } = new(
        DiscreteSacEstimator.Name, "Soft actor-critic for discrete actions: categorical actor, twin Q critics, automatic entropy tuning.",
        typeof(DiscreteSacEstimator), static () => new DiscreteSacOptions(), static (o, seed) => o with { Seed = seed }, static o => new DiscreteSacEstimator(o));

    /// <summary>TD3 (Fujimoto et al. 2018), "td3".</summary>
    public static AgentEstimatorFactory<Td3Options, Td3Agent> Td3 { get; } = new(
        Td3Estimator.Name, "Twin delayed DDPG: twin critics, delayed actor, target policy smoothing (continuous actions).",
        typeof(Td3Estimator), static () => new Td3Options(), static (o, seed) => o with { Seed = seed }, static o => new Td3Estimator(o));

    /// <summary>DDPG (Lillicrap et al. 2016), "ddpg".</summary>
    public static AgentEstimatorFactory<DdpgOptions, DdpgAgent> Ddpg { get; } = new(
        DdpgEstimator.Name, "Deep deterministic policy gradient: deterministic actor, one critic, exploration noise (continuous actions).",
        typeof(DdpgEstimator), static () => new DdpgOptions(), static (o, seed) => o with { Seed = seed }, static o => new DdpgEstimator(o));

    /// <summary>Every classic algorithm, in the order above.</summary>
    public static IReadOnlyList<IAgentEstimatorFactory> All { get; } = [Ppo, A2c, Reinforce, Dqn, SoftQ, Sac, DiscreteSac, Td3, Ddpg];

    /// <summary>
    /// Makes sure every classic agent has registered its checkpoint factory in
    /// <see cref="Training.Checkpoints.AgentFactories"/>, so <c>rl.Model.Load(path)</c> can rebuild it even when the
    /// process has not used that agent type yet (agents register from their static constructors). Idempotent.
    /// </summary>
    public static void EnsureCheckpointFactoriesRegistered()
    {
        foreach (var factory in All)
            RuntimeHelpers.RunClassConstructor(factory.AgentType.TypeHandle);
    }

    /// <summary>A registry holding every classic algorithm, for <see cref="RLContext"/>'s constructor.</summary>
    public static AlgorithmRegistry CreateRegistry()
    {
        var registry = new AlgorithmRegistry();
        foreach (var factory in All) registry.TryAdd(factory);
        return registry;
    }
}

using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;




namespace RLKit.Hosting;

/// <summary>
/// <c>rl.Agents.Ppo()</c> and friends: each classic algorithm with a simple overload (defaults, seeded from the
/// context), a configure overload (<c>rl.Agents.Ppo(o =&gt; o with { Gamma = 0.98f })</c>, starting from the seeded
/// defaults) and an options overload (used as given). Options are validated once, when the estimator is created:
/// an invalid value throws <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.
/// </summary>
public static class ClassicAgentCatalogExtensions
{
    // Agents register their checkpoint factories from static constructors; running them here means a context that
    // has made any classic estimator can also load any classic checkpoint.
    static ClassicAgentCatalogExtensions() => ClassicAlgorithms.EnsureCheckpointFactoriesRegistered();

    /// <summary>Creates a PPO (clipped surrogate, GAE, minibatch epochs) estimator with the default options, seeded from the context.</summary>
    public static PpoEstimator Ppo(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new PpoEstimator(ClassicAlgorithms.Ppo.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a PPO (clipped surrogate, GAE, minibatch epochs) estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static PpoEstimator Ppo(this AgentCatalog agents, Func<PpoOptions, PpoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new PpoEstimator(configure(ClassicAlgorithms.Ppo.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a PPO (clipped surrogate, GAE, minibatch epochs) estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static PpoEstimator Ppo(this AgentCatalog agents, PpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new PpoEstimator(options);
    }

    /// <summary>Creates a A2C (n-step or GAE advantage actor-critic) estimator with the default options, seeded from the context.</summary>
    public static A2cEstimator A2c(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new A2cEstimator(ClassicAlgorithms.A2c.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a A2C (n-step or GAE advantage actor-critic) estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static A2cEstimator A2c(this AgentCatalog agents, Func<A2cOptions, A2cOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new A2cEstimator(configure(ClassicAlgorithms.A2c.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a A2C (n-step or GAE advantage actor-critic) estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static A2cEstimator A2c(this AgentCatalog agents, A2cOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new A2cEstimator(options);
    }

    /// <summary>Creates a REINFORCE with a learned baseline estimator with the default options, seeded from the context.</summary>
    public static ReinforceEstimator Reinforce(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new ReinforceEstimator(ClassicAlgorithms.Reinforce.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a REINFORCE with a learned baseline estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static ReinforceEstimator Reinforce(this AgentCatalog agents, Func<ReinforceOptions, ReinforceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new ReinforceEstimator(configure(ClassicAlgorithms.Reinforce.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a REINFORCE with a learned baseline estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static ReinforceEstimator Reinforce(this AgentCatalog agents, ReinforceOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new ReinforceEstimator(options);
    }

    /// <summary>Creates a DQN (target network; double, dueling, n-step, prioritized options) estimator with the default options, seeded from the context.</summary>
    public static DqnEstimator Dqn(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new DqnEstimator(ClassicAlgorithms.Dqn.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a DQN (target network; double, dueling, n-step, prioritized options) estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static DqnEstimator Dqn(this AgentCatalog agents, Func<DqnOptions, DqnOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new DqnEstimator(configure(ClassicAlgorithms.Dqn.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a DQN (target network; double, dueling, n-step, prioritized options) estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static DqnEstimator Dqn(this AgentCatalog agents, DqnOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new DqnEstimator(options);
    }

    /// <summary>Creates a soft Q-learning ("sql": soft Bellman backup, Boltzmann policy) estimator with the default options, seeded from the context.</summary>
    public static SoftQEstimator SoftQ(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new SoftQEstimator(ClassicAlgorithms.SoftQ.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a soft Q-learning ("sql": soft Bellman backup, Boltzmann policy) estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static SoftQEstimator SoftQ(this AgentCatalog agents, Func<SoftQOptions, SoftQOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new SoftQEstimator(configure(ClassicAlgorithms.SoftQ.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a soft Q-learning ("sql": soft Bellman backup, Boltzmann policy) estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static SoftQEstimator SoftQ(this AgentCatalog agents, SoftQOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new SoftQEstimator(options);
    }

    /// <summary>Creates a SAC (tanh-Gaussian actor, twin Q, automatic entropy) estimator with the default options, seeded from the context.</summary>
    public static SacEstimator Sac(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new SacEstimator(ClassicAlgorithms.Sac.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a SAC (tanh-Gaussian actor, twin Q, automatic entropy) estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static SacEstimator Sac(this AgentCatalog agents, Func<SacOptions, SacOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new SacEstimator(configure(ClassicAlgorithms.Sac.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a SAC (tanh-Gaussian actor, twin Q, automatic entropy) estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static SacEstimator Sac(this AgentCatalog agents, SacOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new SacEstimator(options);
    }

    /// <summary>Creates a discrete-action SAC estimator with the default options, seeded from the context.</summary>
    public static DiscreteSacEstimator DiscreteSac(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new DiscreteSacEstimator(ClassicAlgorithms.DiscreteSac.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a discrete-action SAC estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static DiscreteSacEstimator DiscreteSac(this AgentCatalog agents, Func<DiscreteSacOptions, DiscreteSacOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new DiscreteSacEstimator(configure(ClassicAlgorithms.DiscreteSac.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a discrete-action SAC estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static DiscreteSacEstimator DiscreteSac(this AgentCatalog agents, DiscreteSacOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new DiscreteSacEstimator(options);
    }

    /// <summary>Creates a TD3 (twin critics, delayed actor, target smoothing) estimator with the default options, seeded from the context.</summary>
    public static Td3Estimator Td3(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new Td3Estimator(ClassicAlgorithms.Td3.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a TD3 (twin critics, delayed actor, target smoothing) estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static Td3Estimator Td3(this AgentCatalog agents, Func<Td3Options, Td3Options> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new Td3Estimator(configure(ClassicAlgorithms.Td3.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a TD3 (twin critics, delayed actor, target smoothing) estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static Td3Estimator Td3(this AgentCatalog agents, Td3Options options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new Td3Estimator(options);
    }

    /// <summary>Creates a DDPG estimator with the default options, seeded from the context.</summary>
    public static DdpgEstimator Ddpg(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        return new DdpgEstimator(ClassicAlgorithms.Ddpg.DefaultOptions(agents.NextSeed()));
    }

    /// <summary>Creates a DDPG estimator from the seeded defaults changed by <paramref name="configure"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static DdpgEstimator Ddpg(this AgentCatalog agents, Func<DdpgOptions, DdpgOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(configure);
        return new DdpgEstimator(configure(ClassicAlgorithms.Ddpg.DefaultOptions(agents.NextSeed())));
    }

    /// <summary>Creates a DDPG estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names it and its allowed range.</exception>
    public static DdpgEstimator Ddpg(this AgentCatalog agents, DdpgOptions options)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(options);
        return new DdpgEstimator(options);
    }

    /// <summary>
    /// Registers every classic algorithm in this context's <see cref="AgentCatalog.Algorithms"/>, so
    /// <see cref="AgentCatalog.Create"/> can choose them by name ("ppo", "dqn", ...). Idempotent.
    /// </summary>
    public static AgentCatalog AddClassicAlgorithms(this AgentCatalog agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        foreach (var factory in ClassicAlgorithms.All) agents.Register(factory);
        return agents;
    }
}

using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Cdqn;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Savo;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;

namespace RLKit.Hosting;

/// <summary>
/// <c>rl.Agents.Ppo()</c> and friends: each classic algorithm by name, forwarding to
/// <see cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
/// with its <see cref="ClassicAlgorithms"/> factory. Without arguments an algorithm starts from its defaults seeded from
/// the context; a configure function changes those (<c>rl.Agents.Ppo(o =&gt; o with { Gamma = 0.98f })</c>); an options
/// record is used as given. Options are validated once, when the estimator is created: an invalid value throws
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.
/// </summary>
public static class ClassicAgentCatalogExtensions
{
    /// <param name="agents">The context's agent catalog.</param>
    extension(AgentCatalog agents)
    {
        /// <summary>PPO (clipped surrogate, GAE, minibatch epochs) from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public PpoEstimator Ppo(Func<PpoOptions, PpoOptions>? configure = null) => agents.Create(ClassicAlgorithms.Ppo, configure);

        /// <summary>PPO with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public PpoEstimator Ppo(PpoOptions options) => agents.Create(ClassicAlgorithms.Ppo, options);

        /// <summary>A2C (n-step or GAE advantage actor-critic) from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public A2cEstimator A2c(Func<A2cOptions, A2cOptions>? configure = null) => agents.Create(ClassicAlgorithms.A2c, configure);

        /// <summary>A2C with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public A2cEstimator A2c(A2cOptions options) => agents.Create(ClassicAlgorithms.A2c, options);

        /// <summary>REINFORCE with a learned baseline from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public ReinforceEstimator Reinforce(Func<ReinforceOptions, ReinforceOptions>? configure = null) => agents.Create(ClassicAlgorithms.Reinforce, configure);

        /// <summary>REINFORCE with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public ReinforceEstimator Reinforce(ReinforceOptions options) => agents.Create(ClassicAlgorithms.Reinforce, options);

        /// <summary>DQN (target network; double, dueling, n-step, prioritized options) from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public DqnEstimator Dqn(Func<DqnOptions, DqnOptions>? configure = null) => agents.Create(ClassicAlgorithms.Dqn, configure);

        /// <summary>DQN with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public DqnEstimator Dqn(DqnOptions options) => agents.Create(ClassicAlgorithms.Dqn, options);

        /// <summary>Soft Q-learning ("sql": soft Bellman backup, Boltzmann policy) from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public SoftQEstimator SoftQ(Func<SoftQOptions, SoftQOptions>? configure = null) => agents.Create(ClassicAlgorithms.SoftQ, configure);

        /// <summary>Soft Q-learning with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public SoftQEstimator SoftQ(SoftQOptions options) => agents.Create(ClassicAlgorithms.SoftQ, options);

        /// <summary>SAC (tanh-Gaussian actor, twin Q, automatic entropy) from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public SacEstimator Sac(Func<SacOptions, SacOptions>? configure = null) => agents.Create(ClassicAlgorithms.Sac, configure);

        /// <summary>SAC with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public SacEstimator Sac(SacOptions options) => agents.Create(ClassicAlgorithms.Sac, options);

        /// <summary>Discrete-action SAC from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public DiscreteSacEstimator DiscreteSac(Func<DiscreteSacOptions, DiscreteSacOptions>? configure = null) => agents.Create(ClassicAlgorithms.DiscreteSac, configure);

        /// <summary>Discrete-action SAC with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public DiscreteSacEstimator DiscreteSac(DiscreteSacOptions options) => agents.Create(ClassicAlgorithms.DiscreteSac, options);

        /// <summary>TD3 (twin critics, delayed actor, target smoothing) from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public Td3Estimator Td3(Func<Td3Options, Td3Options>? configure = null) => agents.Create(ClassicAlgorithms.Td3, configure);

        /// <summary>TD3 with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public Td3Estimator Td3(Td3Options options) => agents.Create(ClassicAlgorithms.Td3, options);

        /// <summary>DDPG from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public DdpgEstimator Ddpg(Func<DdpgOptions, DdpgOptions>? configure = null) => agents.Create(ClassicAlgorithms.Ddpg, configure);

        /// <summary>DDPG with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public DdpgEstimator Ddpg(DdpgOptions options) => agents.Create(ClassicAlgorithms.Ddpg, options);

        /// <summary>Cascaded DQN (list-wise actions, AGILE Q-network) from the seeded defaults (seed 003's RecSim settings), changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public CdqnEstimator Cdqn(Func<CdqnOptions, CdqnOptions>? configure = null) => agents.Create(ClassicAlgorithms.Cdqn, configure);

        /// <summary>Cascaded DQN with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public CdqnEstimator Cdqn(CdqnOptions options) => agents.Create(ClassicAlgorithms.Cdqn, options);

        /// <summary>SAVO-TD3 (k = 3 successive actor-surrogates; or another <see cref="SavoOptions.Architecture"/>) from the seeded defaults, changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public SavoEstimator Savo(Func<SavoOptions, SavoOptions>? configure = null) => agents.Create(ClassicAlgorithms.Savo, configure);

        /// <summary>SAVO-TD3 with exactly <paramref name="options"/> (seed included).</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public SavoEstimator Savo(SavoOptions options) => agents.Create(ClassicAlgorithms.Savo, options);

        /// <summary>
        /// Registers every classic algorithm in this context's <see cref="AgentCatalog.Algorithms"/>, so
        /// <see cref="AgentCatalog.Create(string, object?)"/> can choose them by name ("ppo", "dqn", ...). Idempotent.
        /// </summary>
        public AgentCatalog AddClassicAlgorithms()
        {
            ClassicAlgorithms.AddTo(agents.Algorithms);
            return agents;
        }
    }
}

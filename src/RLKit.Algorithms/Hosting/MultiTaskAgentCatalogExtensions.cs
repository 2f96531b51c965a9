using RLKit.Algorithms.Distral;
using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;

namespace RLKit.Hosting;

/// <summary>
/// <c>rl.Agents.Distral()</c>, <c>rl.Agents.MultiTaskSac()</c>, <c>rl.Agents.Qmp()</c>: the multi-task algorithms by name, forwarding to
/// <see cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
/// with their <see cref="MultiTaskAlgorithms"/> factories. Fit the estimator on a task set
/// (<c>rl.Environments.MakeTaskSet("distral-grids-4-8")</c>).
/// </summary>
public static class MultiTaskAgentCatalogExtensions
{
    /// <param name="agents">The context's agent catalog.</param>
    extension(AgentCatalog agents)
    {
        /// <summary>Distral from the seeded defaults (the thesis's 2-col soft Q-learning), changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public DistralEstimator Distral(Func<DistralOptions, DistralOptions>? configure = null) => agents.Create(MultiTaskAlgorithms.Distral, configure);

        /// <summary>Distral with exactly <paramref name="options"/> (seed included), e.g. <c>DistralOptions.PaperReplication</c>.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public DistralEstimator Distral(DistralOptions options) => agents.Create(MultiTaskAlgorithms.Distral, options);

        /// <summary>Multi-task SAC from the seeded defaults (Table 1's maze column, separate networks), changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public MultiTaskSacEstimator MultiTaskSac(Func<MultiTaskSacOptions, MultiTaskSacOptions>? configure = null) => agents.Create(MultiTaskAlgorithms.MultiTaskSac, configure);

        /// <summary>Multi-task SAC with exactly <paramref name="options"/> (seed included), e.g. <c>MultiTaskSacOptions.Reacher</c>.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public MultiTaskSacEstimator MultiTaskSac(MultiTaskSacOptions options) => agents.Create(MultiTaskAlgorithms.MultiTaskSac, options);

        /// <summary>QMP from the seeded defaults (Table 1's maze column, Q-switch), changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public QmpEstimator Qmp(Func<QmpOptions, QmpOptions>? configure = null) => agents.Create(MultiTaskAlgorithms.Qmp, configure);

        /// <summary>QMP with exactly <paramref name="options"/> (seed included), e.g. a preset from <c>MultiTaskSacOptions.Preset</c>.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public QmpEstimator Qmp(QmpOptions options) => agents.Create(MultiTaskAlgorithms.Qmp, options);

        /// <summary>QMP with exactly <paramref name="options"/> and a user <paramref name="mixer"/> (e.g. resolved from DI) instead of the built-in named by the options.</summary>
        /// <param name="options">The options, used as given.</param>
        /// <param name="mixer">The behaviour mixer.</param>
        /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
        public QmpEstimator Qmp(QmpOptions options, IBehaviorMixer mixer)
        {
            ArgumentNullException.ThrowIfNull(mixer);
            return new QmpEstimator(options, mixer: mixer);
        }

        /// <summary>DnC from the seeded defaults (Table 1's maze column, full DnC with β = 1e-3), changed by <paramref name="configure"/> when given.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
        public DncEstimator Dnc(Func<DncOptions, DncOptions>? configure = null) => agents.Create(MultiTaskAlgorithms.Dnc, configure);

        /// <summary>DnC with exactly <paramref name="options"/> (seed included), e.g. a preset from <c>MultiTaskSacOptions.Preset</c>.</summary>
        /// <inheritdoc cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, TOptions)"/>
        public DncEstimator Dnc(DncOptions options) => agents.Create(MultiTaskAlgorithms.Dnc, options);
    }
}

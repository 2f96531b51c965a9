using RLKit.Algorithms.Distral;
using RLKit.Algorithms.Hosting;

namespace RLKit.Hosting;

/// <summary>
/// <c>rl.Agents.Distral()</c>: the multi-task algorithms by name, forwarding to
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
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.Qmp;

namespace RLKit.Hosting;

/// <summary>Registers RLKit.Algorithms' multi-task algorithms with <c>AddRLKit</c>.</summary>
public static class MultiTaskAlgorithmsBuilderExtensions
{
    /// <summary>
    /// Registers the multi-task algorithms — Distral ("distral"), multi-task SAC ("mt-sac") and QMP ("qmp") — as keyed
    /// <see cref="IAgentEstimatorFactory"/> services and in the <see cref="AlgorithmRegistry"/>, so the container's
    /// <see cref="RLContext"/> creates them by name and restores their checkpoints; and QMP's built-in behaviour mixers
    /// as keyed <see cref="IBehaviorMixer"/> singletons ("q-switch", "uniform", "domain", "softmax"), next to which an app
    /// registers its own (<c>services.AddKeyedSingleton&lt;IBehaviorMixer&gt;("mine", …)</c>) and hands it to
    /// <c>rl.Agents.Qmp(options, mixer)</c>. Idempotent.
    /// </summary>
    public static RLKitBuilder AddMultiTaskAlgorithms(this RLKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var factory in MultiTaskAlgorithms.All) builder.AddAlgorithm(factory);
        foreach (var (name, mixer) in BehaviorMixers.All) builder.Services.TryAddKeyedSingleton(name, mixer);
        return builder;
    }
}

using RLKit.Algorithms.Hosting;

namespace RLKit.Hosting;

/// <summary>Registers RLKit.Algorithms' multi-task algorithms with <c>AddRLKit</c>.</summary>
public static class MultiTaskAlgorithmsBuilderExtensions
{
    /// <summary>
    /// Registers Distral as a keyed <see cref="IAgentEstimatorFactory"/> service ("distral") and in the
    /// <see cref="AlgorithmRegistry"/>, so the container's <see cref="RLContext"/> creates it by name and restores its
    /// checkpoints. Idempotent.
    /// </summary>
    public static RLKitBuilder AddMultiTaskAlgorithms(this RLKitBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var factory in MultiTaskAlgorithms.All) builder.AddAlgorithm(factory);
        return builder;
    }
}

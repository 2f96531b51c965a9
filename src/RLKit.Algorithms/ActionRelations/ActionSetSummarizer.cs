using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>Summarises a padded set of per-action features into one vector per row.</summary>
public interface IActionSetSummarizer
{
    /// <summary>The summary width.</summary>
    int OutputSize { get; }

    /// <summary>Summarises the real actions of each row.</summary>
    /// <param name="features">[B, M, H] per-action features.</param>
    /// <param name="mask">[B, M]: 1 = real action, 0 = padding.</param>
    /// <returns>[B, <see cref="OutputSize"/>], invariant to the order of the real actions and blind to padding.</returns>
    Tensor Summarize(Tensor features, Tensor mask);
}

/// <summary>A trainable <see cref="IActionSetSummarizer"/>.</summary>
public abstract class ActionSetSummarizer : Module, IActionSetSummarizer
{
    /// <summary>Creates the summarizer's shape description.</summary>
    /// <param name="featureSize">Per-action feature width H (≥ 1).</param>
    /// <param name="outputSize">Summary width (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">If a width is below 1.</exception>
    protected ActionSetSummarizer(int featureSize, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        FeatureSize = featureSize;
        OutputSize = outputSize;
    }

    /// <summary>Per-action feature width H.</summary>
    public int FeatureSize { get; }

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <inheritdoc/>
    public abstract Tensor Summarize(Tensor features, Tensor mask);
}

/// <summary>Creates a summarizer, or returns null for "no summary"; registered as a keyed service by <c>AddClassicAlgorithms()</c>.</summary>
/// <param name="featureSize">Per-action feature width.</param>
/// <param name="options">The relation options (summary width).</param>
/// <param name="rng">Initialises the summarizer's weights.</param>
public delegate ActionSetSummarizer? ActionSetSummarizerFactory(int featureSize, ActionRelationOptions options, RandomGenerator rng);

/// <summary>The built-in summarizers by name ("mean", "none").</summary>
public static class ActionSetSummarizers
{
    /// <summary>The summarizers by name; "none" creates null.</summary>
    public static IReadOnlyDictionary<string, ActionSetSummarizerFactory> All { get; } = new Dictionary<string, ActionSetSummarizerFactory>(StringComparer.Ordinal)
    {
        ["mean"] = static (features, options, rng) => new MeanSummarizer(features, options.HiddenSize, rng),
        ["none"] = static (_, _, _) => null,
    };

    /// <summary>The summarizer names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mean", "none"];

    /// <summary>Creates the summarizer named by <paramref name="options"/>.<see cref="ActionRelationOptions.Summarizer"/> (null for "none").</summary>
    /// <exception cref="ArgumentException">If the name is unknown (the message lists the known names).</exception>
    public static ActionSetSummarizer? Create(int featureSize, ActionRelationOptions options, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        return All.TryGetValue(options.Summarizer ?? "", out var factory)
            ? factory(featureSize, options, rng)
            : throw new ArgumentException($"ActionSetSummarizers: unknown summarizer '{options.Summarizer}'; known summarizers: {string.Join(", ", Names)}.", nameof(options));
    }
}

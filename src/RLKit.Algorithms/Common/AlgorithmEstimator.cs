using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// What every estimator of RLKit.Algorithms shares besides its <c>FitCore</c>: its name and its options record,
/// validated once, here, where the options enter.
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
/// <typeparam name="TAgent">The agent the algorithm produces.</typeparam>
public abstract class AlgorithmEstimator<TOptions, TAgent> : AgentEstimator<TAgent>
    where TOptions : class, IAlgorithmOptions where TAgent : class, IAgent
{
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it and its allowed range).</exception>
    private protected AlgorithmEstimator(string algorithm, TOptions options, IReadOnlyList<ITrainingCallback>? callbacks) : base(callbacks)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Algorithm = algorithm;
        Options = options;
    }

    /// <inheritdoc/>
    public override string Algorithm { get; }

    /// <summary>The hyperparameters (validated).</summary>
    public TOptions Options { get; }
}

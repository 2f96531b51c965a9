using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Common;

/// <summary>
/// What every RLKit.Algorithms agent carries besides its networks: the spaces it acts in, the options it was trained
/// with, and the optimizer state that lets a warm-started <c>Fit</c> resume. Subclasses supply the algorithm name,
/// the weights and the acting.
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record (saved in checkpoints).</typeparam>
public abstract class Agent<TOptions> : IResumableAgent where TOptions : class
{
    private protected Agent(Space observationSpace, Space actionSpace, TOptions options)
    {
        ObservationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentNullException(nameof(actionSpace));
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <inheritdoc/>
    public abstract string Algorithm { get; }

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The options the agent was trained with.</summary>
    public TOptions Options { get; }

    /// <inheritdoc/>
    object ICheckpointable.Options => Options;

    /// <summary>
    /// The state of the optimizers that trained this agent, stored by the estimator at the end of <c>Fit</c> and
    /// restored by the next warm-started <c>Fit</c>; saved and loaded with the checkpoint. Null before training.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? OptimizerState { get; set; }

    /// <inheritdoc/>
    public abstract IReadOnlyDictionary<string, Tensor> Weights { get; }

    /// <inheritdoc/>
    public abstract void LoadWeights(IReadOnlyDictionary<string, Tensor> weights);

    /// <inheritdoc/>
    public abstract void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null);

    /// <inheritdoc/>
    public abstract void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null);
}

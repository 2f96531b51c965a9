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
public abstract class Agent<TOptions> : IResumableAgent where TOptions : class, IAlgorithmOptions
{
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it and its range).</exception>
    private protected Agent(Space observationSpace, Space actionSpace, TOptions options)
    {
        ObservationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentNullException(nameof(actionSpace));
        Options = Validated(options);
    }

    /// <summary>
    /// <paramref name="options"/>, checked: for subclass constructors that read options while building the base call,
    /// so an invalid or null record fails with a clear message before anything uses it.
    /// </summary>
    /// <exception cref="ArgumentNullException">If <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid.</exception>
    private protected static TOptions Validated(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <summary>
    /// Rebuilds an agent from a checkpoint: its options (validated), its spaces (the action space must be a
    /// <typeparamref name="TActionSpace"/>) and <paramref name="create"/>, then loads the checkpoint's weights.
    /// </summary>
    /// <exception cref="ArgumentException">If the stored action space is of another kind or the weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    private protected static TAgent Restore<TAgent, TActionSpace>(CheckpointData checkpoint, string algorithm,
                                                                  Func<Space, TActionSpace, TOptions, TAgent> create)
        where TAgent : Agent<TOptions> where TActionSpace : Space
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = Validated(checkpoint.GetOptions<TOptions>());
        var actionSpace = checkpoint.Metadata.ActionSpace.ToSpace() as TActionSpace
            ?? throw new ArgumentException(
                $"{algorithm}: the checkpoint's action space {checkpoint.Metadata.ActionSpace.Description} is not a {typeof(TActionSpace).Name}.", nameof(checkpoint));
        var agent = create(checkpoint.Metadata.ObservationSpace.ToSpace(), actionSpace, options);
        agent.LoadWeights(checkpoint.Weights);
        return agent;
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

    /// <summary>
    /// Where the off-policy <c>Fit</c> that trained this agent stopped (counts, counters, random generators, target
    /// networks), so the next warm-started <c>Fit</c> resumes bit for bit; saved and loaded with the checkpoint. Null
    /// before training and for on-policy algorithms.
    /// </summary>
    public TrainingState? TrainingState { get; set; }

    /// <inheritdoc/>
    public abstract IReadOnlyDictionary<string, Tensor> Weights { get; }

    /// <inheritdoc/>
    public abstract void LoadWeights(IReadOnlyDictionary<string, Tensor> weights);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the observations are not [N, obs] or not all finite (NaN or ±∞), or the action span has the wrong length.</exception>
    public abstract void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the observations are not [N, obs] or not all finite (NaN or ±∞), or the action span has the wrong length.</exception>
    public abstract void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null);
}

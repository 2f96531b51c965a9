using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Common;

/// <summary>
/// What TD3 and DDPG agents share: a deterministic tanh actor rescaled to the action box, with one or two critics.
/// Deterministic acting returns μ(s); stochastic acting adds Gaussian noise of the training exploration scale,
/// clipped to the box. The subclasses differ only in their name, options type and number of critics.
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
public abstract class DeterministicActorAgent<TOptions> : Agent<TOptions> where TOptions : class
{
    private readonly RandomGenerator _fallbackRng;
    private readonly float _explorationNoiseStd;

    private protected DeterministicActorAgent(Space observationSpace, Box actionSpace, DeterministicNetworks networks, TOptions options,
                                              float explorationNoiseStd, ulong seed)
        : base(observationSpace, actionSpace, options)
    {
        Networks = networks;
        _explorationNoiseStd = explorationNoiseStd;
        _fallbackRng = new RandomGenerator(seed + 7919);
    }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces with <paramref name="create"/>, then loads its weights.
    /// </summary>
    private protected static TAgent Restore<TAgent>(CheckpointData checkpoint, string algorithm, Action<TOptions> validate,
                                                    Func<Space, Box, TOptions, TAgent> create) where TAgent : DeterministicActorAgent<TOptions>
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<TOptions>();
        validate(options);
        var actionSpace = checkpoint.Metadata.ActionSpace.ToSpace() as Box
            ?? throw new ArgumentException($"{algorithm}: the checkpoint's action space is not a Box.", nameof(checkpoint));
        var agent = create(checkpoint.Metadata.ObservationSpace.ToSpace(), actionSpace, options);
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    /// <inheritdoc/>

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights => Networks.Q2 is null
        ? AgentWeights.Collect([("actor", Networks.Actor), ("q1", Networks.Q1)])
        : AgentWeights.Collect([("actor", Networks.Actor), ("q1", Networks.Q1), ("q2", Networks.Q2)]);

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => AgentWeights.Load(Weights, weights, Algorithm);

    internal DeterministicNetworks Networks { get; }

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException($"{Algorithm} acts in a continuous (Box) action space; use the Span<float> overload.");

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int actionSize = ActionSpace.FlatSize;
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, actionSize, Algorithm);
        using (TensorScope.Begin())
        using (GradMode.NoGrad())
            Networks.Actor.Forward(AgentActing.Flat(observations)).AsReadOnlySpan().CopyTo(actions);
        if (deterministic) return;
        var box = (Box)ActionSpace;
        var random = rng ?? _fallbackRng;
        var scale = Networks.Actor.Rescaler.Scale.AsReadOnlySpan();
        for (int j = 0; j < actions.Length; j++)
        {
            int d = j % actionSize;
            actions[j] = Math.Clamp(actions[j] + random.Normal(0f, _explorationNoiseStd) * scale[d], box.Low[d], box.High[d]);
        }
    }
}

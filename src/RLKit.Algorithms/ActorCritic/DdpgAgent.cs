using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.ActorCritic;

/// <summary>
/// A policy trained by <see cref="DdpgEstimator"/> (DDPG): a deterministic tanh actor rescaled to the action box.
/// Deterministic acting returns μ(s); stochastic acting adds Gaussian noise of the training exploration scale, clipped to the box.
/// </summary>
public sealed class DdpgAgent : ICheckpointable
{
    private readonly RandomGenerator _fallbackRng;

    static DdpgAgent() => AgentFactories.Register("ddpg", FromCheckpoint);

    /// <summary>An untrained agent with fresh networks drawn from <paramref name="rng"/>.</summary>
    internal static DdpgAgent Create(Space observationSpace, Box actionSpace, DdpgOptions options, RandomGenerator rng) =>
        new(observationSpace, actionSpace, new DeterministicNetworks(observationSpace.FlatSize, actionSpace, options.HiddenSizes, twinCritics: false, rng), options);

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with its weights.</summary>
    /// <exception cref="ArgumentException">If the action space is not a Box or the weights do not fit.</exception>
    public static DdpgAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<DdpgOptions>().Validate();
        var actionSpace = checkpoint.Metadata.ActionSpace.ToSpace() as Box
            ?? throw new ArgumentException("ddpg: the checkpoint's action space is not a Box.", nameof(checkpoint));
        var agent = Create(checkpoint.Metadata.ObservationSpace.ToSpace(), actionSpace, options, new RandomGenerator(options.Seed));
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    internal DdpgAgent(Space observationSpace, Box actionSpace, DeterministicNetworks networks, DdpgOptions options)
    {
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        Networks = networks;
        Options = options;
        _fallbackRng = new RandomGenerator(options.Seed + 7919);
    }

    /// <inheritdoc/>
    public string Algorithm => "ddpg";

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The options the agent was trained with.</summary>
    public DdpgOptions Options { get; }

    /// <inheritdoc/>
    object ICheckpointable.Options => Options;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Tensor> Weights => Networks.Q2 is null
        ? AgentWeights.Collect([("actor", Networks.Actor), ("q1", Networks.Q1)])
        : AgentWeights.Collect([("actor", Networks.Actor), ("q1", Networks.Q1), ("q2", Networks.Q2)]);

    /// <inheritdoc/>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => AgentWeights.Load(Weights, weights, Algorithm);

    internal DeterministicNetworks Networks { get; }

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("ddpg acts in a continuous (Box) action space; use the Span<float> overload.");

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
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
            actions[j] = Math.Clamp(actions[j] + random.Normal(0f, Options.ExplorationNoiseStd) * scale[d], box.Low[d], box.High[d]);
        }
    }
}

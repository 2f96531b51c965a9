using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// What TD3 and DDPG agents share: a deterministic tanh actor rescaled to the action box, with one or two critics.
/// Deterministic acting returns μ(s); stochastic acting adds Gaussian noise of the training exploration scale,
/// clipped to the box. The subclasses differ only in their name, options type and number of critics.
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
public abstract class DeterministicActorAgent<TOptions> : OffPolicyAgent<TOptions> where TOptions : DeterministicPolicyGradientOptions
{
    private readonly RandomGenerator _fallbackRng;

    private protected DeterministicActorAgent(Space observationSpace, Box actionSpace, DeterministicNetworks networks, TOptions options)
        : base(observationSpace, actionSpace, options)
    {
        Networks = networks;
        _fallbackRng = new RandomGenerator(options.Seed + 7919);
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
            actions[j] = Math.Clamp(actions[j] + random.Normal(0f, Options.ExplorationNoiseStd) * scale[d], box.Low[d], box.High[d]);
        }
    }
}

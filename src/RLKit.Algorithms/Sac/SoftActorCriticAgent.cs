using RLKit.Algorithms.Common;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// What the continuous and discrete SAC agents share: an actor, twin critics and the learned entropy temperature
/// log α, all checkpointed ("actor.", "q1.", "q2.", "log_alpha") so a loaded agent can warm-start training, and a
/// fallback generator for stochastic acting. The subclasses add how the actor acts in their action space.
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
public abstract class SoftActorCriticAgent<TOptions> : OffPolicyAgent<TOptions> where TOptions : class, IAlgorithmOptions
{
    private readonly Module _actor, _q1, _q2;

    private protected SoftActorCriticAgent(Space observationSpace, Space actionSpace, Module actor, Module q1, Module q2, Tensor logAlpha,
                                           TOptions options)
        : base(observationSpace, actionSpace, options)
    {
        (_actor, _q1, _q2) = (actor, q1, q2);
        LogAlpha = logAlpha;
        FallbackRng = new RandomGenerator(options.Seed + 7919);
    }

    /// <summary>The current entropy temperature α.</summary>
    public float Alpha => MathF.Exp(LogAlpha.AsReadOnlySpan()[0]);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights =>
        AgentWeights.Collect([("actor", _actor), ("q1", _q1), ("q2", _q2)], ("log_alpha", LogAlpha));

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => AgentWeights.Load(Weights, weights, Algorithm);

    /// <summary>The learned log α, shape [1].</summary>
    internal Tensor LogAlpha { get; }

    /// <summary>Samples stochastic actions when <c>Act</c> is given no generator.</summary>
    private protected RandomGenerator FallbackRng { get; }

}

using RLKit.Autograd;
using RLKit.Distributions;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ActorCritic;

/// <summary>
/// A policy trained by <see cref="DiscreteSacEstimator"/>: a categorical policy over a <see cref="Discrete"/> space.
/// Deterministic acting takes the most probable action; stochastic acting samples.
/// </summary>
public sealed class DiscreteSacAgent : IAgent
{
    private readonly RandomGenerator _fallbackRng;

    internal DiscreteSacAgent(Space observationSpace, Discrete actionSpace, Mlp actor, Mlp q1, Mlp q2, Tensor logAlpha, DiscreteSacOptions options)
    {
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        Actor = actor;
        Q1 = q1;
        Q2 = q2;
        LogAlpha = logAlpha;
        Options = options;
        _fallbackRng = new RandomGenerator(options.Seed + 7919);
    }

    /// <inheritdoc/>
    public string Algorithm => "sac-discrete";

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The options the agent was trained with.</summary>
    public DiscreteSacOptions Options { get; }

    /// <summary>The current entropy temperature α.</summary>
    public float Alpha => MathF.Exp(LogAlpha.AsReadOnlySpan()[0]);

    /// <summary>Policy logits, [B, |A|].</summary>
    internal Mlp Actor { get; }
    internal Mlp Q1 { get; }
    internal Mlp Q2 { get; }
    internal Tensor LogAlpha { get; }

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, 1, Algorithm);
        int start = ((Discrete)ActionSpace).Start;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var policy = new Categorical(Actor.Forward(AgentActing.Flat(observations)));
        var chosen = deterministic ? policy.Mode() : policy.Sample(rng ?? _fallbackRng);
        for (int i = 0; i < chosen.Length; i++) actions[i] = chosen[i] + start;
    }

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("sac-discrete acts in a Discrete action space; use the Span<int> overload.");
}

using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ActorCritic;

/// <summary>
/// A policy trained by <see cref="SacEstimator"/>: a squashed Gaussian actor. Deterministic acting takes tanh(μ)
/// rescaled to the action box; stochastic acting samples tanh(μ + σε).
/// </summary>
public sealed class SacAgent : IAgent
{
    private readonly RandomGenerator _fallbackRng;

    internal SacAgent(Space observationSpace, Box actionSpace, TanhGaussianActor actor, ContinuousQNetwork q1, ContinuousQNetwork q2,
                      Tensor logAlpha, SacOptions options)
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
    public string Algorithm => "sac";

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The options the agent was trained with.</summary>
    public SacOptions Options { get; }

    /// <summary>The current entropy temperature α.</summary>
    public float Alpha => MathF.Exp(LogAlpha.AsReadOnlySpan()[0]);

    internal TanhGaussianActor Actor { get; }
    internal ContinuousQNetwork Q1 { get; }
    internal ContinuousQNetwork Q2 { get; }
    internal Tensor LogAlpha { get; }

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("sac acts in a continuous (Box) action space; use the Span<float> overload.");

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int actionSize = ActionSpace.FlatSize;
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, actionSize, Algorithm);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var flat = AgentActing.Flat(observations);
        var chosen = deterministic
            ? Actor.Deterministic(flat)
            : Actor.Sample(flat, Tensor.RandomNormal(rng ?? _fallbackRng, [flat.Dim(0), actionSize])).Action;
        chosen.AsReadOnlySpan().CopyTo(actions);
    }
}

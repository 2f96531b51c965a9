using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// A policy trained by <see cref="SacEstimator"/>: a squashed Gaussian actor. Deterministic acting takes tanh(μ)
/// rescaled to the action box; stochastic acting samples tanh(μ + σε).
/// </summary>
public sealed class SacAgent : SoftActorCriticAgent<SacOptions>
{
    /// <summary>An untrained agent: fresh actor, critics and log α = 0 (or log of the fixed α), drawn from <paramref name="rng"/>.</summary>
    internal static SacAgent Create(Space observationSpace, Box actionSpace, SacOptions options, RandomGenerator rng)
    {
        int observationSize = observationSpace.FlatSize, actionSize = actionSpace.FlatSize;
        return new SacAgent(observationSpace, actionSpace,
            new TanhGaussianActor(observationSize, actionSpace, options.HiddenSizes, rng),
            new ContinuousQNetwork(observationSize, actionSize, options.HiddenSizes, rng),
            new ContinuousQNetwork(observationSize, actionSize, options.HiddenSizes, rng),
            OffPolicyHelpers.NewLogAlpha(options.AutoTuneAlpha ? 0f : MathF.Log(options.Alpha)), options);
    }

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with its weights.</summary>
    /// <exception cref="ArgumentException">If the action space is not a Box or the weights do not fit.</exception>
    public static SacAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, SacEstimator.Name, static (Space observationSpace, Box actionSpace, SacOptions options) => Create(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    private SacAgent(Space observationSpace, Box actionSpace, TanhGaussianActor actor, ContinuousQNetwork q1, ContinuousQNetwork q2,
                     Tensor logAlpha, SacOptions options)
        : base(observationSpace, actionSpace, actor, q1, q2, logAlpha, options)
    {
        Actor = actor;
        Q1 = q1;
        Q2 = q2;
    }

    /// <inheritdoc/>
    public override string Algorithm => SacEstimator.Name;

    internal TanhGaussianActor Actor { get; }
    internal ContinuousQNetwork Q1 { get; }
    internal ContinuousQNetwork Q2 { get; }

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("sac acts in a continuous (Box) action space; use the Span<float> overload.");

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int actionSize = ActionSpace.FlatSize;
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, actionSize, Algorithm);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var flat = AgentActing.Flat(observations);
        var chosen = deterministic
            ? Actor.Deterministic(flat)
            : Actor.Sample(flat, Tensor.RandomNormal(rng ?? FallbackRng, [flat.Dim(0), actionSize])).Action;
        chosen.AsReadOnlySpan().CopyTo(actions);
    }
}

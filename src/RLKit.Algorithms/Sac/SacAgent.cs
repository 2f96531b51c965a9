using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// A policy trained by <see cref="SacEstimator"/>: a squashed Gaussian actor. Deterministic acting takes tanh(μ)
/// rescaled to the action box; stochastic acting samples tanh(μ + σε).
/// </summary>
public sealed class SacAgent : Agent<SacOptions>
{
    private readonly RandomGenerator _fallbackRng;

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
    public static SacAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<SacOptions>().Validate();
        var actionSpace = checkpoint.Metadata.ActionSpace.ToSpace() as Box
            ?? throw new ArgumentException("sac: the checkpoint's action space is not a Box.", nameof(checkpoint));
        var agent = Create(checkpoint.Metadata.ObservationSpace.ToSpace(), actionSpace, options, new RandomGenerator(options.Seed));
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    internal SacAgent(Space observationSpace, Box actionSpace, TanhGaussianActor actor, ContinuousQNetwork q1, ContinuousQNetwork q2,
                      Tensor logAlpha, SacOptions options)
        : base(observationSpace, actionSpace, options)
    {
        Actor = actor;
        Q1 = q1;
        Q2 = q2;
        LogAlpha = logAlpha;
        _fallbackRng = new RandomGenerator(options.Seed + 7919);
    }

    /// <inheritdoc/>
    public override string Algorithm => "sac";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights =>
        AgentWeights.Collect([("actor", Actor), ("q1", Q1), ("q2", Q2)], ("log_alpha", LogAlpha));

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => AgentWeights.Load(Weights, weights, Algorithm);

    /// <summary>The current entropy temperature α.</summary>
    public float Alpha => MathF.Exp(LogAlpha.AsReadOnlySpan()[0]);

    internal TanhGaussianActor Actor { get; }
    internal ContinuousQNetwork Q1 { get; }
    internal ContinuousQNetwork Q2 { get; }
    internal Tensor LogAlpha { get; }

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
            : Actor.Sample(flat, Tensor.RandomNormal(rng ?? _fallbackRng, [flat.Dim(0), actionSize])).Action;
        chosen.AsReadOnlySpan().CopyTo(actions);
    }
}

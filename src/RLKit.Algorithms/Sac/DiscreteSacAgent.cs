using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Distributions;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// A policy trained by <see cref="DiscreteSacEstimator"/>: a categorical policy over a <see cref="Discrete"/> space.
/// Deterministic acting takes the most probable action; stochastic acting samples.
/// </summary>
public sealed class DiscreteSacAgent : SoftActorCriticAgent<DiscreteSacOptions>
{
    /// <summary>An untrained agent: fresh policy and critic MLPs and log α = 0 (or log of the fixed α), drawn from <paramref name="rng"/>.</summary>
    internal static DiscreteSacAgent Create(Space observationSpace, Discrete actionSpace, DiscreteSacOptions options, RandomGenerator rng)
    {
        int[] sizes = [observationSpace.FlatSize, .. options.HiddenSizes, actionSpace.N];
        return new DiscreteSacAgent(observationSpace, actionSpace, new Mlp(sizes, rng), new Mlp(sizes, rng), new Mlp(sizes, rng),
            OffPolicyHelpers.NewLogAlpha(options.AutoTuneAlpha ? 0f : MathF.Log(options.Alpha)), options);
    }

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with its weights.</summary>
    /// <exception cref="ArgumentException">If the action space is not Discrete or the weights do not fit.</exception>
    public static DiscreteSacAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, DiscreteSacEstimator.Name, static (Space observationSpace, Discrete actionSpace, DiscreteSacOptions options) => Create(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    private DiscreteSacAgent(Space observationSpace, Discrete actionSpace, Mlp actor, Mlp q1, Mlp q2, Tensor logAlpha, DiscreteSacOptions options)
        : base(observationSpace, actionSpace, actor, q1, q2, logAlpha, options)
    {
        Actor = actor;
        Q1 = q1;
        Q2 = q2;
    }

    /// <inheritdoc/>
    public override string Algorithm => DiscreteSacEstimator.Name;

    internal Mlp Actor { get; }
    internal Mlp Q1 { get; }
    internal Mlp Q2 { get; }

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, 1, Algorithm);
        int start = ((Discrete)ActionSpace).Start;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var policy = new Categorical(Actor.Forward(AgentActing.Flat(observations)));
        var chosen = deterministic ? policy.Mode() : policy.Sample(rng ?? FallbackRng);
        for (int i = 0; i < chosen.Length; i++) actions[i] = chosen[i] + start;
    }

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("sac-discrete acts in a Discrete action space; use the Span<int> overload.");
}

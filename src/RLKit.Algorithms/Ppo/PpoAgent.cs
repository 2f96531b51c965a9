using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Ppo;

/// <summary>
/// A PPO policy: an <see cref="ActorCriticNetwork"/> network whose head fits the action space (categorical for
/// Discrete, masked categorical for ActionSet, diagonal Gaussian for Box). Acting runs the network under
/// <see cref="GradMode.NoGrad"/>; continuous actions are clipped to the box, as SB3 does when stepping.
/// </summary>
public sealed class PpoAgent : Agent<PpoOptions>
{
    private readonly RandomGenerator _defaultRng;

    /// <summary>Builds an untrained agent for the given spaces.</summary>
    /// <exception cref="NotSupportedException">If the action space has no on-policy head (see <see cref="PolicyHeads.OnPolicy"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid.</exception>
    public PpoAgent(Space observationSpace, Space actionSpace, PpoOptions options, RandomGenerator rng)
        : base(observationSpace, actionSpace, options)
    {
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        PolicyHead Head(int latent, RandomGenerator r) => actionSpace is Box box && box.Shape.Length == 1
            ? new DiagGaussianHead(latent, box.FlatSize, r, initialLogStd: options.InitialLogStd)
            : PolicyHeads.OnPolicy(actionSpace, latent, r);
        Network = options.SharedFeatures is null
            ? new ActorCriticNetwork(observationSpace.FlatSize, Head, rng, options.HiddenSizes, options.SharedNetwork)
            : new SharedFeatureNetwork(observationSpace.FlatSize, Head, rng, options.SharedFeatures);
        _defaultRng = rng.Split();
    }

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces (weights are copied by <see cref="Checkpoint.LoadAgent"/>).</summary>
    public static PpoAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<PpoOptions>();
        var agent = new PpoAgent(checkpoint.Metadata.ObservationSpace.ToSpace(), checkpoint.Metadata.ActionSpace.ToSpace(),
                                 options, new RandomGenerator(options.Seed));
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    /// <inheritdoc/>
    public override string Algorithm => "ppo";

    /// <summary>
    /// The actor-critic network (its <c>StateDict()</c> is the agent's weights): an <see cref="ActorCriticNetwork"/>, or
    /// the Mix &amp; Mask <see cref="SharedFeatureNetwork"/> when <see cref="PpoOptions.SharedFeatures"/> is set.
    /// </summary>
    public ActorCriticModel Network { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights => Network.StateDict();

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var problems = Checkpoint.DescribeWeightMismatches(Network.StateDict(), weights);
        if (problems.Count > 0)
            throw new ArgumentException($"PpoAgent.LoadWeights: the weights do not fit this network: {string.Join("; ", problems)}.", nameof(weights));
        Network.LoadStateDict(weights);
    }

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if (!Network.Head.IsDiscrete)
            throw new NotSupportedException($"PpoAgent: the action space {ActionSpace} is continuous; call Act with a Span<float>.");
        CheckBatch(observations, actions.Length, 1);
        using var noGrad = GradMode.NoGrad();
        using var mode = Network.ActingMode(deterministic);
        using var scope = TensorScope.Begin();
        var policy = Network.Policy(observations);
        if (deterministic) policy.Mode(actions);
        else policy.Sample(rng ?? _defaultRng, actions);
    }

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if (Network.Head.IsDiscrete)
            throw new NotSupportedException($"PpoAgent: the action space {ActionSpace} is discrete; call Act with a Span<int>.");
        CheckBatch(observations, actions.Length, Network.Head.ActionSize);
        using (GradMode.NoGrad())
        using (Network.ActingMode(deterministic))
        using (TensorScope.Begin())
        {
            var policy = Network.Policy(observations);
            if (deterministic) policy.Mode(actions);
            else policy.Sample(rng ?? _defaultRng, actions);
        }
        ClipToBox(actions);
    }

    /// <summary>Clips rows of actions (N × action size) into the action box in place.</summary>
    internal void ClipToBox(Span<float> actions)
    {
        var box = (Box)ActionSpace;
        int size = box.FlatSize;
        for (int start = 0; start < actions.Length; start += size) box.Clip(actions.Slice(start, size));
    }

    private void CheckBatch(Tensor observations, int actionLength, int perRow)
    {
        ArgumentNullException.ThrowIfNull(observations);
        int size = ObservationSpace.FlatSize;
        if (observations.Rank < 2 || observations.Size / Math.Max(observations.Dim(0), 1) != size)
            throw new ArgumentException($"PpoAgent: observations must be [N, {size}], got {Tensor.ShapeString(observations.Shape)}.", nameof(observations));
        if (actionLength != observations.Dim(0) * perRow)
            throw new ArgumentException($"PpoAgent: the action span needs {observations.Dim(0) * perRow} entries for {observations.Dim(0)} observations, got {actionLength}.", "actions");
    }
}

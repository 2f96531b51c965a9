using RLKit.Algorithms.Policies;
using RLKit.Autograd;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.PolicyGradient;

/// <summary>
/// A trained (or training) REINFORCE agent: an <see cref="ActorCriticNetwork"/> network with separate actor and baseline
/// trunks, whose policy head is categorical for a Discrete action space and a diagonal Gaussian for a one-dimensional
/// Box. The critic output is the learned baseline V(s). Acting runs without gradients.
/// </summary>
public sealed class ReinforceAgent : IResumableAgent
{
    internal const string AlgorithmName = "reinforce";

    private readonly Box? _actionBox;
    private readonly RandomGenerator _actingRng;

    static ReinforceAgent() => AgentFactories.Register(AlgorithmName, FromCheckpoint);

    /// <summary>Builds an untrained agent for the given spaces.</summary>
    /// <param name="observationSpace">A Box of observations.</param>
    /// <param name="actionSpace">Discrete, or a one-dimensional Box.</param>
    /// <param name="options">The hyperparameters (network shape, initial log-std); validated here.</param>
    /// <param name="rng">Drives weight initialisation and, when no generator is passed to <c>Act</c>, sampling.</param>
    /// <exception cref="NotSupportedException">For other action spaces.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public ReinforceAgent(Space observationSpace, Space actionSpace, ReinforceOptions options, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        Options = options;
        (IsDiscrete, ActionSize, _actionBox) = actionSpace switch
        {
            Discrete d => (true, d.N, (Box?)null),
            Box b when b.Shape.Length == 1 => (false, b.FlatSize, b),
            _ => throw new NotSupportedException($"REINFORCE acts in a Discrete or one-dimensional Box action space, not {actionSpace}."),
        };
        ObservationSize = observationSpace.FlatSize;
        Network = new ActorCriticNetwork(ObservationSize, HeadFactory, rng, options.HiddenSizes, sharedTrunk: false, options.HiddenActivation());
        _actingRng = rng.Split();
    }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded (used by
    /// <see cref="Checkpoint.LoadAgent"/>, which registers it under "reinforce").
    /// </summary>
    /// <exception cref="ArgumentException">If the checkpoint's weights do not fit the rebuilt network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    /// <exception cref="NotSupportedException">If the stored action space is neither Discrete nor a one-dimensional Box.</exception>
    public static ReinforceAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<ReinforceOptions>();
        var agent = new ReinforceAgent(checkpoint.Metadata.ObservationSpace.ToSpace(), checkpoint.Metadata.ActionSpace.ToSpace(),
                                       options, new RandomGenerator(options.Seed));
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    /// <inheritdoc/>
    public string Algorithm => AlgorithmName;

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The hyperparameters the agent was built with.</summary>
    public ReinforceOptions Options { get; }

    /// <summary>The network: trunks "actor" and "critic", policy head "policy", baseline output "value".</summary>
    public ActorCriticNetwork Network { get; }

    /// <summary>
    /// The state of the optimizers that trained this agent, stored by the estimator at the end of <c>Fit</c> and
    /// restored by the next warm-started <c>Fit</c>; saved and loaded with the checkpoint. Null before training.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? OptimizerState { get; set; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Tensor> Weights => Network.StateDict();

    object ICheckpointable.Options => Options;

    /// <inheritdoc/>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var problems = Checkpoint.DescribeWeightMismatches(Network.StateDict(), weights);
        if (problems.Count > 0)
            throw new ArgumentException($"ReinforceAgent.LoadWeights: the weights do not fit this network: {string.Join("; ", problems)}.", nameof(weights));
        Network.LoadStateDict(weights);
    }

    internal int ObservationSize { get; }

    internal bool IsDiscrete { get; }

    /// <summary>The number of discrete actions, or the continuous action dimension.</summary>
    internal int ActionSize { get; }

    internal IEnumerable<Tensor> Parameters => Network.Parameters();

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (!IsDiscrete) throw new NotSupportedException($"REINFORCE agent: the action space {ActionSpace} is continuous; pass a Span<float>.");
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var policy = Network.Policy(observations);
        if (deterministic) policy.Mode(actions);
        else policy.Sample(rng ?? _actingRng, actions);
    }

    /// <inheritdoc/>
    /// <remarks>Actions are clipped to the action box, so they can be sent to the environment as they are.</remarks>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (IsDiscrete) throw new NotSupportedException($"REINFORCE agent: the action space {ActionSpace} is discrete; pass a Span<int>.");
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var policy = Network.Policy(observations);
        if (deterministic) policy.Mode(actions);
        else policy.Sample(rng ?? _actingRng, actions);
        ClipToActionSpace(actions);
    }

    /// <summary>Throws unless the environment's spaces match the agent's (a warm start on another task).</summary>
    internal void RequireCompatible(IVectorEnvironment environment)
    {
        if (environment.SingleObservationSpace.FlatSize != ObservationSize)
            throw new ArgumentException($"REINFORCE: the agent reads observations of size {ObservationSize} but the environment's are {environment.SingleObservationSpace}.", nameof(environment));
        if (environment.SingleActionSpace.Description != ActionSpace.Description)
            throw new ArgumentException($"REINFORCE: the agent acts in {ActionSpace} but the environment's action space is {environment.SingleActionSpace}.", nameof(environment));
    }

    /// <summary>Samples continuous actions without clipping them (their log-probability stays exact), without gradients.</summary>
    internal void SampleUnclipped(Tensor observations, Span<float> actions, RandomGenerator rng)
    {
        using var noGrad = GradMode.NoGrad();
        Network.Policy(observations).Sample(rng, actions);
    }

    /// <summary>Writes V(s) of each row into <paramref name="values"/>, without gradients.</summary>
    internal void Values(Tensor observations, Span<float> values)
    {
        using var noGrad = GradMode.NoGrad();
        Network.Value(observations).AsReadOnlySpan().CopyTo(values);
    }

    /// <summary>Differentiable log π(a|s), entropy and baseline V(s) of a batch of observations [T, obs] and the actions taken.</summary>
    internal (Tensor LogProb, Tensor Entropy, Tensor Value) Evaluate(Tensor observations, ReadOnlySpan<int> discreteActions, Tensor? continuousActions)
    {
        var (policy, value) = Network.Forward(observations);
        var logProb = IsDiscrete ? policy.LogProb(discreteActions) : policy.LogProb(continuousActions!);
        return (logProb, policy.Entropy(), value);
    }

    /// <summary>Clips rows of continuous actions into the action box (no-op for discrete agents).</summary>
    internal void ClipToActionSpace(Span<float> actions)
    {
        if (_actionBox is null) return;
        for (int row = 0; row + ActionSize <= actions.Length; row += ActionSize)
            _actionBox.Clip(actions.Slice(row, ActionSize));
    }

    private PolicyHead HeadFactory(int latentSize, RandomGenerator rng) => ActionSpace is Box box
        ? new DiagGaussianHead(latentSize, box.FlatSize, rng, gain: 0.01f, initialLogStd: Options.InitialLogStd)
        : PolicyHeads.OnPolicy(ActionSpace, latentSize, rng);
}

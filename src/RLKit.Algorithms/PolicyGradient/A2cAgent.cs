using RLKit.Algorithms.Policies;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.PolicyGradient;

/// <summary>
/// A trained (or training) A2C agent: an <see cref="ActorCriticNetwork"/> network whose policy head is categorical for a
/// Discrete action space and a diagonal Gaussian for a one-dimensional Box. Acting runs without gradients.
/// </summary>
public sealed class A2cAgent : IResumableAgent
{
    internal const string AlgorithmName = "a2c";

    private readonly Box? _actionBox;
    private readonly RandomGenerator _actingRng;

    static A2cAgent() => AgentFactories.Register(AlgorithmName, FromCheckpoint);

    /// <summary>Builds an untrained agent for the given spaces.</summary>
    /// <param name="observationSpace">A Box of observations.</param>
    /// <param name="actionSpace">Discrete, or a one-dimensional Box.</param>
    /// <param name="options">The hyperparameters (network shape, initial log-std); validated here.</param>
    /// <param name="rng">Drives weight initialisation and, when no generator is passed to <c>Act</c>, sampling.</param>
    /// <exception cref="NotSupportedException">For other action spaces.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public A2cAgent(Space observationSpace, Space actionSpace, A2cOptions options, RandomGenerator rng)
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
            _ => throw new NotSupportedException($"A2C acts in a Discrete or one-dimensional Box action space, not {actionSpace}."),
        };
        ObservationSize = observationSpace.FlatSize;
        Network = new ActorCriticNetwork(ObservationSize, HeadFactory, rng, options.HiddenSizes, options.SharedNetwork, options.HiddenActivation());
        _actingRng = rng.Split();
    }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded (used by
    /// <see cref="Checkpoint.LoadAgent"/>, which registers it under "a2c").
    /// </summary>
    /// <exception cref="ArgumentException">If the checkpoint's weights do not fit the rebuilt network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    /// <exception cref="NotSupportedException">If the stored action space is neither Discrete nor a one-dimensional Box.</exception>
    public static A2cAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<A2cOptions>();
        var agent = new A2cAgent(checkpoint.Metadata.ObservationSpace.ToSpace(), checkpoint.Metadata.ActionSpace.ToSpace(),
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
    public A2cOptions Options { get; }

    /// <summary>The actor-critic network: policy head "policy", critic output "value", trunks "actor"/"critic" or a shared "trunk".</summary>
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
            throw new ArgumentException($"A2cAgent.LoadWeights: the weights do not fit this network: {string.Join("; ", problems)}.", nameof(weights));
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
        if (!IsDiscrete) throw new NotSupportedException($"A2C agent: the action space {ActionSpace} is continuous; pass a Span<float>.");
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
        if (IsDiscrete) throw new NotSupportedException($"A2C agent: the action space {ActionSpace} is discrete; pass a Span<int>.");
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
            throw new ArgumentException($"A2C: the agent reads observations of size {ObservationSize} but the environment's are {environment.SingleObservationSpace}.", nameof(environment));
        if (environment.SingleActionSpace.Description != ActionSpace.Description)
            throw new ArgumentException($"A2C: the agent acts in {ActionSpace} but the environment's action space is {environment.SingleActionSpace}.", nameof(environment));
    }

    /// <summary>Samples discrete actions and records log π(a|s) and V(s), without gradients (rollout collection).</summary>
    internal void SampleDiscrete(Tensor observations, Span<int> actions, Span<float> logProbs, Span<float> values, RandomGenerator rng)
    {
        using var noGrad = GradMode.NoGrad();
        var (policy, value) = Network.Forward(observations);
        policy.Sample(rng, actions);
        policy.LogProb(actions).AsReadOnlySpan().CopyTo(logProbs);
        value.AsReadOnlySpan().CopyTo(values);
    }

    /// <summary>Samples unclipped continuous actions and records log π(a|s) and V(s), without gradients.</summary>
    internal void SampleContinuous(Tensor observations, Span<float> actions, Span<float> logProbs, Span<float> values, RandomGenerator rng)
    {
        using var noGrad = GradMode.NoGrad();
        var (policy, value) = Network.Forward(observations);
        policy.Sample(rng, actions);
        var actionTensor = Tensor.FromSpan(actions, observations.Dim(0), ActionSize);
        policy.LogProb(actionTensor).AsReadOnlySpan().CopyTo(logProbs);
        value.AsReadOnlySpan().CopyTo(values);
    }

    /// <summary>Writes V(s) of each row into <paramref name="values"/>, without gradients.</summary>
    internal void Values(Tensor observations, Span<float> values)
    {
        using var noGrad = GradMode.NoGrad();
        Network.Value(observations).AsReadOnlySpan().CopyTo(values);
    }

    /// <summary>Differentiable log π(a|s), entropy and V(s) of a stored batch, for the loss.</summary>
    internal (Tensor LogProb, Tensor Entropy, Tensor Value) Evaluate(RolloutMinibatch batch)
    {
        var (policy, value) = Network.Forward(batch.Observations);
        var logProb = IsDiscrete ? policy.LogProb(batch.ActionIndices) : policy.LogProb(batch.Actions);
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

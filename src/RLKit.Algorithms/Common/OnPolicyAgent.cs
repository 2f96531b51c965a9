using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.MixMask;
using RLKit.Autograd;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Common;

/// <summary>
/// What the PPO, A2C and REINFORCE agents share: an <see cref="ActorCriticNetwork"/> (or the Mix &amp; Mask
/// <see cref="SharedFeatureNetwork"/>, or the AGILE-style <see cref="ActionSetActorCritic"/> when action relations are
/// asked for) whose policy head is categorical for a Discrete action space, masked categorical for an ActionSet (or the
/// <see cref="UtilityPolicyHead"/> on the actor trunk when the utility policy is asked for) and a diagonal Gaussian for
/// a one-dimensional Box; acting without gradients (continuous actions clipped to the box), checkpointing and resuming. Collection is the estimators' <see cref="RolloutCollector"/>.
/// </summary>
/// <remarks>
/// As an <see cref="IActionSetAgent"/> the agent acts given each row's available actions (ActionSet action spaces
/// only); the plain <c>Act</c> treats every action of the universe as available.
/// </remarks>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
public abstract class OnPolicyAgent<TOptions> : Agent<TOptions>, IActionSetAgent, IActionSetScoringAgent where TOptions : class, IAlgorithmOptions
{
    private readonly Box? _actionBox;
    private readonly RandomGenerator _actingRng;
    private readonly string _displayName;
    private readonly float _initialLogStd;
    private readonly UtilityPolicyOptions? _utilityPolicy;

    private protected OnPolicyAgent(Space observationSpace, Space actionSpace, TOptions options, RandomGenerator rng, string displayName,
                                    IReadOnlyList<int> hiddenSizes, bool sharedTrunk, Nn.Activation activation, float initialLogStd,
                                    SharedFeatureOptions? sharedFeatures = null, ActionRelationOptions? actionRelations = null,
                                    UtilityPolicyOptions? utilityPolicy = null)
        : base(observationSpace, actionSpace, options)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _displayName = displayName;
        _initialLogStd = initialLogStd;
        _utilityPolicy = utilityPolicy;
        (IsDiscrete, ActionSize, _actionBox) = actionSpace switch
        {
            Discrete d => (true, d.N, (Box?)null),
            ActionSet set => (true, set.Count, null),
            Box b when b.Shape.Length == 1 => (false, b.FlatSize, b),
            _ => throw new NotSupportedException($"{displayName} acts in a Discrete, ActionSet or one-dimensional Box action space, not {actionSpace}."),
        };
        ObservationSize = observationSpace.FlatSize;
        if (utilityPolicy is not null) RequireUtilityPolicyFits(actionSpace, sharedFeatures, actionRelations);
        if (actionRelations is not null)
        {
            if (actionSpace is not ActionSet set)
                throw new NotSupportedException(
                    $"{displayName}: ActionRelations (AGILE-style relational policies) score the actions of an ActionSet action space, but this action space is {actionSpace}; leave ActionRelations null.");
            if (sharedFeatures is not null)
                throw new ArgumentException($"{displayName}: ActionRelations and SharedFeatures each build their own network; set at most one.", nameof(sharedFeatures));
            Network = new ActionSetActorCritic(ObservationSize, set, actionRelations, rng);
        }
        else
            Network = sharedFeatures is null
                ? new ActorCriticNetwork(ObservationSize, HeadFactory, rng, hiddenSizes, sharedTrunk, activation)
                : new SharedFeatureNetwork(ObservationSize, HeadFactory, rng, sharedFeatures);
        _actingRng = rng.Split();
    }

    /// <summary>
    /// The actor-critic network: an <see cref="ActorCriticNetwork"/> (policy head "policy", critic output "value",
    /// trunks "actor"/"critic" or a shared "trunk"), a <see cref="SharedFeatureNetwork"/> when the options ask for
    /// the Mix &amp; Mask architecture, or an <see cref="ActionSetActorCritic"/> when they ask for action relations.
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
            throw new ArgumentException($"{GetType().Name}.LoadWeights: the weights do not fit this network: {string.Join("; ", problems)}.", nameof(weights));
        Network.LoadStateDict(weights);
    }

    internal int ObservationSize { get; }

    internal bool IsDiscrete { get; }

    /// <summary>The number of discrete actions, or the continuous action dimension.</summary>
    internal int ActionSize { get; }

    internal IEnumerable<Tensor> Parameters => Network.Parameters();

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if (!IsDiscrete) throw new NotSupportedException($"{_displayName} agent: the action space {ActionSpace} is continuous; pass a Span<float>.");
        AgentActing.CheckBatch(observations, ObservationSize, actions.Length, perRow: 1, _displayName);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var mode = Network.ActingMode(deterministic);
        var policy = Network.Policy(observations);
        if (deterministic) policy.Mode(actions);
        else policy.Sample(rng ?? _actingRng, actions);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Only for an ActionSet action space: the policy is masked to each row's available actions (the relational
    /// network scores only those). Actions are universe ids.
    /// </remarks>
    /// <exception cref="NotSupportedException">If the action space is not an ActionSet.</exception>
    public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if (ActionSpace is not ActionSet set)
            throw new NotSupportedException($"{_displayName} agent: acting given available actions needs an ActionSet action space, not {ActionSpace}; call Act without availability.");
        AgentActing.CheckBatch(observations, ObservationSize, actions.Length, perRow: 1, _displayName);
        if (availability.Length != actions.Length * set.Count)
            throw new ArgumentException(
                $"{_displayName} agent: availability must hold {actions.Length} rows × {set.Count} actions = {actions.Length * set.Count} entries, got {availability.Length}.", nameof(availability));
        for (int row = 0; row < actions.Length; row++)
            if (!availability.Slice(row * set.Count, set.Count).Contains(true))
                throw new ArgumentException($"{_displayName} agent: row {row} of availability allows no action; every row needs at least one.", nameof(availability));
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var mode = Network.ActingMode(deterministic);
        var policy = Network.Policy(observations, availability);
        if (deterministic) policy.Mode(actions);
        else policy.Sample(rng ?? _actingRng, actions);
    }

    /// <inheritdoc/>
    /// <remarks>Actions are clipped to the action box, so they can be sent to the environment as they are.</remarks>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if (IsDiscrete) throw new NotSupportedException($"{_displayName} agent: the action space {ActionSpace} is discrete; pass a Span<int>.");
        AgentActing.CheckBatch(observations, ObservationSize, actions.Length, ActionSize, _displayName);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var mode = Network.ActingMode(deterministic);
        var policy = Network.Policy(observations);
        if (deterministic) policy.Mode(actions);
        else policy.Sample(rng ?? _actingRng, actions);
        ClipToActionSpace(actions);
    }

    /// <inheritdoc/>
    ActionSetScorer IActionSetScoringAgent.Scorer => Relational.Actor;

    /// <inheritdoc/>
    ActionSet IActionSetScoringAgent.Actions => Relational.Actions;

    /// <inheritdoc/>
    Tensor? IActionSetScoringAgent.Context(int rows) => null;

    private ActionSetActorCritic Relational => Network as ActionSetActorCritic
        ?? throw new ArgumentException($"{_displayName} agent: it was built without action relations ({typeof(TOptions).Name}.ActionRelations is null), so it has no action-set scorer to look into.", "agent");

    /// <summary>Throws unless the environment's spaces match the agent's (a warm start on another task).</summary>
    internal void RequireCompatible(IVectorEnvironment environment)
    {
        if (environment.SingleObservationSpace.FlatSize != ObservationSize)
            throw new ArgumentException($"{_displayName}: the agent reads observations of size {ObservationSize} but the environment's are {environment.SingleObservationSpace}.", nameof(environment));
        // Compared as sets of values: an ActionSet's description also counts the actions available right now.
        if (!SpaceDescription.Of(environment.SingleActionSpace).Matches(SpaceDescription.Of(ActionSpace)))
            throw new ArgumentException($"{_displayName}: the agent acts in {ActionSpace} but the environment's action space is {environment.SingleActionSpace}.", nameof(environment));
    }

    /// <summary>Writes V(s) of each row into <paramref name="values"/>, without gradients (given the rows' available actions, if any).</summary>
    internal void Values(Tensor observations, Span<float> values, ReadOnlySpan<bool> actionMask = default)
    {
        using var noGrad = GradMode.NoGrad();
        Network.Value(observations, actionMask).AsReadOnlySpan().CopyTo(values);
    }

    /// <summary>Clips rows of continuous actions into the action box (no-op for discrete agents).</summary>
    internal void ClipToActionSpace(Span<float> actions)
    {
        if (_actionBox is null) return;
        for (int row = 0; row + ActionSize <= actions.Length; row += ActionSize)
            _actionBox.Clip(actions.Slice(row, ActionSize));
    }

    // The utility policy's head reads the actor trunk's latent (its state encoder f_ω); the critic keeps its own trunk.
    private PolicyHead HeadFactory(int latentSize, RandomGenerator rng) => (ActionSpace, _utilityPolicy) switch
    {
        (ActionSet set, { } utility) => new UtilityPolicyHead(latentSize, set, utility, rng),
        (Box box, _) => new DiagGaussianHead(latentSize, box.FlatSize, rng, gain: 0.01f, initialLogStd: _initialLogStd),
        _ => PolicyHeads.OnPolicy(ActionSpace, latentSize, rng),
    };

    private void RequireUtilityPolicyFits(Space actionSpace, SharedFeatureOptions? sharedFeatures, ActionRelationOptions? actionRelations)
    {
        string option = $"{typeof(TOptions).Name}.UtilityPolicy";
        if (actionSpace is not ActionSet set)
            throw new NotSupportedException(
                $"{_displayName}: {option} (the utility policy of seed 003 ch. 2) scores the actions of an ActionSet action space by their representations, but this action space is {actionSpace}; leave UtilityPolicy null.");
        if (set.RepresentationSize < 1)
            throw new ArgumentException(
                $"{_displayName}: {option} scores actions by their representations, but the action space {set} has representation size 0; give the ActionSet representation vectors or leave UtilityPolicy null.", nameof(actionSpace));
        if (sharedFeatures is not null || actionRelations is not null)
            throw new ArgumentException($"{_displayName}: {option} cannot be combined with SharedFeatures or ActionRelations (each builds its own actor); set at most one.", nameof(actionSpace));
    }
}

using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Classic;

/// <summary>
/// A continuous-force cart-pole balancing task (InvertedPendulum-like, in pure C#): <see cref="CartPole"/>'s exact
/// dynamics, with the force = action × <see cref="CartPoleOptions.ForceMagnitude"/> for an action in Box(−1, 1, [1]).
/// With <see cref="CartPoleContinuousOptions.Restriction"/> it is seed 003's restricted inverted pendulum
/// ("RestrictedCartPoleContinuous-v1").
/// </summary>
/// <remarks>
/// <para>Observation, reset, termination and reward as <see cref="CartPole"/>: +1 per step, including the failing
/// one unless <see cref="CartPoleOptions.FailureReward"/> says otherwise (0 gives InvertedPendulum-v5's rule). The
/// environment never truncates; the catalog wraps it in a 500-step
/// <see cref="RLKit.Environments.Wrappers.TimeLimit"/>. Out-of-range actions are clipped.</para>
/// <para>Restricted: the clipped action is checked against the hyperspheres; an invalid one becomes −1 (a full push
/// left) with <see cref="InvalidActionEffect.MinusOne"/>, or 0 (no force) with <see cref="InvalidActionEffect.Zero"/>.
/// Step info holds "action_valid" (bool) when restricted, and is empty otherwise.</para>
/// </remarks>
public sealed class CartPoleContinuous : EnvironmentBase, IRestrictedActionEnvironment
{
    private readonly CartPoleSimulation _simulation;
    private readonly double _forceMagnitude;
    private readonly double? _failureReward;

    /// <summary>Creates the environment (unrestricted, Gymnasium physics, when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of its documented range.</exception>
    public CartPoleContinuous(CartPoleContinuousOptions? options = null) : this(Validated(options), validated: true) { }

    private CartPoleContinuous(CartPoleContinuousOptions options, bool validated)
        : base(CartPoleSimulation.ObservationSpace(options.CartPole), new Box(-1f, 1f, 1))
    {
        Options = options;
        _simulation = new CartPoleSimulation(options.CartPole);
        _forceMagnitude = options.CartPole.ForceMagnitude;
        _failureReward = options.CartPole.FailureReward;
        if (options.Restriction is { } restriction)
            Restriction = new HypersphereActionRestriction((Box)ActionSpace, restriction);
    }

    /// <inheritdoc/>
    public override string Id => Restriction is null ? "CartPoleContinuous-v1" : "RestrictedCartPoleContinuous-v1";

    /// <summary>The options this environment was created with.</summary>
    public CartPoleContinuousOptions Options { get; }

    /// <inheritdoc/>
    public HypersphereActionRestriction? Restriction { get; }

    /// <summary>
    /// The physical state. Setting it (after Reset) lets tests and research code drive the environment from a known
    /// state; the next Step starts from it.
    /// </summary>
    public CartPoleState State
    {
        get => _simulation.State;
        set => _simulation.State = value;
    }

    /// <inheritdoc/>
    public bool IsValidAction(ReadOnlySpan<float> action)
    {
        if (action.Length != 1)
            throw new ArgumentException($"{Id}: an action has 1 value, got {action.Length}.", nameof(action));
        if (Restriction is null) return true;
        float clipped = Math.Clamp(action[0], -1f, 1f);
        return Restriction.IsValid(new ReadOnlySpan<float>(in clipped));
    }

    private static CartPoleContinuousOptions Validated(CartPoleContinuousOptions? options)
    {
        options ??= new CartPoleContinuousOptions();
        options.Validate();
        return options;
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _simulation.ResetState(Random);
        _simulation.WriteObservation(observation);
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        float a = Math.Clamp(action[0], -1f, 1f);
        IReadOnlyDictionary<string, object>? info = null;
        if (Restriction is not null)
        {
            bool valid = Restriction.IsValid(new ReadOnlySpan<float>(in a));
            if (!valid) a = Restriction.Options.InvalidActionEffect == InvalidActionEffect.Zero ? 0f : -1f;
            info = valid ? ActionValidityInfo.Valid : ActionValidityInfo.Invalid;
        }

        _simulation.Advance(_forceMagnitude * a);
        _simulation.WriteObservation(observation);
        bool terminated = _simulation.HasFailed;
        double reward = terminated && _failureReward is { } r ? r : 1.0;
        return new Transition(reward, terminated, Info: info);
    }
}

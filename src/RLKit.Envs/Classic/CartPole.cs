using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Classic;

/// <summary>
/// CartPole-v1 with Gymnasium's exact dynamics: a pole hinged on a cart on a frictionless track; push the cart left
/// (action 0) or right (action 1) with a fixed force to keep the pole upright.
/// </summary>
/// <remarks>
/// <para>State in double precision, observation float32 [x, ẋ, θ, θ̇]; Euler integration with τ = 0.02 s. Reward +1
/// on every step including the terminal one (see <see cref="CartPoleOptions.FailureReward"/> for seed 000's −1).
/// Terminates when |x| &gt; 2.4 or |θ| &gt; 12°. The environment never truncates: the catalog's "CartPole-v1" wraps it
/// in a 500-step <see cref="RLKit.Environments.Wrappers.TimeLimit"/>.</para>
/// <para>Reset draws each state variable from U(−0.05, 0.05) with the environment's random stream. Reset options are
/// ignored. Step allocates nothing.</para>
/// </remarks>
public class CartPole : EnvironmentBase
{
    private readonly double _forceMagnitude;
    private readonly double? _failureReward;

    /// <summary>Creates a cart-pole with the given options (Gymnasium's CartPole-v1 when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of its documented range.</exception>
    public CartPole(CartPoleOptions? options = null) : this(Validated(options), validated: true) { }

    private protected CartPole(CartPoleOptions options, bool validated)
        : base(CartPoleSimulation.ObservationSpace(options), new Discrete(2))
    {
        Options = options;
        Simulation = new CartPoleSimulation(options);
        _forceMagnitude = options.ForceMagnitude;
        _failureReward = options.FailureReward;
    }

    /// <inheritdoc/>
    public override string Id => "CartPole-v1";

    /// <summary>The options this environment was created with.</summary>
    public CartPoleOptions Options { get; }

    /// <summary>
    /// The physical state. Setting it (after Reset) lets tests and research code drive the environment from a known
    /// state; the next Step starts from it. The observation is not rewritten until that Step.
    /// </summary>
    public CartPoleState State
    {
        get => Simulation.State;
        set => Simulation.State = value;
    }

    /// <summary>The cart mass (kg) the dynamics currently use.</summary>
    public double CartMass => Simulation.CartMass;

    /// <summary>The pole mass (kg) the dynamics currently use.</summary>
    public double PoleMass => Simulation.PoleMass;

    /// <summary>The pole half-length (m) the dynamics currently use.</summary>
    public double PoleHalfLength => Simulation.PoleHalfLength;

    private protected CartPoleSimulation Simulation { get; }

    private protected static CartPoleOptions Validated(CartPoleOptions? options)
    {
        options ??= new CartPoleOptions();
        options.Validate();
        return options;
    }

    /// <summary>Hook for variants that change the body between episodes; returns the reset info.</summary>
    private protected virtual IReadOnlyDictionary<string, object>? BeginEpisode() => null;

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        Simulation.ResetState(Random);
        var info = BeginEpisode();
        Simulation.WriteObservation(observation);
        return info;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(int action, Span<float> observation)
    {
        Simulation.Advance(action == 1 ? _forceMagnitude : -_forceMagnitude);
        Simulation.WriteObservation(observation);
        bool terminated = Simulation.HasFailed;
        double reward = terminated && _failureReward is { } r ? r : 1.0;
        return new Transition(reward, terminated);
    }
}

using RLKit.Training;

namespace RLKit.Envs.Classic;

/// <summary>
/// Physical parameters and reward rule of the cart-pole environments (<see cref="CartPole"/>,
/// <see cref="NonStationaryCartPole"/>, <see cref="CartPoleContinuous"/>). Defaults are Gymnasium's CartPole-v1.
/// </summary>
/// <remarks>
/// Seed 000 (Mix &amp; Mask) describes its CartPole as "+1 for every timestep that the pole remains upright, and −1
/// once the pole is more than 15 degrees from vertical or the cart moves more than 2.4 units from the center",
/// while its reference code runs the unmodified Gym CartPole (+1 on every step, 12°). RLKit follows Gymnasium by
/// default; set <see cref="FailureReward"/> = −1 (and, if wanted, <see cref="ThetaThresholdRadians"/> = 15° in
/// radians) for the document's variant.
/// </remarks>
public sealed record CartPoleOptions
{
    /// <summary>Gravitational acceleration (m/s²). Default 9.8. Must be finite and ≥ 0.</summary>
    public double Gravity { get; init; } = 9.8;

    /// <summary>Cart mass (kg). Default 1.0. Must be finite and &gt; 0.</summary>
    public double CartMass { get; init; } = 1.0;

    /// <summary>Pole mass (kg). Default 0.1. Must be finite and &gt; 0.</summary>
    public double PoleMass { get; init; } = 0.1;

    /// <summary>Half the pole's length (m), Gymnasium's <c>length</c>. Default 0.5. Must be finite and &gt; 0.</summary>
    public double PoleHalfLength { get; init; } = 0.5;

    /// <summary>Magnitude of the push (N): ±this for the discrete env, action × this for the continuous one. Default 10. Must be finite and ≥ 0.</summary>
    public double ForceMagnitude { get; init; } = 10.0;

    /// <summary>Seconds between state updates (Gymnasium's <c>tau</c>), Euler integration. Default 0.02. Must be finite and &gt; 0.</summary>
    public double TimeStep { get; init; } = 0.02;

    /// <summary>Pole angle (radians, either side) beyond which the episode terminates. Default 12° = 12·2π/360. Must be finite and &gt; 0.</summary>
    public double ThetaThresholdRadians { get; init; } = 12 * 2 * Math.PI / 360;

    /// <summary>Cart position (either side) beyond which the episode terminates. Default 2.4. Must be finite and &gt; 0.</summary>
    public double XThreshold { get; init; } = 2.4;

    /// <summary>
    /// The reward of the step on which the pole falls or the cart leaves the track (termination). Null (default)
    /// gives Gymnasium's +1, the same as every other step; −1 gives seed 000's failure penalty; 0 gives
    /// InvertedPendulum-v5's "+1 only while balanced". Time-limit truncation is not a failure and always earns +1.
    /// Must be finite when set.
    /// </summary>
    public double? FailureReward { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(CartPoleOptions);
        OptionRules.NonNegative(Gravity, record, nameof(Gravity));
        OptionRules.Positive(CartMass, record, nameof(CartMass));
        OptionRules.Positive(PoleMass, record, nameof(PoleMass));
        OptionRules.Positive(PoleHalfLength, record, nameof(PoleHalfLength));
        OptionRules.NonNegative(ForceMagnitude, record, nameof(ForceMagnitude));
        OptionRules.Positive(TimeStep, record, nameof(TimeStep));
        OptionRules.Positive(ThetaThresholdRadians, record, nameof(ThetaThresholdRadians));
        OptionRules.Positive(XThreshold, record, nameof(XThreshold));
        OptionRules.FiniteOrNull(FailureReward, record, nameof(FailureReward));
    }
}

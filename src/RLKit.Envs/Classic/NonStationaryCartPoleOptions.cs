using RLKit.Training;

namespace RLKit.Envs.Classic;

/// <summary>
/// Options of <see cref="NonStationaryCartPole"/>: the ranges the body is resampled from on every reset (defaults
/// from seed 000: half-length U[0, 2), pole mass U[0, 1), cart mass U[0, 5)), plus the remaining cart-pole options.
/// </summary>
public sealed record NonStationaryCartPoleOptions
{
    /// <summary>
    /// Gravity, force, time step, thresholds and reward rule. Its <see cref="CartPoleOptions.CartMass"/>,
    /// <see cref="CartPoleOptions.PoleMass"/> and <see cref="CartPoleOptions.PoleHalfLength"/> are replaced by the
    /// sampled values. Default: Gymnasium's CartPole-v1.
    /// </summary>
    public CartPoleOptions CartPole { get; init; } = new();

    /// <summary>Lower bound of the pole half-length (m). Default 0. Must be finite and ≥ 0.</summary>
    public double MinPoleHalfLength { get; init; }

    /// <summary>Upper bound (exclusive) of the pole half-length (m). Default 2. Must be finite, &gt; 0 and ≥ the minimum.</summary>
    public double MaxPoleHalfLength { get; init; } = 2.0;

    /// <summary>Lower bound of the pole mass (kg). Default 0. Must be finite and ≥ 0.</summary>
    public double MinPoleMass { get; init; }

    /// <summary>Upper bound (exclusive) of the pole mass (kg). Default 1. Must be finite, &gt; 0 and ≥ the minimum.</summary>
    public double MaxPoleMass { get; init; } = 1.0;

    /// <summary>Lower bound of the cart mass (kg). Default 0. Must be finite and ≥ 0.</summary>
    public double MinCartMass { get; init; }

    /// <summary>Upper bound (exclusive) of the cart mass (kg). Default 5. Must be finite, &gt; 0 and ≥ the minimum.</summary>
    public double MaxCartMass { get; init; } = 5.0;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    /// <exception cref="ArgumentNullException">If <see cref="CartPole"/> is null.</exception>
    public void Validate()
    {
        const string record = nameof(NonStationaryCartPoleOptions);
        ArgumentNullException.ThrowIfNull(CartPole, nameof(CartPole));
        CartPole.Validate();
        OptionRules.NonNegative(MinPoleHalfLength, record, nameof(MinPoleHalfLength));
        OptionRules.Positive(MaxPoleHalfLength, record, nameof(MaxPoleHalfLength));
        OptionRules.AtLeast(MaxPoleHalfLength, MinPoleHalfLength, record, nameof(MaxPoleHalfLength), minName: nameof(MinPoleHalfLength));
        OptionRules.NonNegative(MinPoleMass, record, nameof(MinPoleMass));
        OptionRules.Positive(MaxPoleMass, record, nameof(MaxPoleMass));
        OptionRules.AtLeast(MaxPoleMass, MinPoleMass, record, nameof(MaxPoleMass), minName: nameof(MinPoleMass));
        OptionRules.NonNegative(MinCartMass, record, nameof(MinCartMass));
        OptionRules.Positive(MaxCartMass, record, nameof(MaxCartMass));
        OptionRules.AtLeast(MaxCartMass, MinCartMass, record, nameof(MaxCartMass), minName: nameof(MinCartMass));
    }
}

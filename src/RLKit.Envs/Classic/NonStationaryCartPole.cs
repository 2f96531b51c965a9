using System.Collections.ObjectModel;

namespace RLKit.Envs.Classic;

/// <summary>
/// Seed 000's non-stationary cart-pole (nCP): <see cref="CartPole"/>'s dynamics, with the pole half-length, pole mass
/// and cart mass resampled on every reset (defaults U[0, 2), U[0, 1), U[0, 5)).
/// </summary>
/// <remarks>
/// <para>The reset info holds the sampled values under Gymnasium's attribute names: "length" (pole half-length),
/// "masspole" and "masscart" (doubles). They are drawn from the environment's random stream after the initial
/// state, in that order, so a seeded reset reproduces them.</para>
/// <para>Guard: a sampled value below <see cref="MinimumBodyValue"/> (1e-6) is raised to it, because a zero mass or
/// length divides by zero in the dynamics. This happens with probability 1e-6 / (max − min) per value when the range
/// starts at 0 (5·10⁻⁷ for the default half-length range), so it barely changes the distribution. Tiny values make the pole fall at once (finite, ends
/// the episode), as a near-massless or near-zero-length pole should.</para>
/// </remarks>
public sealed class NonStationaryCartPole : CartPole
{
    /// <summary>The smallest mass or half-length the sampler returns.</summary>
    public const double MinimumBodyValue = 1e-6;

    private readonly NonStationaryCartPoleOptions _ranges;

    /// <summary>Creates a non-stationary cart-pole (seed 000's ranges when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of its documented range.</exception>
    public NonStationaryCartPole(NonStationaryCartPoleOptions? options = null) : base(ValidatedCartPole(ref options), validated: true)
    {
        _ranges = options!;
    }

    /// <inheritdoc/>
    public override string Id => "NonStationaryCartPole-v1";

    /// <summary>The sampling ranges and remaining options.</summary>
    public NonStationaryCartPoleOptions NonStationaryOptions => _ranges;

    private static CartPoleOptions ValidatedCartPole(ref NonStationaryCartPoleOptions? options)
    {
        options ??= new NonStationaryCartPoleOptions();
        options.Validate();
        return options.CartPole;
    }

    private protected override IReadOnlyDictionary<string, object>? BeginEpisode()
    {
        double length = Sample(_ranges.MinPoleHalfLength, _ranges.MaxPoleHalfLength);
        double poleMass = Sample(_ranges.MinPoleMass, _ranges.MaxPoleMass);
        double cartMass = Sample(_ranges.MinCartMass, _ranges.MaxCartMass);
        Simulation.SetBody(cartMass, poleMass, length);
        return new ReadOnlyDictionary<string, object>(new Dictionary<string, object>
        {
            ["length"] = length,
            ["masspole"] = poleMass,
            ["masscart"] = cartMass,
        });
    }

    /// <summary>
    /// As <see cref="CartPole"/>'s step, with the observation clipped into <see cref="Environments.EnvironmentBase.ObservationSpace"/>.
    /// A body near the ranges' lower ends (a pole of almost no length or mass) can carry the pole or cart past twice its
    /// failure threshold, the observation space's bound, in one step; the episode has ended there, so only the
    /// terminal observation is ever clipped.
    /// </summary>
    protected override Transition StepCore(int action, Span<float> observation)
    {
        var transition = base.StepCore(action, observation);
        var space = (Spaces.Box)ObservationSpace;
        for (int i = 0; i < observation.Length; i++)
            observation[i] = Math.Clamp(observation[i], space.Low[i], space.High[i]);
        return transition;
    }

    private double Sample(double min, double max) => Math.Max(MinimumBodyValue, Random.UniformDouble(min, max));
}

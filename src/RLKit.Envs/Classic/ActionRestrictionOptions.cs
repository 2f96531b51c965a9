using RLKit.Training;

namespace RLKit.Envs.Classic;

/// <summary>
/// A restriction of a continuous action space to a union of hyperspheres (seed 003 §4.5, appendix C.3.1): the
/// sphere centres and radii are drawn from <see cref="Seed"/>; actions outside every sphere are invalid and have
/// the null effect <see cref="InvalidActionEffect"/>.
/// </summary>
/// <remarks>
/// The seed does not publish its sphere counts or radii ("carefully tuned to ensure that the action space has enough
/// valid actions"). RLKit's choice: spheres live in the action box normalised to [−1, 1] per dimension, centres
/// uniform in that cube, radii uniform in [<see cref="MinRadius"/>, <see cref="MaxRadius"/>]; defaults 4 spheres
/// with radii in [0.1, 0.3], which for a 1-D action leaves roughly half of the range valid, in separate intervals.
/// </remarks>
public sealed record ActionRestrictionOptions
{
    /// <summary>Number of hyperspheres. Default 4. Must be in [1, 1024].</summary>
    public int SphereCount { get; init; } = 4;

    /// <summary>Smallest radius, in normalised action units. Default 0.1. Must be finite and &gt; 0.</summary>
    public double MinRadius { get; init; } = 0.1;

    /// <summary>Largest radius, in normalised action units. Default 0.3. Must be finite and ≥ <see cref="MinRadius"/>.</summary>
    public double MaxRadius { get; init; } = 0.3;

    /// <summary>Seed of the sphere layout (independent of the episode seed, so the restriction is fixed). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>What an invalid action does. Default <see cref="Classic.InvalidActionEffect.Zero"/>.</summary>
    public InvalidActionEffect InvalidActionEffect { get; init; } = InvalidActionEffect.Zero;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(ActionRestrictionOptions);
        OptionRules.InRange(SphereCount, 1, 1024, record, nameof(SphereCount));
        OptionRules.Positive(MinRadius, record, nameof(MinRadius));
        OptionRules.Finite(MaxRadius, record, nameof(MaxRadius));
        OptionRules.AtLeast(MaxRadius, MinRadius, record, nameof(MaxRadius), minName: nameof(MinRadius));
        OptionRules.Defined(InvalidActionEffect, record, nameof(InvalidActionEffect));
    }
}

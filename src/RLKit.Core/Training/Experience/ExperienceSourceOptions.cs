namespace RLKit.Training.Experience;

/// <summary>
/// How an off-policy learner works with an <see cref="IExperienceSource"/>. Validated when <c>Fit</c> starts.
/// </summary>
public sealed record ExperienceSourceOptions
{
    /// <summary>
    /// Gradient steps between two publishes of the learner's weights (and current exploration) to the producers.
    /// Default 100: fresh enough that the acting policy lags the learner by little, rare enough that a publish (the
    /// weights serialized once, then sent to every producer) costs little next to the gradient steps it follows. Must be
    /// in [1, 1 000 000].
    /// </summary>
    public int PublishInterval { get; init; } = 100;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the invalid option and its allowed range.</exception>
    public void Validate() => OptionRules.InRange(PublishInterval, 1, 1_000_000, nameof(ExperienceSourceOptions), nameof(PublishInterval));
}

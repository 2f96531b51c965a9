namespace RLKit.Training.Metrics;

/// <summary>Appearance of the chart <see cref="LearningCurveSvg"/> draws.</summary>
public sealed record LearningCurveSvgOptions
{
    /// <summary>The title above the plot. Default "Learning curve". Must not be null.</summary>
    public string Title { get; init; } = "Learning curve";

    /// <summary>The x-axis label. Default "Environment steps". Must not be null.</summary>
    public string XAxisLabel { get; init; } = "Environment steps";

    /// <summary>The y-axis label. Default "Episode return". Must not be null.</summary>
    public string YAxisLabel { get; init; } = "Episode return";

    /// <summary>Image width in pixels. Default 800. Must be in [320, 10000].</summary>
    public int Width { get; init; } = 800;

    /// <summary>Image height in pixels. Default 480. Must be in [200, 10000].</summary>
    public int Height { get; init; } = 480;

    /// <summary>
    /// The most points of the common step grid each curve is resampled onto. Default 200. Must be in
    /// [2, 100000]. When the seeds' logged steps (within the range all seeds cover) are no more than
    /// this, the grid is exactly those steps; otherwise it is this many evenly spaced steps.
    /// </summary>
    public int MaxGridPoints { get; init; } = 200;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    /// <exception cref="ArgumentNullException">If a title or axis label is null.</exception>
    public void Validate()
    {
        const string record = nameof(LearningCurveSvgOptions);
        ArgumentNullException.ThrowIfNull(Title, nameof(Title));
        ArgumentNullException.ThrowIfNull(XAxisLabel, nameof(XAxisLabel));
        ArgumentNullException.ThrowIfNull(YAxisLabel, nameof(YAxisLabel));
        OptionRules.InRange(Width, 320, 10_000, record, nameof(Width));
        OptionRules.InRange(Height, 200, 10_000, record, nameof(Height));
        OptionRules.InRange(MaxGridPoints, 2, 100_000, record, nameof(MaxGridPoints));
    }
}

namespace RLKit.Training.Metrics;

/// <summary>Argument checks shared by the <see cref="IMetricSink"/> implementations, so all sinks reject the same input with the same message.</summary>
internal static class MetricArguments
{
    internal static void CheckStep(long step)
    {
        if (step < 0)
            throw new ArgumentOutOfRangeException(nameof(step), step, "A metric step must be ≥ 0.");
    }

    internal static void CheckTag(string tag, string parameterName)
    {
        if (string.IsNullOrEmpty(tag))
            throw new ArgumentException("A metric tag must be a non-empty string.", parameterName);
    }

    internal static void CheckScalars(IReadOnlyDictionary<string, double> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        foreach (var tag in scalars.Keys)
            CheckTag(tag, nameof(scalars));
    }
}

namespace RLKit.Training.Metrics;

/// <summary>
/// One learning curve to plot: the same configuration trained with several seeds. It is drawn as the
/// mean across seeds with a ± one standard deviation band.
/// </summary>
public sealed class LearningCurve
{
    /// <summary>Creates a curve named <paramref name="name"/> from one (step, value) series per seed.</summary>
    /// <param name="name">The legend label, e.g. "PPO".</param>
    /// <param name="seeds">One series per seed, each non-empty with strictly increasing steps and finite values.</param>
    /// <exception cref="ArgumentException">If the name is empty, there is no seed, a series is empty, its steps are not strictly increasing, or a value is not finite.</exception>
    public LearningCurve(string name, IEnumerable<IReadOnlyList<CurvePoint>> seeds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(seeds);
        var copies = new List<CurvePoint[]>();
        foreach (var series in seeds)
        {
            int seed = copies.Count;
            if (series is null || series.Count == 0)
                throw new ArgumentException($"LearningCurve '{name}': seed {seed} has no points.", nameof(seeds));
            var copy = series.ToArray();
            for (int i = 0; i < copy.Length; i++)
            {
                if (!double.IsFinite(copy[i].Value))
                    throw new ArgumentException($"LearningCurve '{name}': seed {seed} point {i} has the non-finite value {copy[i].Value}.", nameof(seeds));
                if (i > 0 && copy[i].Step <= copy[i - 1].Step)
                    throw new ArgumentException($"LearningCurve '{name}': seed {seed} steps must strictly increase, but point {i} has step {copy[i].Step} after {copy[i - 1].Step}.", nameof(seeds));
            }
            copies.Add(copy);
        }
        if (copies.Count == 0)
            throw new ArgumentException($"LearningCurve '{name}' needs at least one seed.", nameof(seeds));
        Name = name;
        Seeds = copies;
    }

    /// <summary>The legend label.</summary>
    public string Name { get; }

    /// <summary>One (step, value) series per seed, as given (copied).</summary>
    public IReadOnlyList<IReadOnlyList<CurvePoint>> Seeds { get; }
}

namespace RLKit.Training.Evaluation;

/// <summary>
/// The outcome of the <see cref="Evaluator"/>.Evaluate overloads: per-episode returns and lengths and their statistics, the
/// success rate when the environment reports one, and whether a threshold was met.
/// </summary>
/// <param name="MeanReturn">The mean undiscounted episode return.</param>
/// <param name="StdReturn">The population standard deviation of the returns (NumPy's <c>np.std</c>, as SB3 reports).</param>
/// <param name="MinReturn">The lowest return.</param>
/// <param name="MaxReturn">The highest return.</param>
/// <param name="MeanLength">The mean episode length in steps.</param>
/// <param name="Lengths">Each episode's length, in the order run.</param>
/// <param name="Returns">Each episode's return, in the order run.</param>
/// <param name="SuccessRate">
/// The fraction of episodes whose final step's info held <c>"success" = true</c>, or null when the environment never
/// reported <c>"success"</c> at an episode's end.
/// </param>
/// <param name="Solved">Whether <paramref name="MeanReturn"/> ≥ the threshold asked for, or null without a threshold.</param>
public sealed record EvaluationReport(
    double MeanReturn,
    double StdReturn,
    double MinReturn,
    double MaxReturn,
    double MeanLength,
    IReadOnlyList<int> Lengths,
    IReadOnlyList<double> Returns,
    double? SuccessRate,
    bool? Solved)
{
    /// <summary>The number of episodes evaluated.</summary>
    public int Episodes => Returns.Count;

    /// <summary>A one-line summary, e.g. "mean 500.0 ± 0.0 (min 500.0, max 500.0) over 10 episodes, length 500.0".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"mean {MeanReturn:0.###} ± {StdReturn:0.###} (min {MinReturn:0.###}, max {MaxReturn:0.###}) over {Episodes} episodes, length {MeanLength:0.#}")
        + (SuccessRate is { } s ? FormattableString.Invariant($", success {s * 100:0.#}%") : "")
        + (Solved is { } solved ? (solved ? ", solved" : ", not solved") : "");
}

using System.Globalization;
using RLKit.Environments.Wrappers;

namespace RLKit.Onnx;

/// <summary>
/// Observation-normalisation statistics to fold into an exported model, so that it takes raw observations:
/// <c>clip((x − mean) / sqrt(variance + ε), −clip, clip)</c>, as <see cref="ObservationNormalization"/> computes it
/// (the exported model computes in float32, the wrapper in double). Take them from the wrapper the agent was trained
/// behind (<see cref="From(ObservationNormalization)"/>) or from the statistics a checkpoint stored
/// (<see cref="From(RunningStatistics, double, double)"/>).
/// </summary>
public sealed class OnnxObservationNormalization
{
    private readonly double[] _mean;
    private readonly double[] _variance;

    /// <summary>Statistics with the wrapper's clip and ε.</summary>
    /// <param name="mean">The per-element mean; finite.</param>
    /// <param name="variance">The per-element population variance; finite and ≥ 0, as long as <paramref name="mean"/>.</param>
    /// <param name="clip">The bound on normalised values, &gt; 0 (+∞ for none); the wrapper's default is 10.</param>
    /// <param name="epsilon">Added to the variance, finite and ≥ 0 (variance + ε must be &gt; 0); the wrapper's default is 1e-8.</param>
    /// <exception cref="ArgumentException">If the lengths differ or are zero, a value is not finite, a variance is negative or variance + ε is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If clip or ε is out of range.</exception>
    public OnnxObservationNormalization(IReadOnlyList<double> mean, IReadOnlyList<double> variance, double clip = 10.0, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(variance);
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "OnnxObservationNormalization: clip must be > 0 (+∞ for none).");
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "OnnxObservationNormalization: epsilon must be finite and ≥ 0.");
        if (mean.Count == 0 || mean.Count != variance.Count)
            throw new ArgumentException(
                $"OnnxObservationNormalization: mean and variance must have one entry per observation element; got {mean.Count} and {variance.Count}.", nameof(variance));
        for (int i = 0; i < mean.Count; i++)
        {
            if (!double.IsFinite(mean[i]))
                throw new ArgumentException($"OnnxObservationNormalization: mean[{i}] must be finite, got {mean[i].ToString(CultureInfo.InvariantCulture)}.", nameof(mean));
            if (!double.IsFinite(variance[i]) || variance[i] < 0 || !(variance[i] + epsilon > 0))
                throw new ArgumentException(
                    $"OnnxObservationNormalization: variance[{i}] must be finite and ≥ 0 with variance + epsilon > 0, got {variance[i].ToString(CultureInfo.InvariantCulture)} (epsilon {epsilon.ToString(CultureInfo.InvariantCulture)}).", nameof(variance));
        }
        _mean = [.. mean];
        _variance = [.. variance];
        Clip = clip;
        Epsilon = epsilon;
    }

    /// <summary>The statistics, clip and ε of <paramref name="wrapper"/> as they are now.</summary>
    public static OnnxObservationNormalization From(ObservationNormalization wrapper)
    {
        ArgumentNullException.ThrowIfNull(wrapper);
        return new(wrapper.Mean.ToArray(), wrapper.Variance.ToArray(), wrapper.Clip, wrapper.Epsilon);
    }

    /// <summary>Saved statistics (for example a checkpoint's "observation" normaliser) with the wrapper's clip and ε.</summary>
    public static OnnxObservationNormalization From(RunningStatistics statistics, double clip = 10.0, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new(statistics.Mean, statistics.Variance, clip, epsilon);
    }

    /// <summary>The per-element mean.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The per-element population variance.</summary>
    public IReadOnlyList<double> Variance => _variance;

    /// <summary>The bound on normalised values (+∞ for none).</summary>
    public double Clip { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>The number of observation elements.</summary>
    public int Size => _mean.Length;
}

using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Normalises observations to roughly zero mean and unit variance with running statistics (Gymnasium's
/// <c>NormalizeObservation</c>, SB3's <c>VecNormalize</c> for observations):
/// <c>clip((x − mean) / sqrt(var + ε), −clip, clip)</c>. The statistics are updated with each observation before it is
/// normalised, in double precision, starting from no samples (the first observation normalises to 0).
/// </summary>
/// <remarks>
/// Set <see cref="Update"/> to false to freeze the statistics for evaluation. <see cref="GetState"/> and
/// <see cref="SetState"/> save and restore them with a checkpoint. The observation space becomes
/// Box(−clip, clip) with the inner shape.
/// </remarks>
public sealed class ObservationNormalization : Wrapper
{
    private readonly RunningMeanStd _statistics;
    private readonly float[] _normalized;

    /// <summary>Wraps <paramref name="env"/>, clipping normalised values to ±<paramref name="clip"/> (default 10) with ε = <paramref name="epsilon"/> (default 1e-8).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If clip is not positive or epsilon is negative.</exception>
    public ObservationNormalization(IEnvironment env, double clip = 10.0, double epsilon = 1e-8) : base(env)
    {
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "ObservationNormalization: clip must be > 0 (use +∞ for none).");
        if (!(epsilon >= 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ObservationNormalization: epsilon must be finite and ≥ 0.");
        Clip = clip;
        Epsilon = epsilon;
        int size = env.ObservationSpace.FlatSize;
        _statistics = new RunningMeanStd(size);
        _normalized = new float[size];
        ObservationSpace = new Box((float)-clip, (float)clip, env.ObservationSpace.Shape);
    }

    /// <summary>The bound on normalised values.</summary>
    public double Clip { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether observations update the statistics (true while training; false freezes them for evaluation).</summary>
    public bool Update { get; set; } = true;

    /// <inheritdoc/>
    public override Space ObservationSpace { get; }

    /// <summary>The number of observations merged into the statistics.</summary>
    public long Count => _statistics.Count;

    /// <summary>The running per-element mean.</summary>
    public ReadOnlySpan<double> Mean => _statistics.Mean;

    /// <summary>The running per-element population variance (1 before any observation).</summary>
    public ReadOnlySpan<double> Variance => _statistics.Variance;

    /// <summary>A copy of the statistics, for checkpoints.</summary>
    public RunningStatistics GetState() => _statistics.GetState();

    /// <summary>Restores statistics saved by <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">If the state has the wrong size or non-finite values.</exception>
    public void SetState(RunningStatistics state) => _statistics.SetState(state, $"{Id} ObservationNormalization");

    /// <inheritdoc/>
    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        var result = Inner.Reset(seed, options);
        return new ResetResult(Normalize(result.Observation), result.Info);
    }

    /// <inheritdoc/>
    public override StepResult Step(int action) => Wrap(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action) => Wrap(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<int> action) => Wrap(Inner.Step(action));

    private StepResult Wrap(StepResult r) => new(Normalize(r.Observation), r.Reward, r.Terminated, r.Truncated, r.Info);

    private ReadOnlySpan<float> Normalize(ReadOnlySpan<float> observation)
    {
        if (observation.Length != _normalized.Length)
            throw new InvalidOperationException($"{Id}: ObservationNormalization expected {_normalized.Length} observation values, got {observation.Length}.");
        if (Update) _statistics.Update(observation);
        var mean = _statistics.Mean;
        var variance = _statistics.Variance;
        for (int i = 0; i < _normalized.Length; i++)
        {
            double z = (observation[i] - mean[i]) / Math.Sqrt(variance[i] + Epsilon);
            _normalized[i] = (float)Math.Clamp(z, -Clip, Clip);
        }
        return _normalized;
    }
}

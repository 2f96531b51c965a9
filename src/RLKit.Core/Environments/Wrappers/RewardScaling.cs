namespace RLKit.Environments.Wrappers;

/// <summary>
/// Scales rewards by the running standard deviation of the discounted return (Gymnasium's <c>NormalizeReward</c>,
/// SB3's <c>VecNormalize</c> for rewards): after each step, <c>G ← γ·G + r</c> updates the running variance of G,
/// and the reward becomes <c>clip(r / sqrt(var(G) + ε), −clip, clip)</c>. The mean is not subtracted (see
/// openai/baselines#538).
/// </summary>
/// <remarks>
/// G restarts at 0 after any episode end, terminated or truncated (SB3's rule; Gymnasium 1.x only restarts it on
/// termination and so carries a truncated episode's return into the next one). The reward clip defaults to 10 as
/// in SB3 (Gymnasium has none; pass +∞). Set <see cref="Update"/> to false to freeze the statistics for evaluation.
/// </remarks>
public sealed class RewardScaling : Wrapper
{
    private readonly RunningMeanStd _returnStatistics = new(1);
    private double _discountedReturn;

    /// <summary>Wraps <paramref name="env"/> with discount <paramref name="gamma"/> (default 0.99), reward clip (default 10) and ε (default 1e-8).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If gamma is outside [0, 1], clip is not positive, or epsilon is negative.</exception>
    public RewardScaling(IEnvironment env, double gamma = 0.99, double clip = 10.0, double epsilon = 1e-8) : base(env)
    {
        if (!(gamma >= 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "RewardScaling: gamma must be in [0, 1].");
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "RewardScaling: clip must be > 0 (use +∞ for none).");
        if (!(epsilon >= 0) || double.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "RewardScaling: epsilon must be finite and ≥ 0.");
        Gamma = gamma;
        Clip = clip;
        Epsilon = epsilon;
    }

    /// <summary>The discount of the return whose spread scales rewards.</summary>
    public double Gamma { get; }

    /// <summary>The bound on scaled rewards.</summary>
    public double Clip { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>Whether steps update the statistics (false freezes them for evaluation).</summary>
    public bool Update { get; set; } = true;

    /// <summary>The running variance of the discounted return (1 before any step).</summary>
    public double ReturnVariance => _returnStatistics.Variance[0];

    /// <summary>A copy of the return statistics, for checkpoints.</summary>
    public RunningStatistics GetState() => _returnStatistics.GetState();

    /// <summary>Restores statistics saved by <see cref="GetState"/>.</summary>
    public void SetState(RunningStatistics state) => _returnStatistics.SetState(state, $"{Id} RewardScaling");

    /// <inheritdoc/>
    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        _discountedReturn = 0;
        return Inner.Reset(seed, options);
    }

    /// <inheritdoc/>
    public override StepResult Step(int action) => Scale(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action) => Scale(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<int> action) => Scale(Inner.Step(action));

    private StepResult Scale(StepResult r)
    {
        _discountedReturn = _discountedReturn * Gamma + r.Reward;
        if (Update) _returnStatistics.Update(_discountedReturn);
        double scaled = Math.Clamp(r.Reward / Math.Sqrt(ReturnVariance + Epsilon), -Clip, Clip);
        if (r.Done) _discountedReturn = 0;
        return new StepResult(r.Observation, scaled, r.Terminated, r.Truncated, r.Info);
    }
}

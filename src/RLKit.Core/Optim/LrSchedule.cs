namespace RLKit.Optim;

/// <summary>
/// A learning-rate schedule as a function of the remaining training progress, as in Stable-Baselines3:
/// progress remaining goes from 1 (start of training) to 0 (end).
/// </summary>
public abstract class LrSchedule
{
    /// <summary>The learning rate when a fraction <paramref name="progressRemaining"/> of training is left (clamped to [0, 1]).</summary>
    public abstract float ValueAt(double progressRemaining);

    /// <summary>Sets the optimizer's learning rate for the given remaining progress; returns the rate set.</summary>
    public float Apply(Optimizer optimizer, double progressRemaining)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (double.IsNaN(progressRemaining))
            throw new ArgumentOutOfRangeException(nameof(progressRemaining), progressRemaining, "progressRemaining must be a number in [0, 1].");
        float rate = ValueAt(Math.Clamp(progressRemaining, 0, 1));
        optimizer.LearningRate = rate;
        return rate;
    }

    /// <summary>Sets the optimizer's learning rate at step <paramref name="step"/> of <paramref name="totalSteps"/> (progress remaining = 1 − step/total).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If totalSteps ≤ 0 or step &lt; 0.</exception>
    public float ApplyAtStep(Optimizer optimizer, long step, long totalSteps)
    {
        if (totalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "totalSteps must be positive.");
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative.");
        return Apply(optimizer, 1.0 - Math.Min(step, totalSteps) / (double)totalSteps);
    }

    /// <summary>A constant learning rate.</summary>
    public static LrSchedule Constant(float value) => new ConstantSchedule(value);

    /// <summary>
    /// Linear interpolation from <paramref name="start"/> to <paramref name="end"/> over the first
    /// <paramref name="endFraction"/> of training, then constant at <paramref name="end"/> (SB3's get_linear_fn).
    /// </summary>
    public static LrSchedule Linear(float start, float end, double endFraction = 1.0) => new LinearSchedule(start, end, endFraction);

    internal static void RequireRate(float value, string paramName)
    {
        if (!(value > 0) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(paramName, value, "A scheduled learning rate must be positive and finite (in (0, ∞)).");
    }
}

/// <summary>A learning rate that never changes.</summary>
public sealed class ConstantSchedule : LrSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the value is not positive and finite.</exception>
    public ConstantSchedule(float value)
    {
        RequireRate(value, nameof(value));
        Value = value;
    }

    /// <summary>The learning rate.</summary>
    public float Value { get; }

    /// <inheritdoc />
    public override float ValueAt(double progressRemaining) => Value;
}

/// <summary>
/// Linear decay (or growth) from <see cref="Start"/> to <see cref="End"/> over the first
/// <see cref="EndFraction"/> of training, constant afterwards.
/// </summary>
public sealed class LinearSchedule : LrSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="start">The rate at progress remaining 1.</param>
    /// <param name="end">The rate reached when a fraction <paramref name="endFraction"/> of training has elapsed.</param>
    /// <param name="endFraction">In (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">If a rate is not positive and finite, or endFraction is outside (0, 1].</exception>
    public LinearSchedule(float start, float end, double endFraction = 1.0)
    {
        RequireRate(start, nameof(start));
        RequireRate(end, nameof(end));
        if (!(endFraction > 0 && endFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(endFraction), endFraction, "endFraction must lie in (0, 1].");
        Start = start;
        End = end;
        EndFraction = endFraction;
    }

    /// <summary>Rate at the start of training.</summary>
    public float Start { get; }

    /// <summary>Rate at the end of the ramp.</summary>
    public float End { get; }

    /// <summary>Fraction of training over which the rate moves from start to end.</summary>
    public double EndFraction { get; }

    /// <inheritdoc />
    public override float ValueAt(double progressRemaining)
    {
        double progress = 1 - Math.Clamp(progressRemaining, 0, 1);
        if (progress >= EndFraction) return End;
        return (float)(Start + progress * (End - (double)Start) / EndFraction);
    }
}

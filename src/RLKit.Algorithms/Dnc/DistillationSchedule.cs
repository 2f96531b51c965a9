namespace RLKit.Algorithms.Dnc;

/// <summary>
/// When a <see cref="DncMode.Full"/> run distils: <c>count</c> evenly spaced points of the budget, distillation k due once
/// the monitor's progress (the fraction of the budget used) reaches k/(count + 1). The task policies thus train on
/// after the last distillation for as long as between two, as in the reference, which distils every
/// <c>distillation_period</c> epochs but not at epoch 0 nor after the last epoch. Points already passed when a fit
/// starts (a resumed run) are skipped; an update that passes several points distils once.
/// </summary>
internal sealed class DistillationSchedule
{
    private readonly int _count;
    private int _passed;

    /// <param name="count">The number of distillations over the whole budget, ≥ 1.</param>
    /// <param name="startProgress">The budget's progress when the fit starts (0 for a fresh run).</param>
    public DistillationSchedule(int count, double startProgress)
    {
        _count = count;
        _passed = Reached(startProgress);
    }

    /// <summary>True when <paramref name="progress"/> has reached a point not reached before (then it, and any point before it, counts as passed).</summary>
    public bool Due(double progress)
    {
        int reached = Reached(progress);
        if (reached <= _passed) return false;
        _passed = reached;
        return true;
    }

    /// <summary>How many of the points k/(count + 1), k = 1…count, lie at or below <paramref name="progress"/>.</summary>
    private int Reached(double progress)
    {
        int reached = 0;
        while (reached < _count && progress * (_count + 1) >= reached + 1) reached++;
        return reached;
    }
}

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Running per-element mean and population variance in double precision, merged with the parallel
/// (Chan et al.) update, which reduces to Welford's update for one sample. Starts empty (count 0): the first
/// sample sets the mean and leaves the variance at 0, so the statistics equal a direct computation over every
/// sample seen (unlike Gymnasium's count = 1e-4 prior).
/// </summary>
internal sealed class RunningMeanStd
{
    private readonly double[] _mean;
    private readonly double[] _var;

    public RunningMeanStd(int size)
    {
        _mean = new double[size];
        _var = new double[size];
        _var.AsSpan().Fill(1.0);
    }

    public long Count { get; private set; }

    public int Size => _mean.Length;

    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Population variance; 1 before any sample so that normalising an empty estimate is the identity.</summary>
    public ReadOnlySpan<double> Variance => _var;

    public void Update(ReadOnlySpan<float> sample)
    {
        long n = Count + 1;
        if (Count == 0)
        {
            for (int i = 0; i < _mean.Length; i++) { _mean[i] = sample[i]; _var[i] = 0; }
        }
        else
        {
            for (int i = 0; i < _mean.Length; i++)
            {
                double delta = sample[i] - _mean[i];
                double mean = _mean[i] + delta / n;
                // M2 form of Welford: var_n = (var_{n-1}·(n−1) + δ·(x − mean_n)) / n
                _var[i] = (_var[i] * Count + delta * (sample[i] - mean)) / n;
                _mean[i] = mean;
            }
        }
        Count = n;
    }

    public void Update(double sample)
    {
        long n = Count + 1;
        if (Count == 0) { _mean[0] = sample; _var[0] = 0; }
        else
        {
            double delta = sample - _mean[0];
            double mean = _mean[0] + delta / n;
            _var[0] = (_var[0] * Count + delta * (sample - mean)) / n;
            _mean[0] = mean;
        }
        Count = n;
    }

    public RunningStatistics GetState() => new(Count, (double[])_mean.Clone(), (double[])_var.Clone());

    public void SetState(RunningStatistics state, string owner)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Mean is null || state.Variance is null || state.Mean.Length != Size || state.Variance.Length != Size)
            throw new ArgumentException($"{owner}: the state holds {state.Mean?.Length ?? 0} means and {state.Variance?.Length ?? 0} variances; {Size} of each are needed.", nameof(state));
        if (state.Count < 0)
            throw new ArgumentOutOfRangeException(nameof(state), state.Count, $"{owner}: the state's count must be ≥ 0.");
        for (int i = 0; i < Size; i++)
            if (!double.IsFinite(state.Mean[i]) || !(state.Variance[i] >= 0) || double.IsInfinity(state.Variance[i]))
                throw new ArgumentException($"{owner}: state entry {i} (mean {state.Mean[i]}, variance {state.Variance[i]}) must be finite with variance ≥ 0.", nameof(state));
        state.Mean.CopyTo(_mean, 0);
        state.Variance.CopyTo(_var, 0);
        Count = state.Count;
    }
}

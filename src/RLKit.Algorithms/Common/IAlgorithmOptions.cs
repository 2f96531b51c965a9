namespace RLKit.Algorithms.Common;

/// <summary>
/// What every algorithm's options record provides: the seed of everything random in one <c>Fit</c>, and the range
/// checks run once, where the options enter (estimator and agent constructors, checkpoint loading).
/// </summary>
public interface IAlgorithmOptions
{
    /// <summary>Seed of network initialisation, sampling and the first environment reset (default 0 everywhere).</summary>
    ulong Seed { get; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    void Validate();
}

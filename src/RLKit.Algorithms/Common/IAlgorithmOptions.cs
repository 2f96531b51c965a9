using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// What every algorithm's options record provides: the seed of everything random in one <c>Fit</c>, and the range
/// checks run once, where the options enter (estimator and agent constructors, checkpoint loading).
/// </summary>
/// <remarks>
/// The seed follows the seed rule of <see cref="RLKit.Hosting.RLContext"/> ("Seeds"): a seed set on the record wins;
/// an unset one is taken from the context's seed stream when the estimator is made through <c>rl.Agents</c>, and is 0
/// otherwise. It seeds network initialisation, sampling and the first environment reset unless the environment has a
/// seed of its own (<see cref="RLKit.Environments.Vector.IVectorEnvironment.Seed"/>).
/// </remarks>
public interface IAlgorithmOptions : ISeedableOptions
{

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    void Validate();
}

using System.Diagnostics;
using RLKit.Environments;
using RLKit.Envs;

namespace RLKit.Distributed.Sample;

/// <summary>
/// CartPole with an artificial cost per step (a busy wait, like a simulator's compute): the benchmark's stand-in for an
/// environment whose steps are expensive enough to be worth spreading over machines.
/// </summary>
internal sealed class SlowStep(IEnvironment inner, TimeSpan cost) : RLKit.Environments.Wrappers.Wrapper(inner)
{
    public const string Id50Microseconds = "SlowCartPole-v1";

    private readonly long _ticks = (long)(cost.TotalSeconds * Stopwatch.Frequency);

    public override StepResult Step(int action)
    {
        long start = Stopwatch.GetTimestamp();
        var result = base.Step(action);
        while (Stopwatch.GetTimestamp() - start < _ticks) Thread.SpinWait(10);
        return result;
    }

    /// <summary>The standard environments plus <see cref="Id50Microseconds"/> (CartPole with a 50 µs step); silos and learner register the same.</summary>
    public static EnvironmentCatalog Catalog()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        catalog.Register(Id50Microseconds, "CartPole-v1 whose every step costs at least 50 µs (benchmark)",
                         options => new SlowStep(catalog.Make("CartPole-v1", options), TimeSpan.FromMicroseconds(50)));
        return catalog;
    }
}

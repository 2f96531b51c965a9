using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>
/// A one-step task with a one-dimensional action in [−1, 1] whose value has two Gaussian peaks: a broad local one
/// (reward <paramref name="localHeight"/>) that a gradient-ascending actor starting near 0 climbs, and a narrower global
/// one (reward 1) behind a valley. Deterministic, one constant observation.
/// </summary>
internal sealed class TwoPeakBandit(double localPeak = -0.3, double localWidth = 0.35, double localHeight = 0.6, double globalPeak = 0.75, double globalWidth = 0.1)
    : EnvironmentBase(new Box([-1f], [1f], [1]), new Box([-1f], [1f], [1]))
{
    public override string Id => "TwoPeakBandit";

    /// <summary>The reward of action <paramref name="a"/>.</summary>
    public double Reward(double a) =>
        localHeight * Math.Exp(-Square(a - localPeak) / (2 * localWidth * localWidth)) + Math.Exp(-Square(a - globalPeak) / (2 * globalWidth * globalWidth));

    private static double Square(double x) => x * x;

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        observation[0] = 1f;
        return null;
    }

    protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        observation[0] = 1f;
        return new Transition(Reward(Math.Clamp(action[0], -1f, 1f)), Terminated: true);
    }
}

using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>
/// A one-step task with a one-dimensional action in [−1, 1] whose value has two peaks: a broad local one at
/// <see cref="LocalPeak"/> (reward 0.6) that a gradient-ascending actor starting near 0 climbs, and a narrower global
/// one at <see cref="GlobalPeak"/> (reward 1), behind a valley. Deterministic, one constant observation.
/// </summary>
internal sealed class TwoPeakBandit() : EnvironmentBase(new Box([-1f], [1f], [1]), new Box([-1f], [1f], [1]))
{
    public const float LocalPeak = -0.3f;
    public const float GlobalPeak = 0.75f;

    public override string Id => "TwoPeakBandit";

    /// <summary>The reward of action <paramref name="a"/>.</summary>
    public static double Reward(double a) =>
        0.6 * Math.Exp(-Square(a - LocalPeak) / (2 * 0.35 * 0.35)) + Math.Exp(-Square(a - GlobalPeak) / (2 * 0.1 * 0.1));

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

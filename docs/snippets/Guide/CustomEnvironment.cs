using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Snippets.Guide;

internal static class CustomEnvironment
{
    public static void Run()
    {
        var corridor = new Corridor();
        corridor.Reset(seed: 3);
        var step = corridor.Step(1);
        Given.Check(!step.Done && step.Reward < 0, "a step towards the goal costs a little and goes on");
        CheckEnv.Check(new Corridor());
    }
}

// begin snippet
/// <summary>A corridor of ten cells: start somewhere in the left half, walk to the right end.</summary>
public sealed class Corridor() : EnvironmentBase(new Box(0f, 1f, 1), new Discrete(2))
{
    private const int Length = 10, MaxSteps = 100;
    private int _position, _steps;

    public override string Id => "Corridor-v0";

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _position = Random.NextInt(Length / 2);               // Random restarts from the seed given to Reset
        _steps = 0;
        observation[0] = _position / (Length - 1f);
        return null;                                          // no info
    }

    protected override Transition StepCore(int action, Span<float> observation)   // 0: left, 1: right
    {
        _position = Math.Clamp(_position + (action == 1 ? 1 : -1), 0, Length - 1);
        _steps++;
        observation[0] = _position / (Length - 1f);
        bool atGoal = _position == Length - 1;
        return new Transition(Reward: atGoal ? 1 : -0.01, Terminated: atGoal, Truncated: !atGoal && _steps == MaxSteps);
    }
}
// end snippet

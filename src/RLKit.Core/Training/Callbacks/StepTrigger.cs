namespace RLKit.Training.Callbacks;

/// <summary>
/// Fires once each time the step count crosses a multiple of an interval. Updates land on whatever step count the
/// algorithm's rollout or train frequency gives, so "every 1000 steps" means "at the first update at or past each
/// multiple of 1000".
/// </summary>
internal sealed class StepTrigger
{
    private readonly long _everySteps;
    private long _next;

    internal StepTrigger(long everySteps, string parameterName)
    {
        if (everySteps < 1)
            throw new ArgumentOutOfRangeException(parameterName, everySteps, $"{parameterName} must be at least 1.");
        _everySteps = everySteps;
        _next = everySteps;
    }

    internal bool ShouldFire(long steps)
    {
        if (steps < _next) return false;
        _next = (steps / _everySteps + 1) * _everySteps;
        return true;
    }
}

namespace RLKit.Training.Callbacks;

/// <summary>
/// Stops training once the mean return reaches a threshold. With an <see cref="EvaluationCallback"/> it watches that
/// callback's evaluations (the greedy return, SB3's <c>StopTrainingOnRewardThreshold</c>); without one it watches the
/// monitor's mean return over the recent training episodes (<see cref="TrainingUpdate.MeanReturn"/>, up to 100
/// episodes, with exploration), checked at every update.
/// </summary>
/// <remarks>List the evaluation callback before this one so an evaluation is seen in the update that made it.</remarks>
public sealed class StopAtThresholdCallback : ITrainingCallback
{
    private readonly EvaluationCallback? _evaluation;
    private int _seenEvaluations;

    /// <summary>Creates the callback.</summary>
    /// <param name="threshold">The mean return to reach.</param>
    /// <param name="evaluation">The evaluations to watch, or null to watch the training episodes' mean return.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="threshold"/> is NaN.</exception>
    public StopAtThresholdCallback(double threshold, EvaluationCallback? evaluation = null)
    {
        if (double.IsNaN(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "StopAtThresholdCallback: threshold must be a number.");
        Threshold = threshold;
        _evaluation = evaluation;
    }

    /// <summary>The mean return that stops training.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(control);
        if (_evaluation is null)
        {
            if (update.MeanReturn is { } mean && mean >= Threshold)
                control.Stop($"mean training return {mean:0.###} reached the threshold {Threshold} at step {update.Steps}");
            return;
        }
        if (_evaluation.EvaluationCount == _seenEvaluations) return;
        _seenEvaluations = _evaluation.EvaluationCount;
        var report = _evaluation.LastReport!;
        if (report.MeanReturn >= Threshold)
            control.Stop($"mean evaluation return {report.MeanReturn:0.###} reached the threshold {Threshold} at step {update.Steps}");
    }
}

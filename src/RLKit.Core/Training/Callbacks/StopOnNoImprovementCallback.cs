namespace RLKit.Training.Callbacks;

/// <summary>
/// Stops training when <c>patience</c> consecutive evaluations of an <see cref="EvaluationCallback"/> fail to beat the
/// best mean return so far by more than <c>minDelta</c> (SB3's <c>StopTrainingOnNoModelImprovement</c>).
/// </summary>
/// <remarks>List the evaluation callback before this one so an evaluation is seen in the update that made it.</remarks>
public sealed class StopOnNoImprovementCallback : ITrainingCallback
{
    private readonly EvaluationCallback _evaluation;
    private int _seenEvaluations;
    private double _best = double.NegativeInfinity;

    /// <summary>Creates the callback.</summary>
    /// <param name="evaluation">The evaluations to watch.</param>
    /// <param name="patience">How many evaluations in a row without improvement stop training; at least 1.</param>
    /// <param name="minDelta">How much a mean return must exceed the best to count as an improvement; ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="patience"/> is less than 1 or <paramref name="minDelta"/> is negative or NaN.</exception>
    public StopOnNoImprovementCallback(EvaluationCallback evaluation, int patience, double minDelta = 0)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "StopOnNoImprovementCallback: patience must be at least 1 evaluation.");
        if (!(minDelta >= 0))
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "StopOnNoImprovementCallback: minDelta must be ≥ 0.");
        _evaluation = evaluation;
        Patience = patience;
        MinDelta = minDelta;
    }

    /// <summary>Evaluations in a row without improvement that stop training.</summary>
    public int Patience { get; }

    /// <summary>The margin an improvement must exceed.</summary>
    public double MinDelta { get; }

    /// <summary>Evaluations since the last improvement.</summary>
    public int EvaluationsWithoutImprovement { get; private set; }

    /// <inheritdoc/>
    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(control);
        // Catch up on every evaluation since the last call, so the count is right whatever the callback order.
        var history = _evaluation.History;
        for (; _seenEvaluations < history.Count; _seenEvaluations++)
        {
            double mean = history[_seenEvaluations].Report.MeanReturn;
            if (mean > _best + MinDelta || double.IsNegativeInfinity(_best))
            {
                _best = mean;
                EvaluationsWithoutImprovement = 0;
            }
            else
            {
                // As Keras' EarlyStopping: a near-miss within minDelta does not move the bar.
                EvaluationsWithoutImprovement++;
            }
        }
        if (EvaluationsWithoutImprovement >= Patience)
            control.Stop($"no improvement over the best mean evaluation return {_best:0.###} in {EvaluationsWithoutImprovement} evaluations (step {update.Steps})");
    }
}

namespace RLKit.Training.Evaluation;

/// <summary>One task's part of a <see cref="TaskSetEvaluationReport"/>: its index, id and the evaluation of its policy.</summary>
/// <param name="Task">The task's index in the task set (and the agent's task index).</param>
/// <param name="TaskId">The task's id, e.g. "PointMaze-Large-Task3".</param>
/// <param name="Report">The episodes of the task's policy on the task's environment.</param>
public sealed record TaskEvaluation(int Task, string TaskId, EvaluationReport Report)
{
    /// <summary>
    /// The fraction of the task's episodes whose last step's info held <c>"success" = true</c>; 0 when the task's
    /// environment never reported <c>"success"</c> (see <see cref="ReportsSuccess"/>).
    /// </summary>
    public double SuccessRate => Report.SuccessRate ?? 0;

    /// <summary>Whether the task's environment reported <c>"success"</c> at the end of any evaluated episode.</summary>
    public bool ReportsSuccess => Report.SuccessRate is not null;

    /// <summary>The mean undiscounted episode return.</summary>
    public double MeanReturn => Report.MeanReturn;
}

/// <summary>
/// The outcome of <see cref="TaskSetEvaluator.Evaluate"/>: every task's policy evaluated on its own task, in task
/// order, with the averages over tasks that multi-task papers plot ("average multitask success rate").
/// </summary>
/// <param name="Tasks">One entry per task of the task set, in task order.</param>
public sealed record TaskSetEvaluationReport(IReadOnlyList<TaskEvaluation> Tasks)
{
    /// <summary>The mean over tasks of each task's success rate (tasks whose environment never reports success count 0).</summary>
    public double SuccessRate => Tasks.Average(t => t.SuccessRate);

    /// <summary>The mean over tasks of each task's mean return.</summary>
    public double MeanReturn => Tasks.Average(t => t.MeanReturn);

    /// <summary>How many tasks have a success rate of at least <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The success rate a task needs, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="threshold"/> is outside [0, 1] or NaN.</exception>
    public int TasksSolved(double threshold)
    {
        if (!(threshold >= 0 && threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "TasksSolved: the threshold must be a success rate in [0, 1].");
        return Tasks.Count(t => t.SuccessRate >= threshold);
    }

    /// <summary>A one-line summary, e.g. "success 62.0% over 10 tasks (per task 100 0 80 …), mean return -412.3".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"success {SuccessRate * 100:0.#}% over {Tasks.Count} tasks (per task {string.Join(" ", Tasks.Select(t => FormattableString.Invariant($"{t.SuccessRate * 100:0}")))}), mean return {MeanReturn:0.###}");
}

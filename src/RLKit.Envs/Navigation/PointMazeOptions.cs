namespace RLKit.Envs.Navigation;

/// <summary>
/// Options of <see cref="PointMaze"/>. Defaults follow QMP's maze navigation (seed 002 A.2, seed 003 D.2) and D4RL's
/// point maze.
/// </summary>
public sealed record PointMazeOptions
{
    /// <summary>The task index into <see cref="PointMazeTask.LargeMazeTasks"/>, 0–9. Default 0.</summary>
    public int Task { get; init; }

    /// <summary>Half-width of the uniform noise added to each start coordinate, in [0, 0.4]. Default 0.1 (D4RL).</summary>
    public double StartNoise { get; init; } = 0.1;

    /// <summary>Standard deviation of the normal initial velocity per axis, ≥ 0. Default 0.1 (D4RL).</summary>
    public double InitialVelocityStd { get; init; } = 0.1;

    /// <summary>Success (and termination) when the distance to the goal is at most this, in (0, 5]. Default 0.5.</summary>
    public double SuccessRadius { get; init; } = 0.5;

    internal void Validate()
    {
        int taskCount = PointMazeTask.LargeMazeTasks.Count;
        if (Task < 0 || Task >= taskCount)
            throw new ArgumentOutOfRangeException(nameof(Task), Task, $"PointMazeOptions.Task must be in [0, {taskCount - 1}].");
        if (!(StartNoise >= 0 && StartNoise <= 0.4))
            throw new ArgumentOutOfRangeException(nameof(StartNoise), StartNoise, "PointMazeOptions.StartNoise must be in [0, 0.4] so the start stays inside its cell.");
        if (!(InitialVelocityStd >= 0 && double.IsFinite(InitialVelocityStd)))
            throw new ArgumentOutOfRangeException(nameof(InitialVelocityStd), InitialVelocityStd, "PointMazeOptions.InitialVelocityStd must be finite and ≥ 0.");
        if (!(SuccessRadius > 0 && SuccessRadius <= 5))
            throw new ArgumentOutOfRangeException(nameof(SuccessRadius), SuccessRadius, "PointMazeOptions.SuccessRadius must be in (0, 5].");
    }
}

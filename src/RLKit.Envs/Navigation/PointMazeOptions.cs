using RLKit.Training;

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

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(PointMazeOptions);
        OptionRules.InRange(Task, 0, PointMazeTask.LargeMazeTasks.Count - 1, record, nameof(Task));
        // The start must stay inside its cell.
        OptionRules.InRange(StartNoise, 0, 0.4, record, nameof(StartNoise));
        OptionRules.NonNegative(InitialVelocityStd, record, nameof(InitialVelocityStd));
        OptionRules.InRange(SuccessRadius, 0, 5, record, nameof(SuccessRadius), minInclusive: false);
    }
}

namespace RLKit.Envs.Navigation;

/// <summary>
/// One maze-navigation task: a fixed start cell and a fixed goal cell, given as (row, column) = (x, y) cell
/// coordinates.
/// </summary>
/// <param name="StartRow">The start cell's row (x).</param>
/// <param name="StartColumn">The start cell's column (y).</param>
/// <param name="GoalRow">The goal cell's row (x).</param>
/// <param name="GoalColumn">The goal cell's column (y).</param>
public readonly record struct PointMazeTask(int StartRow, int StartColumn, int GoalRow, int GoalColumn)
{
    /// <summary>
    /// QMP's ten LARGE_MAZE tasks (seed 002 appendix A.2, seed 003 D.2), task i at index i:
    /// (1,3)→(5,8), (1,10)→(2,4), (4,1)→(1,7), (7,4)→(4,10), (1,3)→(7,4), (1,7)→(7,10), (5,4)→(7,9), (7,1)→(2,6),
    /// (1,2)→(3,10), (7,2)→(6,8).
    /// </summary>
    public static IReadOnlyList<PointMazeTask> LargeMazeTasks { get; } =
    [
        new(1, 3, 5, 8),
        new(1, 10, 2, 4),
        new(4, 1, 1, 7),
        new(7, 4, 4, 10),
        new(1, 3, 7, 4),
        new(1, 7, 7, 10),
        new(5, 4, 7, 9),
        new(7, 1, 2, 6),
        new(1, 2, 3, 10),
        new(7, 2, 6, 8),
    ];
}

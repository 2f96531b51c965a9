using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Spaces;

namespace RLKit.Envs.Grid;

/// <summary>
/// The Distral two-room grid worlds 4–8 (seed 001; Teh et al. 2017, envs of Alfo5123/Robust-Multitask-RL):
/// 9 rows × 10 columns, two 7 × 2 rooms (columns 1–2 and 7–8, rows 1–7) joined by a corridor on row 4
/// (columns 3–6); everything else is wall. Start → goal as (row, column):
/// grid 4 (1,1)→(7,8), grid 5 (1,1)→(4,7), grid 6 (1,1)→(4,3), grid 7 (1,1)→(1,8), grid 8 (7,2)→(1,8).
/// </summary>
/// <remarks>
/// <para>Actions (<see cref="Discrete"/>(4)): 0 down, 1 up, 2 left, 3 right.</para>
/// <para>Reward: −0.1 every step; a move into a wall costs an extra −0.5 (−0.6 in total) and leaves the agent in
/// place; entering the goal adds +1 (so that step pays +0.9) and terminates the episode.</para>
/// <para>Observation (3 floats in [−1, 1]), the paper's "location, previous action, previous reward":
/// <list type="number">
/// <item>normalised cell index 2·(row·10 + column)/89 − 1 (the reference code's formula multiplies the row by
/// the row count, which maps distinct cells to one value; RLKit uses the row-major index instead);</item>
/// <item>previous action (a − 1.5)/1.5 ∈ {−1, −⅓, ⅓, 1}, 0 after reset;</item>
/// <item>previous reward, unscaled (−0.6 … 0.9), 0 after reset.</item>
/// </list></para>
/// <para>The environment never truncates; the catalog wraps it in a <c>TimeLimit</c> of
/// <see cref="DistralGridOptions.MaxEpisodeSteps"/> (a step limit is truncation, as in Gymnasium). Reset is
/// deterministic (fixed start), so the seed only matters to agents that sample from the env's spaces.</para>
/// </remarks>
public sealed class DistralGrid : EnvironmentBase
{
    /// <summary>Grid rows.</summary>
    public const int Rows = 9;

    /// <summary>Grid columns.</summary>
    public const int Columns = 10;

    /// <summary>Reward of every step.</summary>
    public const double StepReward = -0.1;

    /// <summary>Extra reward for bumping into a wall.</summary>
    public const double WallPenalty = -0.5;

    /// <summary>Extra reward for entering the goal.</summary>
    public const double GoalReward = 1.0;

    /// <summary>The first and last grid numbers (inclusive).</summary>
    public const int FirstLayout = 4, LastLayout = 8;

    private const byte Floor = 0, Wall = 1;
    private static readonly GridDirection[] ActionDirections = [GridDirection.Down, GridDirection.Up, GridDirection.Left, GridDirection.Right];

    private readonly GridMap _map = CreateMap();
    private int _row, _col;

    /// <summary>Creates Distral grid <paramref name="layout"/> (4 … 8).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the layout is not 4 … 8.</exception>
    public DistralGrid(int layout)
        : base(new Box(-1f, 1f, 3), new Discrete(4))
    {
        if (layout is < FirstLayout or > LastLayout)
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "DistralGrid: layout must be in [4, 8].");
        Layout = layout;
        (Start, Goal) = StartAndGoal(layout);
        Id = $"DistralGrid{layout}-v0";
    }

    /// <inheritdoc/>
    public override string Id { get; }

    /// <summary>The grid number (4 … 8).</summary>
    public int Layout { get; }

    /// <summary>The start cell (row, column).</summary>
    public (int Row, int Column) Start { get; }

    /// <summary>The goal cell (row, column).</summary>
    public (int Row, int Column) Goal { get; }

    /// <summary>The agent's cell (row, column).</summary>
    public (int Row, int Column) Agent => (_row, _col);

    /// <summary>Whether (row, column) is a wall; cells outside the grid count as walls.</summary>
    public bool IsWall(int row, int column) => !_map.Contains(column, row) || _map[column, row] == Wall;

    /// <summary>The start and goal of grid <paramref name="layout"/>, as (row, column).</summary>
    public static ((int Row, int Column) Start, (int Row, int Column) Goal) StartAndGoal(int layout) => layout switch
    {
        4 => ((1, 1), (7, 8)),
        5 => ((1, 1), (4, 7)),
        6 => ((1, 1), (4, 3)),
        7 => ((1, 1), (1, 8)),
        8 => ((7, 2), (1, 8)),
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "DistralGrid: layout must be in [4, 8]."),
    };

    /// <summary>The name of the task set of grids 4–8.</summary>
    public const string TaskSetName = "distral-grids-4-8";

    /// <summary>
    /// The task set "distral-grids-4-8": grids 4, 5, 6, 7 and 8 as tasks 0 … 4 (task ids "DistralGrid4-v0" …),
    /// sharing the 3-float observation and the 4 moves; each environment comes wrapped in a <c>TimeLimit</c> of
    /// <see cref="DistralGridOptions.MaxEpisodeSteps"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range.</exception>
    public static ITaskSet CreateTaskSet(DistralGridOptions? options = null)
    {
        options ??= DistralGridOptions.Default;
        options.Validate();
        var ids = Enumerable.Range(FirstLayout, LastLayout - FirstLayout + 1).Select(n => $"DistralGrid{n}-v0").ToArray();
        int maxSteps = options.MaxEpisodeSteps;
        return new TaskSet(TaskSetName, ids, task => new TimeLimit(new DistralGrid(FirstLayout + task), maxSteps));
    }

    /// <summary>Text picture: '#' wall, '.' floor, 'G' goal, 'A' agent.</summary>
    public string Render() => _map.Render((x, y) =>
        (y, x) == Agent ? 'A' : (y, x) == Goal ? 'G' : _map[x, y] == Wall ? '#' : '.');

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        (_row, _col) = Start;
        WriteObservation(observation, previousAction: -1, previousReward: 0);
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(int action, Span<float> observation)
    {
        var (x, y) = GridMap.Neighbour(_col, _row, ActionDirections[action]);
        double reward = StepReward;
        bool terminated = false;
        if (IsWall(y, x))
        {
            reward += WallPenalty;
        }
        else
        {
            (_row, _col) = (y, x);
            if (Agent == Goal)
            {
                reward += GoalReward;
                terminated = true;
            }
        }
        WriteObservation(observation, action, reward);
        return new Transition(reward, terminated);
    }

    private void WriteObservation(Span<float> observation, int previousAction, double previousReward)
    {
        observation[0] = 2f * (_row * Columns + _col) / (Rows * Columns - 1) - 1f;
        observation[1] = previousAction < 0 ? 0f : (previousAction - 1.5f) / 1.5f;
        observation[2] = (float)previousReward;
    }

    private static GridMap CreateMap()
    {
        var map = new GridMap(Columns, Rows);
        map.Fill(Wall);
        for (int row = 1; row <= 7; row++)
            foreach (int col in (ReadOnlySpan<int>)[1, 2, 7, 8])
                map[col, row] = Floor;
        for (int col = 3; col <= 6; col++) map[col, 4] = Floor;
        return map;
    }
}

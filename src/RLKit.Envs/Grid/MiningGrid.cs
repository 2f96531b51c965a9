using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Grid;

/// <summary>
/// The mining expedition grid of SAVO (seed 003 ch. 4, C.1): the agent walks from the top-left corner (0, 0) to the
/// goal in the bottom-right corner, clearing the mines in its way with the right pick-axes. Cells are (x, y), y down.
/// </summary>
/// <remarks>
/// <para><b>Actions</b> (<see cref="ActionSet"/> of 4 + K², all available): 0 … 3 navigate right, down, left, up —
/// the agent turns to that direction and steps forward unless the cell ahead is a mine or off the grid (then it only
/// turns). Action 4 + m·K + j is the pick-axe for mine type m: j = 0 breaks the mine, j = 1 … K − 1 turns it into
/// type (m + j) mod K. A pick-axe acts on the cell the agent faces; on any other cell it does nothing.</para>
/// <para><b>Representations</b> (4 floats in [0, 1]): category (0 navigation, 1 pick-axe); direction (d/3 for
/// navigation, 0 for pick-axes); applicable mine ((m + 1)/K, 0 for navigation); outcome (1 for break,
/// (o + 1)/(K + 1) for "becomes type o", 0 for navigation).</para>
/// <para><b>Reward</b> (eq. C.1, t = steps so far including this one): 10·(1 − 0.9·t/100) on reaching the goal,
/// which terminates; 0.1·(D_before − D_after) with D the Manhattan distance to the goal; +0.1 when a pick-axe is
/// applied to its mine type; +0.1 more when that breaks the mine. The 100-step end is truncation, applied by the
/// catalog's <c>TimeLimit</c>.</para>
/// <para><b>Observation</b> (8 + K floats in [0, 1]): x/(N − 1), y/(N − 1), facing/3; for right, down, left, up
/// 1 if that neighbour is empty or the goal, else 0; the front cell as K + 1 values: a one-hot of its mine type
/// in the first K, and the last 1 if it is the goal (all zero for empty floor or off the grid).</para>
/// <para><b>Reset</b>: start facing right; <see cref="MiningGridOptions.MineCount"/> mines of uniform type on
/// distinct uniform cells (not start or goal) from the env's random stream. Every mine type has a breaking
/// pick-axe, so every layout is solvable.</para>
/// </remarks>
public sealed class MiningGrid : EnvironmentBase
{
    /// <summary>R_Goal.</summary>
    public const double GoalReward = 10;

    /// <summary>λ_Goal.</summary>
    public const double GoalDecay = 0.9;

    /// <summary>N_max steps of the goal discount.</summary>
    public const int RewardHorizon = 100;

    /// <summary>R_Step, R_Tool and R_Bonus.</summary>
    public const double StepReward = 0.1, ToolReward = 0.1, BreakBonus = 0.1;

    /// <summary>Floats per action representation.</summary>
    public const int RepresentationSize = 4;

    /// <summary>The number of navigation actions (ids 0 … 3).</summary>
    public const int NavigationActions = 4;

    private const byte Empty = 0;
    private readonly MiningGridOptions _options;
    private readonly int _size, _types;
    private readonly GridMap _map;
    private readonly int[] _cellScratch;
    private int _x, _y, _steps;
    private GridDirection _facing;

    /// <summary>Creates the mining grid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range.</exception>
    public MiningGrid(MiningGridOptions? options = null)
        : this(Checked(options ?? MiningGridOptions.Default), validated: true)
    {
    }

    private MiningGrid(MiningGridOptions options, bool validated)
        : base(new Box(0f, 1f, 8 + options.MineTypes), CreateActionSet(options.MineTypes))
    {
        System.Diagnostics.Debug.Assert(validated);
        _options = options;
        _size = options.GridSize;
        _types = options.MineTypes;
        _map = new GridMap(_size, _size);
        _cellScratch = new int[_size * _size];
    }

    /// <inheritdoc/>
    public override string Id => "MiningGrid-v0";

    /// <summary>Navigation and pick-axes, with their representations.</summary>
    public ActionSet Tools => (ActionSet)ActionSpace;

    /// <summary>The grid's side length.</summary>
    public int GridSize => _size;

    /// <summary>The start cell (x, y).</summary>
    public (int X, int Y) Start => (0, 0);

    /// <summary>The goal cell (x, y).</summary>
    public (int X, int Y) Goal => (_size - 1, _size - 1);

    /// <summary>The agent's cell (x, y).</summary>
    public (int X, int Y) Agent => (_x, _y);

    /// <summary>The agent's facing: 0 right, 1 down, 2 left, 3 up.</summary>
    public int Facing => (int)_facing;

    /// <summary>The mine type at (x, y), or −1 if there is none.</summary>
    public int MineAt(int x, int y) => _map[x, y] - 1;

    /// <summary>
    /// Places a mine of <paramref name="mineType"/> at (x, y), or clears the cell with −1 — for tests and research
    /// code that need a known layout. Call after Reset.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If the cell is off the grid, the start, the goal or the agent's cell, or the type is not in [−1, K − 1].</exception>
    public void SetMine(int x, int y, int mineType)
    {
        if (!_map.Contains(x, y) || (x, y) == Start || (x, y) == Goal || (x, y) == Agent)
            throw new ArgumentOutOfRangeException(nameof(x), $"MiningGrid: ({x}, {y}) must be a grid cell other than the start, the goal and the agent's.");
        if (mineType < -1 || mineType >= _types)
            throw new ArgumentOutOfRangeException(nameof(mineType), mineType, $"MiningGrid: mineType must be in [-1, {_types - 1}].");
        _map[x, y] = (byte)(mineType + 1);
    }

    /// <summary>The pick-axe action for mine type <paramref name="mine"/> that breaks it (<paramref name="becomes"/> null) or turns it into type <paramref name="becomes"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If a type is out of range or <paramref name="becomes"/> equals <paramref name="mine"/>.</exception>
    public int ToolAction(int mine, int? becomes)
    {
        if ((uint)mine >= (uint)_types) throw new ArgumentOutOfRangeException(nameof(mine), mine, $"MiningGrid: mine must be in [0, {_types - 1}].");
        if (becomes is not { } o) return NavigationActions + mine * _types;
        if ((uint)o >= (uint)_types || o == mine)
            throw new ArgumentOutOfRangeException(nameof(becomes), o, $"MiningGrid: becomes must be another mine type in [0, {_types - 1}].");
        return NavigationActions + mine * _types + (o - mine + _types) % _types;
    }

    /// <summary>Text picture: '.' floor, '0'–'9'/'a'–'j' mine types, 'G' goal, arrow = agent.</summary>
    public string Render() => _map.Render((x, y) =>
        (x, y) == Agent ? GridMap.Arrow(_facing)
        : (x, y) == Goal ? 'G'
        : _map[x, y] == Empty ? '.'
        : "0123456789abcdefghij"[_map[x, y] - 1]);

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _map.Fill(Empty);
        var cells = _cellScratch.AsSpan();
        int start = 0, goal = cells.Length - 1, free = 0;
        for (int i = 0; i < cells.Length; i++)
            if (i != start && i != goal) cells[free++] = i;
        for (int k = 0; k < _options.MineCount; k++)
        {
            int j = k + Random.NextInt(free - k);
            (cells[k], cells[j]) = (cells[j], cells[k]);
            _map.Cells[cells[k]] = (byte)(1 + Random.NextInt(_types));
        }
        (_x, _y) = Start;
        _facing = GridDirection.Right;
        _steps = 0;
        WriteObservation(observation);
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(int action, Span<float> observation)
    {
        _steps++;
        int distanceBefore = DistanceToGoal();
        double reward = 0;
        if (action < NavigationActions)
        {
            _facing = (GridDirection)action;
            var (nx, ny) = GridMap.Neighbour(_x, _y, _facing);
            if (_map.Contains(nx, ny) && _map[nx, ny] == Empty) (_x, _y) = (nx, ny);
        }
        else
        {
            int tool = action - NavigationActions;
            int mine = tool / _types, j = tool % _types;
            var (fx, fy) = GridMap.Neighbour(_x, _y, _facing);
            if (_map.Contains(fx, fy) && _map[fx, fy] == mine + 1)
            {
                reward += ToolReward;
                if (j == 0)
                {
                    _map[fx, fy] = Empty;
                    reward += BreakBonus;
                }
                else
                {
                    _map[fx, fy] = (byte)(1 + (mine + j) % _types);
                }
            }
        }
        reward += StepReward * (distanceBefore - DistanceToGoal());
        bool terminated = Agent == Goal;
        if (terminated) reward += GoalReward * (1 - GoalDecay * _steps / RewardHorizon);
        WriteObservation(observation);
        return new Transition(reward, terminated);
    }

    private int DistanceToGoal() => Math.Abs(Goal.X - _x) + Math.Abs(Goal.Y - _y);

    private bool IsOpen(int x, int y) => _map.Contains(x, y) && _map[x, y] == Empty;

    private void WriteObservation(Span<float> observation)
    {
        observation.Clear();
        float scale = 1f / (_size - 1);
        observation[0] = _x * scale;
        observation[1] = _y * scale;
        observation[2] = (int)_facing / 3f;
        for (int d = 0; d < 4; d++)
        {
            var (nx, ny) = GridMap.Neighbour(_x, _y, (GridDirection)d);
            observation[3 + d] = IsOpen(nx, ny) ? 1f : 0f;
        }
        var (fx, fy) = GridMap.Neighbour(_x, _y, _facing);
        if (!_map.Contains(fx, fy)) return;
        if (_map[fx, fy] != Empty) observation[7 + _map[fx, fy] - 1] = 1f;
        else if ((fx, fy) == Goal) observation[7 + _types] = 1f;
    }

    private static MiningGridOptions Checked(MiningGridOptions options)
    {
        options.Validate();
        return options;
    }

    private static ActionSet CreateActionSet(int types)
    {
        int count = NavigationActions + types * types;
        var r = new float[count * RepresentationSize];
        for (int d = 0; d < NavigationActions; d++) r[d * RepresentationSize + 1] = d / 3f;
        for (int m = 0; m < types; m++)
        {
            for (int j = 0; j < types; j++)
            {
                int o = (NavigationActions + m * types + j) * RepresentationSize;
                r[o] = 1f;
                r[o + 2] = (m + 1f) / types;
                r[o + 3] = j == 0 ? 1f : ((m + j) % types + 1f) / (types + 1f);
            }
        }
        return new ActionSet(count, RepresentationSize, r);
    }
}

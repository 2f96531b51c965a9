using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Grid;

/// <summary>
/// The dig-lava grid of AGILE (seed 003 ch. 3, A.1): an 11 × 11 MiniGrid-style grid (outer ring of wall, 9 × 9
/// interior); start (1, 5) facing right, goal (9, 5); an orange lava column at x = 3 open at (3, 1) and a pink lava
/// column at x = 7 open at (7, 9). Cells are (x, y), y down.
/// </summary>
/// <remarks>
/// <para><b>Actions</b> (<see cref="ActionSet"/> of 9, ids = <see cref="DigLavaSkill"/>): the four moves (which
/// turn the agent to face their direction, then step) and turn-left are always available; each reset also offers 2
/// of {turn-right, move-forward, dig-orange, dig-pink}. Moving into the outer wall leaves the agent in place.</para>
/// <para><b>Lava</b>: a step into lava is allowed and the agent is then "in lava". The very next action decides:
/// the dig of the matching colour turns that cell into floor (the agent survives and earns
/// <see cref="DigLavaGridOptions.DigReward"/>); any other action terminates the episode with reward 0 ("stays in
/// lava for two consecutive timesteps", seed 003 A.1). A dig used outside lava does nothing.</para>
/// <para><b>Reward</b> at step t (1-based): goal 100·(1 − 0.99·t/50), terminating; subgoals, the first time the
/// agent stands right of each lava column (x ≥ 4, then x ≥ 8), 0.5·(1 − 0.9·t/50); +R_Exploration for each newly
/// visited cell, and the exploration reward collected since the previous subgoal (including this step's) is
/// subtracted on a subgoal or goal step; +R_Dig per successful dig.</para>
/// <para><b>Observation</b> (166 floats): the interior 9 × 9 cell ids (0 empty, 1 orange lava, 2 pink lava,
/// 3 goal, 4 lava gap = subgoal; dug lava becomes 0), then a 9 × 9 one-hot of the agent's cell, then a one-hot of
/// its facing (right, down, left, up). The paper's state has the two grids only; the facing is added because
/// turn-left, turn-right and move-forward depend on it.</para>
/// <para><b>Action representations</b> (11 floats): Table B.1 of seed 003 — dims 1–5 the category (dig-pink,
/// dig-orange, elemental, unused, movement), 6–7 the movement direction (±1 pairs), 8–9 always 0 (diagonals),
/// 10–11 the elemental skill (turn-left (−1, 1), turn-right (1, −1), forward (1, 1)).</para>
/// <para>50 steps end the episode by truncation through the catalog's <c>TimeLimit</c>.</para>
/// </remarks>
public sealed class DigLavaGrid : EnvironmentBase
{
    /// <summary>The grid's side length.</summary>
    public const int Size = 11;

    /// <summary>Floats per action representation.</summary>
    public const int RepresentationSize = 11;

    /// <summary>R_Goal.</summary>
    public const double GoalReward = 100;

    /// <summary>R_Subgoal.</summary>
    public const double SubgoalReward = 0.5;

    /// <summary>N_max steps of the reward discount.</summary>
    public const int RewardHorizon = 50;

    /// <summary>The orange and pink lava columns.</summary>
    public const int OrangeColumn = 3, PinkColumn = 7;

    /// <summary>Cell ids of the observation.</summary>
    public const byte EmptyId = 0, OrangeLavaId = 1, PinkLavaId = 2, GoalId = 3, GapId = 4;

    private const byte WallId = 5;
    private const int Interior = Size - 2;
    private static readonly DigLavaSkill[] Specials = [DigLavaSkill.TurnRight, DigLavaSkill.MoveForward, DigLavaSkill.DigOrange, DigLavaSkill.DigPink];

    private static readonly float[] RepresentationTable =
    [
        0, 0, 0, 0, 1, -1, -1, 0, 0, 0, 0,   // move-right
        0, 0, 0, 0, 1, -1, 1, 0, 0, 0, 0,    // move-down
        0, 0, 0, 0, 1, 1, -1, 0, 0, 0, 0,    // move-left
        0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0,     // move-up
        0, 0, 1, 0, 0, 0, 0, 0, 0, -1, 1,    // turn-left
        0, 0, 1, 0, 0, 0, 0, 0, 0, 1, -1,    // turn-right
        0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1,     // move-forward
        0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,     // dig-orange
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,     // dig-pink
    ];

    private readonly DigLavaGridOptions _options;
    private readonly ActionSet _actions;
    private readonly GridMap _map = new(Size, Size);
    private readonly bool[] _visited = new bool[Size * Size];
    private int _x, _y, _steps;
    private GridDirection _facing;
    private byte _inLava;
    private bool _orangeCrossed, _pinkCrossed;
    private double _explorationSinceSubgoal;

    /// <summary>Creates the dig-lava grid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range.</exception>
    public DigLavaGrid(DigLavaGridOptions? options = null)
        : this(options ?? DigLavaGridOptions.Default, new ActionSet(9, RepresentationSize, RepresentationTable))
    {
    }

    private DigLavaGrid(DigLavaGridOptions options, ActionSet actions)
        : base(new Box(0f, GapId, 2 * Interior * Interior + 4), actions)
    {
        options.Validate();
        _options = options;
        _actions = actions;
    }

    /// <inheritdoc/>
    public override string Id => "DigLavaGrid-v0";

    /// <summary>The skills, their representations and this episode's availability.</summary>
    public ActionSet Skills => _actions;

    /// <summary>The start cell (x, y).</summary>
    public static (int X, int Y) Start => (1, 5);

    /// <summary>The goal cell (x, y).</summary>
    public static (int X, int Y) Goal => (9, 5);

    /// <summary>The agent's cell (x, y).</summary>
    public (int X, int Y) Agent => (_x, _y);

    /// <summary>The agent's facing: 0 right, 1 down, 2 left, 3 up.</summary>
    public int Facing => (int)_facing;

    /// <summary>Whether the agent stands in lava and must dig it with the next action to survive.</summary>
    public bool InLava => _inLava != 0;

    /// <summary>Steps taken this episode.</summary>
    public int Steps => _steps;

    /// <summary>The observation id of cell (x, y) (walls, outside the observed interior, report 5).</summary>
    public int CellId(int x, int y) => _map.Contains(x, y) ? _map[x, y] : WallId;

    /// <summary>Text picture: '#' wall, 'O' orange lava, 'P' pink lava, 'o' gap, 'G' goal, arrow = agent.</summary>
    public string Render() => _map.Render((x, y) => x == _x && y == _y ? GridMap.Arrow(_facing) : _map[x, y] switch
    {
        WallId => '#',
        OrangeLavaId => 'O',
        PinkLavaId => 'P',
        GapId => 'o',
        GoalId => 'G',
        _ => '.',
    });

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _map.Fill(EmptyId);
        _map.DrawBorder(WallId);
        for (int y = 1; y <= Interior; y++)
        {
            _map[OrangeColumn, y] = y == 1 ? GapId : OrangeLavaId;
            _map[PinkColumn, y] = y == Interior ? GapId : PinkLavaId;
        }
        _map[Goal.X, Goal.Y] = GoalId;
        (_x, _y) = Start;
        _facing = GridDirection.Right;
        _steps = 0;
        _inLava = 0;
        _orangeCrossed = _pinkCrossed = false;
        _explorationSinceSubgoal = 0;
        Array.Clear(_visited);
        _visited[_y * Size + _x] = true;
        OfferSkills();
        WriteObservation(observation);
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(int action, Span<float> observation)
    {
        _steps++;
        var skill = (DigLavaSkill)action;
        double reward = 0;
        if (_inLava != 0)
        {
            bool saved = (skill == DigLavaSkill.DigOrange && _inLava == OrangeLavaId) || (skill == DigLavaSkill.DigPink && _inLava == PinkLavaId);
            if (!saved)
            {
                WriteObservation(observation);
                return new Transition(0, Terminated: true);
            }
            _map[_x, _y] = EmptyId;
            _inLava = 0;
            reward += _options.DigReward;
        }
        else
        {
            switch (skill)
            {
                case <= DigLavaSkill.MoveUp:
                    _facing = (GridDirection)action;
                    TryStep();
                    break;
                case DigLavaSkill.MoveForward:
                    TryStep();
                    break;
                case DigLavaSkill.TurnLeft:
                    _facing = GridDirections.TurnLeft(_facing);
                    break;
                case DigLavaSkill.TurnRight:
                    _facing = GridDirections.TurnRight(_facing);
                    break;
            }
        }

        int cell = _y * Size + _x;
        if (!_visited[cell])
        {
            _visited[cell] = true;
            reward += _options.ExplorationReward;
            _explorationSinceSubgoal += _options.ExplorationReward;
        }
        bool terminated = false;
        if (_inLava == 0)
        {
            if (!_orangeCrossed && _x > OrangeColumn) { _orangeCrossed = true; reward += SubgoalPayout(); }
            if (!_pinkCrossed && _x > PinkColumn) { _pinkCrossed = true; reward += SubgoalPayout(); }
            if ((_x, _y) == Goal)
            {
                reward += GoalReward * (1 - 0.99 * _steps / RewardHorizon) - _explorationSinceSubgoal;
                terminated = true;
            }
        }
        WriteObservation(observation);
        return new Transition(reward, terminated);
    }

    private double SubgoalPayout()
    {
        double payout = SubgoalReward * (1 - 0.9 * _steps / RewardHorizon) - _explorationSinceSubgoal;
        _explorationSinceSubgoal = 0;
        return payout;
    }

    private void TryStep()
    {
        var (nx, ny) = GridMap.Neighbour(_x, _y, _facing);
        byte cell = _map[nx, ny];
        if (cell == WallId) return;
        (_x, _y) = (nx, ny);
        if (cell is OrangeLavaId or PinkLavaId) _inLava = cell;
    }

    private void OfferSkills()
    {
        var available = _actions.Available;
        available.Clear();
        for (int i = 0; i <= (int)DigLavaSkill.TurnLeft; i++) available[i] = true;
        if (_options.SpecialSkills is { } fixedSkills)
        {
            foreach (var s in fixedSkills) available[(int)s] = true;
            return;
        }
        int first = Random.NextInt(Specials.Length);
        int second = (first + 1 + Random.NextInt(Specials.Length - 1)) % Specials.Length;
        available[(int)Specials[first]] = true;
        available[(int)Specials[second]] = true;
    }

    private void WriteObservation(Span<float> observation)
    {
        observation.Clear();
        const int cells = Interior * Interior;
        for (int y = 1; y <= Interior; y++)
            for (int x = 1; x <= Interior; x++)
                observation[(y - 1) * Interior + x - 1] = _map[x, y];
        observation[cells + (_y - 1) * Interior + _x - 1] = 1f;
        observation[2 * cells + (int)_facing] = 1f;
    }
}

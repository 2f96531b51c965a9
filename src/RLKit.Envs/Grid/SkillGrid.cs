using RLKit.Data;
using RLKit.Environments;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Envs.Grid;

/// <summary>
/// The skill grid of seed 003 ch. 2 (Jain et al. 2020, "Generalization to new actions"): a 9 × 9 MiniGrid-style
/// lava crossing (outer ring of wall, 7 × 7 interior), start (1, 1), goal (7, 7), one lava river (a full row or
/// column at index 3 … 5) with one gap. Every action is a five-move skill; there are 4⁵ = 1024 of them.
/// </summary>
/// <remarks>
/// <para><b>Actions</b> (<see cref="ActionSet"/> of 1024): skill id = Σᵢ mᵢ·4^(4−i) over its moves m₀ … m₄
/// (first move most significant), move codes 0 right, 1 down, 2 left, 3 up. A move into the outer wall leaves the
/// agent in place but still counts as a move. Representations (20 floats per skill) are the flattened 5 × 4
/// one-hot move sequence, the "engineered" representation of the paper; an HVAE may overwrite them through
/// <see cref="ActionSet.Representations"/>. Each reset marks <see cref="SkillGridOptions.ActionsPerEpisode"/>
/// skills of the chosen split as available; stepping any other skill throws.</para>
/// <para><b>Rules</b>: the skill's moves run one by one. Entering lava terminates the episode and the skill pays 0
/// (including any subgoal bonus earned earlier in the same skill). Standing on the gap for the first time pays
/// +0.1 (once per episode). Entering the goal pays 1 − 0.9·n/50, n = moves made in the episode including that
/// one, and terminates; the rest of the skill is not executed. Ten skills (50 moves) end the episode by
/// truncation through the catalog's <c>TimeLimit</c>.</para>
/// <para><b>Observation</b> (81 floats): the flattened 9 × 9 grid of cell ids, 0 empty, 1 wall, 2 agent,
/// 3 goal, 4 lava, 5 subgoal (gap), as in seed 003 A.1.</para>
/// <para><b>Reset</b>: unless <see cref="SkillGridOptions.Lava"/> fixes it, the river's orientation, index
/// (3 … 5) and gap (1 … 7) are drawn uniformly from the env's random stream, then the episode's skills.</para>
/// </remarks>
public sealed class SkillGrid : EnvironmentBase
{
    /// <summary>The grid's side length.</summary>
    public const int Size = 9;

    /// <summary>Moves per skill.</summary>
    public const int SkillLength = 5;

    /// <summary>The number of skills (4⁵).</summary>
    public const int SkillCount = 1024;

    /// <summary>Floats per skill representation (5 moves × 4 one-hot directions).</summary>
    public const int RepresentationSize = SkillLength * 4;

    /// <summary>The move budget that scales the goal reward (N_max of eq. A.1).</summary>
    public const int MaxMoves = 50;

    /// <summary>The one-time subgoal bonus (λ_Subgoal).</summary>
    public const double SubgoalReward = 0.1;

    /// <summary>Cell ids of the observation.</summary>
    public const byte EmptyId = 0, WallId = 1, AgentId = 2, GoalId = 3, LavaId = 4, SubgoalId = 5;

    /// <summary>How many all-skill observation sets <see cref="ActionObservations(int, ulong, int)"/> keeps (least recently used dropped first).</summary>
    public const int ObservationCacheCapacity = 4;

    /// <summary>The cached all-skill observation sets, most recently used last.</summary>
    private static readonly List<((int Trajectories, ulong Seed, int GridSize) Key, ActionObservationSet Set)> ObservationCache = [];

    private readonly SkillGridOptions _options;
    private readonly ActionSet _actions;
    private readonly GridMap _map = new(Size, Size);
    private readonly int[] _train, _validation, _test;
    private readonly int[] _drawScratch;
    private int _x, _y, _moves;
    private bool _subgoalReached;

    /// <summary>Creates the skill grid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range.</exception>
    public SkillGrid(SkillGridOptions? options = null)
        : this(options ?? SkillGridOptions.Default, CreateActionSet())
    {
    }

    private SkillGrid(SkillGridOptions options, ActionSet actions)
        : base(new Box(0f, SubgoalId, Size * Size), actions)
    {
        options.Validate();
        _options = options;
        _actions = actions;
        (_train, _validation, _test) = SplitSkills(options.SplitSeed);
        _drawScratch = new int[SkillCount];
    }

    /// <inheritdoc/>
    public override string Id => "SkillGrid-v0";

    /// <summary>The options this grid was made with.</summary>
    public SkillGridOptions Options => _options;

    /// <summary>The skills, with their representations and this episode's availability.</summary>
    public ActionSet Skills => _actions;

    /// <summary>The training skills (512), fixed by <see cref="SkillGridOptions.SplitSeed"/>.</summary>
    public IReadOnlyList<int> TrainSkills => _train;

    /// <summary>The validation skills (256).</summary>
    public IReadOnlyList<int> ValidationSkills => _validation;

    /// <summary>The test skills (256).</summary>
    public IReadOnlyList<int> TestSkills => _test;

    /// <summary>The agent's cell (x, y).</summary>
    public (int X, int Y) Agent => (_x, _y);

    /// <summary>The start cell (x, y).</summary>
    public static (int X, int Y) Start => (1, 1);

    /// <summary>The goal cell (x, y).</summary>
    public static (int X, int Y) Goal => (7, 7);

    /// <summary>This episode's lava river.</summary>
    public SkillGridLava Lava { get; private set; }

    /// <summary>Moves made in this episode.</summary>
    public int Moves => _moves;

    /// <summary>The five moves of <paramref name="skill"/> (0 right, 1 down, 2 left, 3 up), written to <paramref name="moves"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the skill id is not in [0, 1023].</exception>
    public static void DecodeSkill(int skill, Span<int> moves)
    {
        if ((uint)skill >= SkillCount) throw new ArgumentOutOfRangeException(nameof(skill), skill, "SkillGrid: skill must be in [0, 1023].");
        if (moves.Length < SkillLength) throw new ArgumentException("SkillGrid: moves needs room for 5 moves.", nameof(moves));
        for (int i = SkillLength - 1; i >= 0; i--, skill >>= 2) moves[i] = skill & 3;
    }

    /// <summary>The skill made of <paramref name="moves"/> (five codes 0 right, 1 down, 2 left, 3 up).</summary>
    /// <exception cref="ArgumentException">If there are not exactly five moves in [0, 3].</exception>
    public static int EncodeSkill(ReadOnlySpan<int> moves)
    {
        if (moves.Length != SkillLength) throw new ArgumentException("SkillGrid: a skill has exactly 5 moves.", nameof(moves));
        int skill = 0;
        foreach (int m in moves)
        {
            if ((uint)m > 3) throw new ArgumentException($"SkillGrid: move code {m} is not in [0, 3].", nameof(moves));
            skill = skill * 4 + m;
        }
        return skill;
    }

    /// <summary>
    /// The fixed 2:1:1 split of the 1024 skills: <see cref="ActionSplit.Random"/>(1024, <paramref name="seed"/>), a
    /// Fisher–Yates shuffle with a generator seeded by <paramref name="seed"/>; the first 512 are training, the next
    /// 256 validation, the last 256 test (each sorted).
    /// </summary>
    public static (int[] Train, int[] Validation, int[] Test) SplitSkills(ulong seed) => ActionSplit.Random(SkillCount, seed);

    /// <summary>
    /// The net move (dx, dy) of <paramref name="skill"/> on an empty unbounded grid (x grows to the right, y
    /// downwards): the property Fig. A.4 of seed 003 colours skills by (the quadrant the skill takes the agent to).
    /// Each coordinate lies in [−5, 5].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If the skill id is not in [0, 1023].</exception>
    public static (int Dx, int Dy) Displacement(int skill)
    {
        Span<int> moves = stackalloc int[SkillLength];
        DecodeSkill(skill, moves);
        int dx = 0, dy = 0;
        foreach (int m in moves)
        {
            dx += GridDirections.Dx((GridDirection)m);
            dy += GridDirections.Dy((GridDirection)m);
        }
        return (dx, dy);
    }

    /// <summary>
    /// Action observations for the HVAE (seed 003 A.1): for each skill in <paramref name="skills"/> (action i of the
    /// set is <paramref name="skills"/>[i]), <paramref name="trajectoriesPerSkill"/> executions on an empty
    /// <paramref name="gridSize"/> × <paramref name="gridSize"/> grid (default 80, as in the paper) from uniformly
    /// random starts; a move off the grid leaves the agent in place. Each observation has
    /// <see cref="ActionObservationSet.Steps"/> = 6 frames of <see cref="ActionObservationSet.Features"/> = 2: the
    /// start and the position after each of the 5 moves, as (x, y) / (gridSize − 1) in [0, 1].
    /// </summary>
    /// <remarks>One random stream seeded by <paramref name="seed"/> draws every start, skill after skill in the given
    /// order, so a skill's observations depend on the skills before it in the list.</remarks>
    /// <exception cref="ArgumentException">If <paramref name="skills"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a skill id, the trajectory count (≥ 1) or the grid size (≥ 2) is out of range.</exception>
    public static ActionObservationSet ActionObservations(ReadOnlySpan<int> skills, int trajectoriesPerSkill, ulong seed, int gridSize = 80)
    {
        if (skills.IsEmpty) throw new ArgumentException("SkillGrid.ActionObservations: skills is empty; name at least one skill in [0, 1023].", nameof(skills));
        ArgumentOutOfRangeException.ThrowIfLessThan(trajectoriesPerSkill, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gridSize, 2);
        const int steps = SkillLength + 1;
        var data = new float[checked(skills.Length * trajectoriesPerSkill * steps * 2)];
        var rng = new RandomGenerator(seed);
        Span<int> moves = stackalloc int[SkillLength];
        float scale = 1f / (gridSize - 1);
        int o = 0;
        foreach (int skill in skills)
        {
            DecodeSkill(skill, moves);
            for (int k = 0; k < trajectoriesPerSkill; k++)
            {
                int x = rng.NextInt(gridSize), y = rng.NextInt(gridSize);
                data[o++] = x * scale; data[o++] = y * scale;
                foreach (int m in moves)
                {
                    var (nx, ny) = GridMap.Neighbour(x, y, (GridDirection)m);
                    if ((uint)nx < (uint)gridSize && (uint)ny < (uint)gridSize) (x, y) = (nx, ny);
                    data[o++] = x * scale; data[o++] = y * scale;
                }
            }
        }
        var counts = new int[skills.Length];
        Array.Fill(counts, trajectoriesPerSkill);
        return new ActionObservationSet(counts, steps, 2, data);
    }

    /// <summary>
    /// Action observations for all 1024 skills (action i = skill i), as <see cref="ActionObservations(ReadOnlySpan{int}, int, ulong, int)"/>
    /// with the skills in id order. The result is cached in memory by (trajectoriesPerSkill, seed, gridSize), the
    /// last <see cref="ObservationCacheCapacity"/> arguments used, so every run of an experiment shares one copy;
    /// the set is immutable, so sharing it is safe.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If the trajectory count (≥ 1) or the grid size (≥ 2) is out of range.</exception>
    public static ActionObservationSet ActionObservations(int trajectoriesPerSkill, ulong seed, int gridSize = 80)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trajectoriesPerSkill, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gridSize, 2);
        var key = (trajectoriesPerSkill, seed, gridSize);
        lock (ObservationCache)
        {
            int hit = ObservationCache.FindIndex(e => e.Key == key);
            if (hit >= 0)
            {
                var entry = ObservationCache[hit];
                ObservationCache.RemoveAt(hit);
                ObservationCache.Add(entry);
                return entry.Set;
            }
        }
        // Computed outside the lock, so a slow miss does not hold up hits; two threads missing the same key at once
        // compute equal sets and the second finds the first's entry.
        var all = new int[SkillCount];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        var set = ActionObservations(all, trajectoriesPerSkill, seed, gridSize);
        lock (ObservationCache)
        {
            int hit = ObservationCache.FindIndex(e => e.Key == key);
            if (hit >= 0) return ObservationCache[hit].Set;
            if (ObservationCache.Count == ObservationCacheCapacity) ObservationCache.RemoveAt(0);
            ObservationCache.Add((key, set));
            return set;
        }
    }

    /// <summary>Text picture: '#' wall, '~' lava, 'o' gap (subgoal), 'G' goal, 'A' agent.</summary>
    public string Render() => _map.Render((x, y) => x == _x && y == _y ? 'A' : _map[x, y] switch
    {
        WallId => '#',
        LavaId => '~',
        SubgoalId => 'o',
        GoalId => 'G',
        _ => '.',
    });

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        Lava = _options.Lava ?? new SkillGridLava(Random.NextInt(2) == 0, Random.NextInt(3, 6), Random.NextInt(1, 8));
        _map.Fill(EmptyId);
        _map.DrawBorder(WallId);
        for (int i = 1; i < Size - 1; i++)
        {
            var (x, y) = Lava.Horizontal ? (i, Lava.Index) : (Lava.Index, i);
            _map[x, y] = i == Lava.Gap ? SubgoalId : LavaId;
        }
        _map[Goal.X, Goal.Y] = GoalId;
        (_x, _y) = Start;
        _moves = 0;
        _subgoalReached = false;
        OfferSkills();
        WriteObservation(observation);
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(int action, Span<float> observation)
    {
        double reward = 0;
        bool terminated = false;
        for (int i = SkillLength - 1; i >= 0 && !terminated; i--)
        {
            var direction = (GridDirection)((action >> (2 * i)) & 3);
            var (nx, ny) = GridMap.Neighbour(_x, _y, direction);
            _moves++;
            byte cell = _map[nx, ny];
            if (cell == WallId) continue;
            (_x, _y) = (nx, ny);
            if (cell == LavaId)
            {
                reward = 0;
                terminated = true;
            }
            else if (cell == SubgoalId && !_subgoalReached)
            {
                _subgoalReached = true;
                reward += SubgoalReward;
            }
            else if (cell == GoalId)
            {
                reward += 1.0 - 0.9 * _moves / MaxMoves;
                terminated = true;
            }
        }
        WriteObservation(observation);
        return new Transition(reward, terminated);
    }

    private void OfferSkills()
    {
        int[] split = _options.Split switch
        {
            SkillSplit.Train => _train,
            SkillSplit.Validation => _validation,
            _ => _test,
        };
        var available = _actions.Available;
        available.Clear();
        int m = Math.Min(_options.ActionsPerEpisode, split.Length);
        var pool = _drawScratch.AsSpan(0, split.Length);
        split.CopyTo(pool);
        for (int i = 0; i < m; i++)
        {
            int j = i + Random.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            available[pool[i]] = true;
        }
    }

    private void WriteObservation(Span<float> observation)
    {
        var cells = _map.Cells;
        for (int i = 0; i < cells.Length; i++) observation[i] = cells[i];
        observation[_y * Size + _x] = AgentId;
    }

    private static ActionSet CreateActionSet()
    {
        var representations = new float[SkillCount * RepresentationSize];
        Span<int> moves = stackalloc int[SkillLength];
        for (int skill = 0; skill < SkillCount; skill++)
        {
            DecodeSkill(skill, moves);
            for (int i = 0; i < SkillLength; i++)
                representations[skill * RepresentationSize + i * 4 + moves[i]] = 1f;
        }
        return new ActionSet(SkillCount, RepresentationSize, representations);
    }
}

using RLKit.Data;
using RLKit.Environments;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Envs.Recommender;
using RLKit.Spaces;

namespace RLKit.Experiments;

/// <summary>
/// One of seed 003 ch. 2's environments that RLKit has (CREATE and Shape Stacking need a physics engine): the action
/// universe and its fixed 2:1:1 train/validation/test split, the action observations, the per-episode action-set
/// size m, the entropy coefficient, the known action property the projection plot colours by, and whether an episode
/// reports success.
/// </summary>
/// <param name="Name">The command-line name.</param>
/// <param name="Id">The catalog id (time limit included).</param>
/// <param name="Title">For tables and charts.</param>
/// <param name="Description">For the report's header.</param>
/// <param name="ActionCount">The size of the action universe.</param>
/// <param name="SplitSeed">The seed of the fixed split (the same for every run seed, as the paper's fixed split).</param>
/// <param name="ActionsPerEpisode">m: actions offered per episode (Table A.3's "actions per episode").</param>
/// <param name="EntropyCoefficient">Table A.3's entropy coefficient.</param>
/// <param name="RepresentationSize">The width of the ActionSet's representations, which inferred representations must match.</param>
/// <param name="HasSuccess">Whether episodes succeed or fail (skill grid: the goal reached); else the score is the mean return.</param>
/// <param name="PropertyName">The action property the projection plot colours by.</param>
internal sealed record NewActionsEnvironment(string Name, string Id, string Title, string Description, int ActionCount, ulong SplitSeed,
                                             int ActionsPerEpisode, float EntropyCoefficient, int RepresentationSize, bool HasSuccess,
                                             string PropertyName)
{
    /// <summary>The catalog options of every copy (null: the environment's defaults).</summary>
    public object? Options { get; init; }

    /// <summary>What differs from the paper's environment, or null; recorded with every run.</summary>
    public string? Deviation { get; init; }

    /// <summary>
    /// The skill grid (A.1): 1024 five-move skills, 2:1:1 split by the grid's own split seed (2020), m = 50,
    /// entropy 0.05. The HVAE representation is 20 wide (the grid's ActionSet width) instead of the paper's 16.
    /// </summary>
    public static NewActionsEnvironment SkillGrid { get; } = new("skillgrid", "SkillGrid-v0", "Skill grid",
        "skill grid (9×9, lava river with one gap, 1024 five-move skills split 512/256/256, 10 skills per episode)",
        Envs.Grid.SkillGrid.SkillCount, SkillGridOptions.Default.SplitSeed, 50, 0.05f, Envs.Grid.SkillGrid.RepresentationSize,
        HasSuccess: true, "dominant direction of the skill's net displacement");

    /// <summary>
    /// The single-item recommender (A.2 in spirit; RLKit's RecSim-SingleItem): 10,000 items with given
    /// representations (the environment specifies them, so only the policy is evaluated), 2:1:1 split, m = 500, entropy 0.01.
    /// </summary>
    public static NewActionsEnvironment RecSim { get; } = new("recsim", "RecSim-SingleItem-v0", "Recommender (RecSim single item)",
        "single-item recommender (10,000 items of 10 categories with 30-d given representations, split 5000/2500/2500, 20 recommendations per episode, reward 1 per click)",
        new RecSimSingleItemOptions().ItemCount, 2020, 500, 0.01f, new RecSimSingleItemOptions().RepresentationSize,
        HasSuccess: false, "item category");

    public static IReadOnlyList<NewActionsEnvironment> All { get; } = [SkillGrid, RecSim];

    /// <summary>
    /// The skill grid with one fixed lava river (row 5, gap at column 7, as the utility policy's learning test) instead
    /// of one drawn per episode: a deviation that makes the task learnable in far fewer steps (about 50,000 with the
    /// hand-engineered representations, against more than 300,000 with random rivers).
    /// Declared after <see cref="SkillGrid"/>, which it copies (static initialisers run in order).
    /// </summary>
    public static NewActionsEnvironment SkillGridFixedLava { get; } = SkillGrid with
    {
        Options = new SkillGridOptions { Lava = new SkillGridLava(Horizontal: true, Index: 5, Gap: 7) },
        Deviation = "fixed lava river (row 5, gap at column 7) instead of one drawn per episode",
    };

    public static NewActionsEnvironment? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    /// <summary>Whether this is the skill grid (with or without a deviation).</summary>
    public bool IsSkillGrid => Name == SkillGrid.Name;

    /// <summary>What an episode's score is: the success rate on the skill grid, the mean return (clicks) on the recommender.</summary>
    public string ScoreName => HasSuccess ? "success rate" : "mean return (clicks per episode)";

    /// <summary>The fixed 2:1:1 split.</summary>
    public (int[] Train, int[] Validation, int[] Test) Split() => ActionSplit.Random(ActionCount, SplitSeed);

    /// <summary>A fresh copy from the standard catalog (time limit included); its ActionSet is its own.</summary>
    public Func<IEnvironment> Factory()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        var options = Options;
        return () => catalog.Make(Id, options);
    }

    /// <summary>
    /// The observations an encoder learns from: skill grid, <paramref name="trajectoriesPerSkill"/> trajectories per
    /// skill on an empty 80 × 80 grid ("hvae", "vae") or the skill's one-hot move sequence ("given", the hand-engineered
    /// representation); recommender, the item features (every encoder: the representations are given).
    /// </summary>
    public ActionObservationSet Observations(string encoder, int trajectoriesPerSkill, ulong seed)
    {
        if (IsSkillGrid)
        {
            if (encoder != "given") return RelativeToStart(Envs.Grid.SkillGrid.ActionObservations(trajectoriesPerSkill, seed), GridSize - 1);
            using var grid = Factory()();
            var set = (ActionSet)grid.ActionSpace;
            return ActionObservationSet.FromVectors(set.Representations, set.RepresentationSize);
        }
        using var env = Factory()();
        var catalog = ((RecSimSingleItem)Unwrap(env)).Catalog;
        return catalog.Features();
    }

    /// <summary>Side of the empty grid the skill trajectories are recorded on (the thesis's 80).</summary>
    private const int GridSize = 80;

    /// <summary>
    /// The trajectories as the encoders read them: the first frame stays the start (x, y)/79, and every later frame
    /// becomes its offset from the start in grid cells, (x_t − x_0)·79. The grid's own observations are positions
    /// scaled to [0, 1], where one move is 0.0127: after 100 HVAE epochs on those, a skill's nearest neighbour by
    /// representation had the skill's net displacement 9% of the time (5% by chance) and the utility policy did not
    /// learn in 122,880 steps. A move of one unit makes the skill's behaviour as large as the input's other variation.
    /// </summary>
    private static ActionObservationSet RelativeToStart(ActionObservationSet observations, int cells)
    {
        var data = observations.Data.ToArray();
        int steps = observations.Steps, features = observations.Features;
        for (int o = 0; o < observations.TotalObservations; o++)
        {
            int start = o * steps * features;
            for (int t = steps - 1; t >= 1; t--)
                for (int f = 0; f < features; f++)
                    data[start + t * features + f] = (data[start + t * features + f] - data[start + f]) * cells;
        }
        var counts = Enumerable.Range(0, observations.ActionCount).Select(observations.ObservationCount).ToArray();
        return new ActionObservationSet(counts, steps, features, data);
    }

    /// <summary>The property of every action the projection plot colours by, and the class names.</summary>
    public (int[] Classes, string[] Names) Property()
    {
        if (IsSkillGrid)
        {
            var classes = new int[ActionCount];
            for (int skill = 0; skill < ActionCount; skill++)
            {
                var (dx, dy) = Envs.Grid.SkillGrid.Displacement(skill);
                // Five unit moves: |dx| + |dy| is odd, so |dx| ≠ |dy| and the dominant direction is never a tie.
                classes[skill] = Math.Abs(dx) > Math.Abs(dy) ? (dx > 0 ? 0 : 2) : (dy > 0 ? 1 : 3);
            }
            return (classes, ["right", "down", "left", "up"]);
        }
        using var env = Factory()();
        var catalog = ((RecSimSingleItem)Unwrap(env)).Catalog;
        return (Enumerable.Range(0, ActionCount).Select(catalog.Category).ToArray(),
                Enumerable.Range(0, catalog.CategoryCount).Select(c => $"category {c}").ToArray());
    }

    /// <summary>The environment below any wrappers.</summary>
    public static IEnvironment Unwrap(IEnvironment environment) => environment is Environments.Wrappers.Wrapper wrapper ? wrapper.Unwrapped : environment;
}

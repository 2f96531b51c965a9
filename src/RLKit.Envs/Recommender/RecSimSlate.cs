using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Recommender;

/// <summary>
/// RecSim-style list-wise recommendation with the CPR boost (seed 003's AGILE chapter, §3.5.3 and App. A.3): each
/// episode offers a new user and a new candidate set of 20 items; each step the agent recommends a slate of 6
/// distinct candidates, and the user clicks one of them or none.
/// </summary>
/// <remarks>
/// <para><b>Catalogue.</b> 500 items (250 train / 250 test, a fixed seeded split), 10 categories × 2 sub-categories,
/// representations from a seeded Gaussian mixture (<see cref="ItemCatalog"/>).</para>
/// <para><b>Candidates.</b> On Reset, "most common category" sampling from the episode's split: a category drawn
/// uniformly gives ⌊fraction · 20 + ½⌋ candidates (10 by default; fewer if it has fewer items), the rest are drawn
/// uniformly from the split's other categories, and the 20 are shuffled. <see cref="Candidates"/> lists their item
/// ids; <see cref="CandidateSet"/> is an <see cref="ActionSet"/> over the whole catalogue (id = item index,
/// representation = item vector) whose <see cref="ActionSet.Available"/> mask marks exactly this episode's
/// candidates, so AGILE / cascaded-DQN agents score the available items by representation.</para>
/// <para><b>Action.</b> <see cref="ActionList"/>(<see cref="CandidateSet"/>, k): k distinct item ids, each one of this
/// episode's candidates, in slate order (position 0 first). A vector environment's action masks are the candidates.
/// A list of the wrong length throws <see cref="ArgumentException"/>; an id that is not a candidate, or one repeated,
/// throws <see cref="ArgumentOutOfRangeException"/> naming it (<see cref="EnvironmentBase"/>'s validation).</para>
/// <para><b>Click model.</b> Every slate item j scores s_j = 0.3·⟨u, e_j⟩ + 5.0·CPR(slate) (CPR by
/// <see cref="SlateMetrics.Cpr"/>); the user picks item j or no click from the softmax over (s_1 … s_k, 4.0), the
/// last being the no-click mass. Reward 1 for a click on the slate, 0 for none (the click reward of seed 003 A.3;
/// the CPR acts only through the click probability).</para>
/// <para><b>User and observation.</b> A new user per episode with u ~ U(−1, 1)^D, D = 10; the observation is u
/// (Box(−1, 1, [D])). After a click on item e the user drifts by Δ = y(1 − |u|) ⊙ e, towards e with probability
/// (1 + u·e)/2 and away otherwise (RecSim's interest evolution); without a click the user does not change.</para>
/// <para><b>Episode.</b> The environment never ends an episode itself; the catalog id "RecSim-Slate-v0" wraps it in a
/// 15-step <see cref="RLKit.Environments.Wrappers.TimeLimit"/>. Step allocates nothing.</para>
/// </remarks>
public sealed class RecSimSlate : EnvironmentBase
{
    private readonly UserPreference _user;
    private readonly int[] _candidates;
    private readonly int[][][] _itemsByCategory; // [split][category] → item ids
    private readonly int[] _pool;
    private readonly int[] _slateCategories;
    private readonly int[] _slateSubCategories;
    private readonly float[] _scores;
    private readonly float[] _probabilities;

    /// <summary>Creates the environment (the defaults of <see cref="RecSimSlateOptions"/> when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of its documented range.</exception>
    public RecSimSlate(RecSimSlateOptions? options = null) : this(Validated(options)) { }

    private RecSimSlate((RecSimSlateOptions Options, ItemCatalog Catalog) setup)
        : base(new Box(-1f, 1f, setup.Options.RepresentationSize), new ActionList(setup.Catalog.Actions, setup.Options.SlateSize))
    {
        Options = setup.Options;
        Catalog = setup.Catalog;
        _user = new UserPreference(Options.RepresentationSize, Options.PreferenceUpdateRate);
        _candidates = new int[Options.CandidateCount];
        _itemsByCategory = [GroupByCategory(ItemSplit.Train), GroupByCategory(ItemSplit.Test)];
        _pool = new int[Math.Max(Catalog.ItemsIn(ItemSplit.Train).Length, Catalog.ItemsIn(ItemSplit.Test).Length)];
        _slateCategories = new int[Options.SlateSize];
        _slateSubCategories = new int[Options.SlateSize];
        _scores = new float[Options.SlateSize];
        _probabilities = new float[Options.SlateSize + 1];
        Catalog.Actions.Available.Clear();
        CurrentSplit = Options.Split;
    }

    /// <inheritdoc/>
    public override string Id => "RecSim-Slate-v0";

    /// <summary>The options this environment was created with.</summary>
    public RecSimSlateOptions Options { get; }

    /// <summary>The item catalogue (categories, sub-categories, representations, split).</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>
    /// The catalogue as an action set (id = item index, representation = item vector) with exactly this episode's
    /// candidates available.
    /// </summary>
    public ActionSet CandidateSet => Catalog.Actions;

    /// <summary>
    /// This episode's candidate item ids, in the order they were drawn (shuffled): exactly the items
    /// <see cref="CandidateSet"/> marks available, so exactly the ids a slate may hold.
    /// </summary>
    public ReadOnlySpan<int> Candidates => _candidates;

    /// <summary>The split the current episode's candidates come from.</summary>
    public ItemSplit CurrentSplit { get; private set; }

    /// <summary>The category the current episode's candidate sampling favoured.</summary>
    public int CommonCategory { get; private set; } = -1;

    /// <summary>The user's current preference vector.</summary>
    public ReadOnlySpan<float> UserPreference => _user.Vector;

    /// <summary>The CPR of the last recommended slate (NaN before the first step).</summary>
    public double LastCpr { get; private set; } = double.NaN;

    /// <summary>The slate position the user clicked on the last step, or −1 for no click (or before the first step).</summary>
    public int LastClickedPosition { get; private set; } = -1;

    /// <summary>The last step's choice probabilities: one per slate position, then no-click; they sum to 1.</summary>
    public ReadOnlySpan<float> LastChoiceProbabilities => _probabilities;

    /// <summary>The CPR of a slate of item ids (as a slate action would give them).</summary>
    /// <exception cref="InvalidOperationException">Before the first Reset.</exception>
    /// <exception cref="ArgumentException">
    /// If the slate is not <see cref="RecSimSlateOptions.SlateSize"/> ids; an <see cref="ArgumentOutOfRangeException"/>
    /// if an id is not one of this episode's <see cref="Candidates"/> or is repeated.
    /// </exception>
    public double SlateCpr(ReadOnlySpan<int> slate)
    {
        if (CommonCategory < 0) throw new InvalidOperationException($"{Id}: call Reset before asking for a slate's CPR; candidates are drawn per episode.");
        var list = (ActionList)ActionSpace;
        if (slate.Length != list.Length)
            throw new ArgumentException($"{Id}: a slate holds {list.Length} item ids, got {slate.Length} ([{string.Join(", ", slate.ToArray())}]).", nameof(slate));
        for (int i = 0; i < slate.Length; i++)
        {
            if (!list.Items.Contains(slate[i]))
                throw new ArgumentOutOfRangeException(nameof(slate),
                    $"{Id}: slate [{string.Join(", ", slate.ToArray())}]: item {slate[i]} at position {i} is not one of this episode's {_candidates.Length} candidates.");
            int first = slate[..i].IndexOf(slate[i]);
            if (first >= 0)
                throw new ArgumentOutOfRangeException(nameof(slate),
                    $"{Id}: slate [{string.Join(", ", slate.ToArray())}] recommends item {slate[i]} at positions {first} and {i}; a slate needs {slate.Length} distinct items.");
        }
        return CprOf(slate);
    }

    private static (RecSimSlateOptions, ItemCatalog) Validated(RecSimSlateOptions? options)
    {
        options ??= new RecSimSlateOptions();
        options.Validate();
        return (options, new ItemCatalog(options.ItemCount, options.CategoryCount, options.SubCategoriesPerCategory, options.RepresentationSize, options.CatalogSeed));
    }

    private int[][] GroupByCategory(ItemSplit split)
    {
        var items = Catalog.ItemsIn(split);
        var groups = new List<int>[Catalog.CategoryCount];
        for (int c = 0; c < groups.Length; c++) groups[c] = [];
        foreach (int item in items) groups[Catalog.Category(item)].Add(item);
        return groups.Select(g => g.ToArray()).ToArray();
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        CurrentSplit = ItemSplitResetOption.Read(options, Options.Split, Id);
        SampleCandidates(_itemsByCategory[(int)CurrentSplit]);
        var available = Catalog.Actions.Available;
        available.Clear();
        foreach (int item in _candidates) available[item] = true;
        _user.Resample(Random);
        _user.WriteTo(observation);
        LastCpr = double.NaN;
        LastClickedPosition = -1;
        Array.Clear(_probabilities);
        return null;
    }

    private void SampleCandidates(int[][] byCategory)
    {
        var rng = Random;
        int nonEmpty = 0;
        foreach (var group in byCategory) if (group.Length > 0) nonEmpty++;
        int pick = rng.NextInt(nonEmpty);
        int common = 0;
        while (byCategory[common].Length == 0 || pick-- > 0) common++;
        CommonCategory = common;

        int total = _candidates.Length;
        var commonItems = byCategory[common];
        int fromCommon = Math.Min(commonItems.Length, (int)Math.Floor(Options.CommonCategoryFraction * total + 0.5));

        // Pool layout: [common items | other items]; partial Fisher–Yates draws without replacement from each part.
        commonItems.CopyTo(_pool, 0);
        int othersCount = 0;
        for (int c = 0; c < byCategory.Length; c++)
            if (c != common)
            {
                byCategory[c].CopyTo(_pool, commonItems.Length + othersCount);
                othersCount += byCategory[c].Length;
            }
        var commonPool = _pool.AsSpan(0, commonItems.Length);
        var otherPool = _pool.AsSpan(commonItems.Length, othersCount);
        int filled = Draw(rng, commonPool, fromCommon, 0);
        int fromOthers = Math.Min(othersCount, total - filled);
        filled += Draw(rng, otherPool, fromOthers, filled);
        // A split too small outside the common category tops up from the common category's remaining items.
        if (filled < total) filled += Draw(rng, commonPool[fromCommon..], total - filled, filled);
        rng.Shuffle(_candidates.AsSpan());
    }

    private int Draw(Tensors.RandomGenerator rng, Span<int> pool, int count, int destination)
    {
        for (int i = 0; i < count; i++)
        {
            int j = i + rng.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            _candidates[destination + i] = pool[i];
        }
        return count;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        // EnvironmentBase has checked that the action is SlateSize distinct candidates (ActionList.Contains).
        double cpr = CprOf(action);
        float cprTerm = (float)(Options.CprWeight * cpr);
        for (int j = 0; j < action.Length; j++)
            _scores[j] = Options.PreferenceWeight * _user.Affinity(Catalog.Representation(action[j])) + cprTerm;
        ClickModel.ChoiceProbabilities(_scores, Options.NoClickMass, _probabilities);
        int choice = Random.Categorical(_probabilities);
        bool clicked = choice < action.Length;
        if (clicked) _user.Click(Catalog.Representation(action[choice]), Random);
        LastCpr = cpr;
        LastClickedPosition = clicked ? choice : -1;
        _user.WriteTo(observation);
        return new Transition(clicked ? 1.0 : 0.0, Terminated: false);
    }

    private double CprOf(ReadOnlySpan<int> slate)
    {
        for (int j = 0; j < slate.Length; j++)
        {
            int item = slate[j];
            _slateCategories[j] = Catalog.Category(item);
            _slateSubCategories[j] = Catalog.SubCategory(item);
        }
        return SlateMetrics.Cpr(_slateCategories, _slateSubCategories);
    }
}

using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Recommender;

/// <summary>
/// RecSim-style single-item recommendation over a large catalogue (seed 003's SAVO chapter, App. C.2): each step the
/// agent recommends one item to the current user, who clicks it or not. Actions are item ids of an
/// <see cref="ActionSet"/> whose representations are the item vectors, so SAVO/Wolpertinger-style agents can act in
/// representation space and project onto the nearest real item.
/// </summary>
/// <remarks>
/// <para><b>Catalogue.</b> <see cref="RecSimSingleItemOptions.ItemCount"/> items (10,000 by default; 100k supported)
/// from a seeded Gaussian mixture over categories and sub-categories (<see cref="ItemCatalog"/>). Only the items of
/// the episode's split (train by default) are available; the test half stays unseen for zero-shot evaluation
/// (Reset option "split" = "test").</para>
/// <para><b>User and observation.</b> A new user per episode with preference u ~ U(−1, 1)^D; the observation is u
/// (Box(−1, 1, [D]), fully observed as in seed 003 C.2). After clicking item e the user drifts by
/// Δ = y(1 − |u|) ⊙ e (y = <see cref="RecSimSingleItemOptions.PreferenceUpdateRate"/>), towards the item with
/// probability (1 + u·e)/2 and away otherwise (RecSim's interest evolution, seed 003 A.3/C.2); without a click the
/// user does not change.</para>
/// <para><b>Click and reward.</b> The user clicks with the softmax probability of score w·⟨u, e⟩ against the
/// no-click logit (4.0): p = e^s / (e^s + e^4). Reward 1 for a click, 0 otherwise.</para>
/// <para><b>Episode.</b> The environment never ends an episode itself; the catalog id "RecSim-SingleItem-v0" wraps
/// it in a 20-step <see cref="RLKit.Environments.Wrappers.TimeLimit"/> (SAVO's RecSim episode horizon).</para>
/// <para>Step allocates nothing. Reset allocates nothing either, apart from re-marking the available items.</para>
/// </remarks>
public sealed class RecSimSingleItem : EnvironmentBase
{
    private readonly UserPreference _user;
    private readonly float _preferenceWeight;
    private readonly float _noClickMass;
    private readonly float[] _score = new float[1];
    private readonly float[] _probabilities = new float[2];
    private ItemSplit? _markedSplit;

    /// <summary>Creates the environment (the defaults of <see cref="RecSimSingleItemOptions"/> when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of its documented range.</exception>
    public RecSimSingleItem(RecSimSingleItemOptions? options = null) : this(Validated(options)) { }

    private RecSimSingleItem((RecSimSingleItemOptions Options, ItemCatalog Catalog) setup)
        : base(new Box(-1f, 1f, setup.Options.RepresentationSize), setup.Catalog.Actions)
    {
        Options = setup.Options;
        Catalog = setup.Catalog;
        _user = new UserPreference(Options.RepresentationSize, Options.PreferenceUpdateRate);
        _preferenceWeight = Options.PreferenceWeight;
        _noClickMass = Options.NoClickMass;
        CurrentSplit = Options.Split;
        MarkAvailable(CurrentSplit);
    }

    /// <inheritdoc/>
    public override string Id => "RecSim-SingleItem-v0";

    /// <summary>The options this environment was created with.</summary>
    public RecSimSingleItemOptions Options { get; }

    /// <summary>The item catalogue (categories, sub-categories, representations, split).</summary>
    public ItemCatalog Catalog { get; }

    /// <summary>The action space: one action per item, available = the items of <see cref="CurrentSplit"/>.</summary>
    public ActionSet Items => Catalog.Actions;

    /// <summary>The split the current episode recommends from.</summary>
    public ItemSplit CurrentSplit { get; private set; }

    /// <summary>The user's current preference vector (the last observation shows it as of that step).</summary>
    public ReadOnlySpan<float> UserPreference => _user.Vector;

    /// <summary>The click probability of the last recommendation (NaN before the first step).</summary>
    public float LastClickProbability { get; private set; } = float.NaN;

    /// <summary>The probability that the current user clicks <paramref name="item"/> if it is recommended now.</summary>
    public float ClickProbability(int item)
    {
        _score[0] = _preferenceWeight * _user.Affinity(Catalog.Representation(item));
        ClickModel.ChoiceProbabilities(_score, _noClickMass, _probabilities);
        return _probabilities[0];
    }

    private static (RecSimSingleItemOptions, ItemCatalog) Validated(RecSimSingleItemOptions? options)
    {
        options ??= new RecSimSingleItemOptions();
        options.Validate();
        return (options, new ItemCatalog(options.ItemCount, options.CategoryCount, options.SubCategoriesPerCategory, options.RepresentationSize, options.CatalogSeed));
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        CurrentSplit = ItemSplitResetOption.Read(options, Options.Split, Id);
        MarkAvailable(CurrentSplit);
        _user.Resample(Random);
        _user.WriteTo(observation);
        LastClickProbability = float.NaN;
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(int action, Span<float> observation)
    {
        float p = ClickProbability(action);
        LastClickProbability = p;
        bool clicked = Random.NextDouble() < p;
        if (clicked) _user.Click(Catalog.Representation(action), Random);
        _user.WriteTo(observation);
        return new Transition(clicked ? 1.0 : 0.0, Terminated: false);
    }

    private void MarkAvailable(ItemSplit split)
    {
        if (_markedSplit == split) return;
        Catalog.MakeAvailable(split);
        _markedSplit = split;
    }
}

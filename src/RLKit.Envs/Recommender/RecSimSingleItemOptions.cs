using RLKit.Training;

namespace RLKit.Envs.Recommender;

/// <summary>
/// Options of <see cref="RecSimSingleItem"/>, the large-catalogue single-item recommender of seed 003's SAVO chapter
/// (App. C.2). Defaults follow that chapter where it gives a number and are RLKit's documented choices otherwise.
/// </summary>
public sealed record RecSimSingleItemOptions
{
    /// <summary>Catalogue size. Default 10,000 (SAVO's RecSim); 100,000 and 500,000 are the thesis's scaled-up runs. Range [2, 1,000,000].</summary>
    public int ItemCount { get; init; } = 10_000;

    /// <summary>Length D of item representations and of the user vector (the observation). Default 30 (SAVO's "true action dim" for RecSim). Range [1, 512].</summary>
    public int RepresentationSize { get; init; } = 30;

    /// <summary>Number of main categories (Gaussian-mixture clusters). Default 10 (as in AGILE's RecSim). Range [1, 1000].</summary>
    public int CategoryCount { get; init; } = 10;

    /// <summary>Sub-categories per category. Default 2. Range [1, 100].</summary>
    public int SubCategoriesPerCategory { get; init; } = 2;

    /// <summary>Which half of the catalogue the agent may recommend (the ActionSet's available items). Default <see cref="ItemSplit.Train"/>; a Reset option "split" overrides it per episode.</summary>
    public ItemSplit Split { get; init; } = ItemSplit.Train;

    /// <summary>Seed of the catalogue (items, categories, split), independent of the episode seed so every instance shares one catalogue. Default 0.</summary>
    public ulong CatalogSeed { get; init; }

    /// <summary>
    /// Weight w of the user–item affinity in the click score w·⟨u, e⟩. Seed 003 C.2 uses the bare dot product; RLKit
    /// scales it because with unit items and u ~ U(−1, 1)^30 the affinity of even the best-matching item is only
    /// about 1.5–2: with w = 4 against the no-click logit 4, the best-matching item is clicked most of the time and
    /// a random one rarely (about 8%). Default 4.0. Range [0, 100].
    /// </summary>
    public float PreferenceWeight { get; init; } = 4.0f;

    /// <summary>Logit of the no-click option in the softmax choice. Default 4.0 (seed 003's RecSim no-click mass). Must be finite.</summary>
    public float NoClickMass { get; init; } = 4.0f;

    /// <summary>Rate y of the user's drift after a click (see <see cref="RecSimSingleItem"/>). Default 0.1; 0 freezes the user. Range [0, 1].</summary>
    public float PreferenceUpdateRate { get; init; } = 0.1f;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(RecSimSingleItemOptions);
        OptionRules.InRange(ItemCount, 2, 1_000_000, record, nameof(ItemCount));
        OptionRules.InRange(RepresentationSize, 1, 512, record, nameof(RepresentationSize));
        OptionRules.InRange(CategoryCount, 1, 1000, record, nameof(CategoryCount));
        OptionRules.InRange(SubCategoriesPerCategory, 1, 100, record, nameof(SubCategoriesPerCategory));
        OptionRules.Defined(Split, record, nameof(Split));
        OptionRules.InRange(PreferenceWeight, 0f, 100f, record, nameof(PreferenceWeight));
        OptionRules.Finite(NoClickMass, record, nameof(NoClickMass));
        OptionRules.UnitInterval(PreferenceUpdateRate, record, nameof(PreferenceUpdateRate));
    }
}

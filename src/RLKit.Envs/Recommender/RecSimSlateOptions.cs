using RLKit.Training;

namespace RLKit.Envs.Recommender;

/// <summary>
/// Options of <see cref="RecSimSlate"/>, the list-wise CPR recommender of seed 003's AGILE chapter (App. A.3).
/// Defaults are the reference code's: 500 items (250 train / 250 test), 10 categories × 2 sub-categories,
/// 20 candidates per episode, a slate of 6 distinct candidate item ids (an <see cref="Spaces.ActionList"/> action), click score 0.3·⟨user, item⟩ + 5.0·CPR, no-click mass 4.0.
/// </summary>
public sealed record RecSimSlateOptions
{
    /// <summary>Catalogue size, split half/half into train and test. Default 500. Range [2, 100,000].</summary>
    public int ItemCount { get; init; } = 500;

    /// <summary>Number of main categories. Default 10. Range [1, 1000].</summary>
    public int CategoryCount { get; init; } = 10;

    /// <summary>Sub-categories per category. Default 2. Range [1, 100].</summary>
    public int SubCategoriesPerCategory { get; init; } = 2;

    /// <summary>
    /// Length D of item representations and of the user vector (the observation). Default 10: seed 003 A.3 gives the
    /// user embedding one entry per category. Range [1, 512].
    /// </summary>
    public int RepresentationSize { get; init; } = 10;

    /// <summary>
    /// Candidates offered per episode: the items the action list may hold (the available ids of its action set).
    /// Default 20. Range [SlateSize, ⌊ItemCount/2⌋] (each split must hold them).
    /// </summary>
    public int CandidateCount { get; init; } = 20;

    /// <summary>Items per recommended slate (k): the length of the <see cref="Spaces.ActionList"/> action, k distinct candidate item ids. Default 6. Range [1, CandidateCount].</summary>
    public int SlateSize { get; init; } = 6;

    /// <summary>
    /// Share of the candidates drawn from the episode's "most common category" (seed 003 A.3's most-common-category
    /// sampling; the document says "the majority", RLKit's default is half, i.e. 10 of 20, enough to fill a slate).
    /// The rest come uniformly from the split's other categories. Default 0.5. Range [0, 1].
    /// </summary>
    public float CommonCategoryFraction { get; init; } = 0.5f;

    /// <summary>Weight α_user of ⟨user, item⟩ in the click score. Default 0.3. Range [0, 100].</summary>
    public float PreferenceWeight { get; init; } = 0.3f;

    /// <summary>Weight α_metric of the slate's CPR in every item's click score. Default 5.0. Range [0, 100].</summary>
    public float CprWeight { get; init; } = 5.0f;

    /// <summary>Logit of the no-click option in the softmax choice. Default 4.0. Must be finite.</summary>
    public float NoClickMass { get; init; } = 4.0f;

    /// <summary>Rate y of the user's drift after a click. Default 0.1; 0 freezes the user. Range [0, 1].</summary>
    public float PreferenceUpdateRate { get; init; } = 0.1f;

    /// <summary>Which half of the catalogue the candidates come from. Default <see cref="ItemSplit.Train"/>; a Reset option "split" overrides it per episode.</summary>
    public ItemSplit Split { get; init; } = ItemSplit.Train;

    /// <summary>Seed of the catalogue (items, categories, split), independent of the episode seed. Default 0.</summary>
    public ulong CatalogSeed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(RecSimSlateOptions);
        OptionRules.InRange(ItemCount, 2, 100_000, record, nameof(ItemCount));
        OptionRules.InRange(CategoryCount, 1, 1000, record, nameof(CategoryCount));
        OptionRules.InRange(SubCategoriesPerCategory, 1, 100, record, nameof(SubCategoriesPerCategory));
        OptionRules.InRange(RepresentationSize, 1, 512, record, nameof(RepresentationSize));
        OptionRules.InRange(SlateSize, 1, 1000, record, nameof(SlateSize));
        OptionRules.InRange(CandidateCount, SlateSize, ItemCount / 2, record, nameof(CandidateCount));
        OptionRules.UnitInterval(CommonCategoryFraction, record, nameof(CommonCategoryFraction));
        OptionRules.InRange(PreferenceWeight, 0f, 100f, record, nameof(PreferenceWeight));
        OptionRules.InRange(CprWeight, 0f, 100f, record, nameof(CprWeight));
        OptionRules.Finite(NoClickMass, record, nameof(NoClickMass));
        OptionRules.UnitInterval(PreferenceUpdateRate, record, nameof(PreferenceUpdateRate));
        OptionRules.Defined(Split, record, nameof(Split));
    }
}

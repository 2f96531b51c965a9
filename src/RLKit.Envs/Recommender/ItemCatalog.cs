using RLKit.Data;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Envs.Recommender;

/// <summary>
/// A synthetic item catalogue for the RecSim-style environments: every item has a main category, a sub-category and
/// a unit-length representation vector drawn from a Gaussian mixture whose components are the sub-categories
/// (seed 003 A.3: "a Gaussian Mixture Model with centers around each item category; each item category has two
/// sub-categories, which are also clustered"). The catalogue is a pure function of its seed.
/// </summary>
/// <remarks>
/// <para>Generation, with a random stream of its own seeded by the catalogue seed: each category centre is a random
/// unit direction; each sub-category centre is normalise(category centre + <see cref="SubCategorySpread"/> · a random
/// unit direction); each item is normalise(sub-category centre + <see cref="ItemSpread"/> · z/√D) with z ~ N(0, I).
/// The (category, sub-category) labels are dealt round-robin and then shuffled, so every sub-category holds
/// ⌊N/(C·S)⌋ or ⌈N/(C·S)⌉ items and item ids carry no label information.</para>
/// <para>The split: a seeded permutation of the ids; its first ⌊N/2⌋ ids are <see cref="ItemSplit.Train"/>, the
/// rest <see cref="ItemSplit.Test"/>.</para>
/// <para>The representations live in one flat float array, the one inside <see cref="Actions"/> (id = item index),
/// so a 100k-item catalogue of 30-dimensional items takes 12 MB.</para>
/// </remarks>
public sealed class ItemCatalog
{
    /// <summary>How far (before renormalising) a sub-category centre lies from its category centre.</summary>
    public const float SubCategorySpread = 0.6f;

    /// <summary>How far (before renormalising) an item lies from its sub-category centre.</summary>
    public const float ItemSpread = 0.3f;

    private readonly int[] _categories;
    private readonly int[] _subCategories;
    private readonly ItemSplit[] _split;
    private readonly int[] _trainItems;
    private readonly int[] _testItems;
    private readonly float[] _features;
    private ActionObservationSet? _featureSet;

    internal ItemCatalog(int itemCount, int categoryCount, int subCategoriesPerCategory, int representationSize, ulong seed)
    {
        Count = itemCount;
        CategoryCount = categoryCount;
        SubCategoriesPerCategory = subCategoriesPerCategory;
        RepresentationSize = representationSize;
        Seed = seed;
        var rng = new RandomGenerator(seed);
        int d = representationSize;
        int labelCount = categoryCount * subCategoriesPerCategory;

        var categoryCentres = new float[categoryCount * d];
        for (int c = 0; c < categoryCount; c++) RandomUnit(rng, categoryCentres.AsSpan(c * d, d));
        var subCentres = new float[labelCount * d];
        var direction = new float[d];
        for (int label = 0; label < labelCount; label++)
        {
            var centre = subCentres.AsSpan(label * d, d);
            RandomUnit(rng, direction);
            TensorPrimitives.MultiplyAdd(direction, SubCategorySpread, categoryCentres.AsSpan(label / subCategoriesPerCategory * d, d), centre);
            Normalize(centre);
        }

        var labels = new int[itemCount];
        for (int i = 0; i < itemCount; i++) labels[i] = i % labelCount;
        rng.Shuffle(labels.AsSpan());
        _categories = new int[itemCount];
        _subCategories = new int[itemCount];
        var representations = new float[itemCount * d];
        float noiseScale = ItemSpread / MathF.Sqrt(d);
        for (int i = 0; i < itemCount; i++)
        {
            _categories[i] = labels[i] / subCategoriesPerCategory;
            _subCategories[i] = labels[i] % subCategoriesPerCategory;
            var item = representations.AsSpan(i * d, d);
            rng.FillNormal(item, 0f, noiseScale);
            TensorPrimitives.Add(item, subCentres.AsSpan(labels[i] * d, d), item);
            Normalize(item);
        }
        Actions = new ActionSet(itemCount, d, representations);
        _features = representations; // the ActionSet holds its own copy, which encoders may overwrite

        var permutation = new int[itemCount];
        for (int i = 0; i < itemCount; i++) permutation[i] = i;
        rng.Shuffle(permutation.AsSpan());
        int trainCount = itemCount / 2;
        _trainItems = permutation[..trainCount];
        _testItems = permutation[trainCount..];
        Array.Sort(_trainItems);
        Array.Sort(_testItems);
        _split = new ItemSplit[itemCount];
        foreach (int i in _testItems) _split[i] = ItemSplit.Test;
    }

    /// <summary>The number of items (ids 0 … Count − 1).</summary>
    public int Count { get; }

    /// <summary>The number of main categories.</summary>
    public int CategoryCount { get; }

    /// <summary>The number of sub-categories inside each category.</summary>
    public int SubCategoriesPerCategory { get; }

    /// <summary>The length D of each item's representation (and of the user preference vector).</summary>
    public int RepresentationSize { get; }

    /// <summary>The seed the catalogue was generated from.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// The items as an action set: id = item index, representation = the item's unit vector. Its
    /// <see cref="ActionSet.Available"/> mask is managed by the environment that owns the catalogue.
    /// </summary>
    public ActionSet Actions { get; }

    /// <summary>All representations, row-major [Count, RepresentationSize].</summary>
    public ReadOnlySpan<float> Representations => Actions.Representations;

    /// <summary>The representation of <paramref name="item"/>.</summary>
    public ReadOnlySpan<float> Representation(int item) => Actions.Representations.Slice(CheckItem(item) * RepresentationSize, RepresentationSize);

    /// <summary>The main category of <paramref name="item"/>, in [0, CategoryCount).</summary>
    public int Category(int item) => _categories[CheckItem(item)];

    /// <summary>Every item's main category, indexed by item id (e.g. to colour a plot of item representations).</summary>
    public ReadOnlySpan<int> Categories => _categories;

    /// <summary>
    /// The items' action observations (seed 003 ch. 2, A.3: a recommender's items are observed through their
    /// features): one vector observation per item (<see cref="ActionObservationSet.Steps"/> = 1,
    /// <see cref="ActionObservationSet.Features"/> = <see cref="RepresentationSize"/>), action i = item i, holding the
    /// item's generated unit vector. Those are the vectors the catalogue was generated with, even if something has
    /// since overwritten <see cref="Actions"/>' representations (with inferred ones, say). Built once, then shared (the
    /// set is immutable).
    /// </summary>
    public ActionObservationSet Features()
    {
        var set = Volatile.Read(ref _featureSet);
        if (set is not null) return set;
        // Two threads racing here build equal sets; the first one stored wins.
        set = ActionObservationSet.FromVectors(_features, RepresentationSize);
        return Interlocked.CompareExchange(ref _featureSet, set, null) ?? set;
    }

    /// <summary>The sub-category of <paramref name="item"/> within its category, in [0, SubCategoriesPerCategory).</summary>
    public int SubCategory(int item) => _subCategories[CheckItem(item)];

    /// <summary>Which half of the split <paramref name="item"/> belongs to.</summary>
    public ItemSplit SplitOf(int item) => _split[CheckItem(item)];

    /// <summary>The ids in <paramref name="split"/>, ascending.</summary>
    public ReadOnlySpan<int> ItemsIn(ItemSplit split) => split == ItemSplit.Train ? _trainItems : _testItems;

    /// <summary>Marks exactly the items of <paramref name="split"/> available in <see cref="Actions"/>.</summary>
    internal void MakeAvailable(ItemSplit split)
    {
        var available = Actions.Available;
        for (int i = 0; i < _split.Length; i++) available[i] = _split[i] == split;
    }

    private int CheckItem(int item)
    {
        if ((uint)item >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(item), item, $"ItemCatalog: item ids lie in [0, {Count}).");
        return item;
    }

    private static void RandomUnit(RandomGenerator rng, Span<float> destination)
    {
        do rng.FillNormal(destination);
        while (TensorPrimitives.Norm(destination) < 1e-6f);
        Normalize(destination);
    }

    private static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
    }
}

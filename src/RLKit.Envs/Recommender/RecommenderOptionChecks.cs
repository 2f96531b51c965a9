namespace RLKit.Envs.Recommender;

/// <summary>Range checks shared by the recommender options records; each names the option and its range.</summary>
internal static class RecommenderOptionChecks
{
    public static void InRange(int value, int min, int max, string owner, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} must lie in [{min}, {max}].");
    }

    public static void InRange(float value, float min, float max, string owner, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} must be finite and lie in [{min}, {max}].");
    }

    public static void Finite(float value, string owner, string name)
    {
        if (!float.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} must be finite.");
    }

    public static void Defined(ItemSplit split, string owner, string name)
    {
        if (split is not (ItemSplit.Train or ItemSplit.Test))
            throw new ArgumentOutOfRangeException(name, split, $"{owner}.{name} must be ItemSplit.Train or ItemSplit.Test.");
    }

    /// <summary>The Reset option key that picks the item split for one episode.</summary>
    public const string SplitKey = "split";

    /// <summary>
    /// The split an episode uses: the Reset option "split" (an <see cref="ItemSplit"/> or the string "train"/"test",
    /// case-insensitive) when given, otherwise <paramref name="fallback"/>.
    /// </summary>
    public static ItemSplit SplitFrom(IReadOnlyDictionary<string, object>? options, ItemSplit fallback, string id)
    {
        if (options is null || !options.TryGetValue(SplitKey, out var value)) return fallback;
        return value switch
        {
            ItemSplit split when split is ItemSplit.Train or ItemSplit.Test => split,
            string s when s.Equals("train", StringComparison.OrdinalIgnoreCase) => ItemSplit.Train,
            string s when s.Equals("test", StringComparison.OrdinalIgnoreCase) => ItemSplit.Test,
            _ => throw new ArgumentException($"{id}: the reset option \"{SplitKey}\" must be ItemSplit.Train/Test or \"train\"/\"test\", got {value}.", "options"),
        };
    }
}

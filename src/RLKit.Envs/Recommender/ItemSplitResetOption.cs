namespace RLKit.Envs.Recommender;

/// <summary>The Reset option by which the recommender environments pick an episode's <see cref="ItemSplit"/>.</summary>
internal static class ItemSplitResetOption
{
    /// <summary>The Reset option key that picks the item split for one episode.</summary>
    public const string Key = "split";

    /// <summary>
    /// The split an episode uses: the Reset option "split" (an <see cref="ItemSplit"/> or the string "train"/"test",
    /// case-insensitive) when given, otherwise <paramref name="fallback"/>.
    /// </summary>
    public static ItemSplit Read(IReadOnlyDictionary<string, object>? options, ItemSplit fallback, string id)
    {
        if (options is null || !options.TryGetValue(Key, out var value)) return fallback;
        return value switch
        {
            ItemSplit split when split is ItemSplit.Train or ItemSplit.Test => split,
            string s when s.Equals("train", StringComparison.OrdinalIgnoreCase) => ItemSplit.Train,
            string s when s.Equals("test", StringComparison.OrdinalIgnoreCase) => ItemSplit.Test,
            _ => throw new ArgumentException($"{id}: the reset option \"{Key}\" must be ItemSplit.Train/Test or \"train\"/\"test\", got {value}.", "options"),
        };
    }
}

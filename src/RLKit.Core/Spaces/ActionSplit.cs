using RLKit.Tensors;

namespace RLKit.Spaces;

/// <summary>
/// Splits an action universe into training, validation and test actions (seed 003 ch. 2: policies train on one part,
/// are selected on the second and evaluated zero-shot on the third, actions they have never seen).
/// </summary>
public static class ActionSplit
{
    /// <summary>
    /// A seeded random split of the ids 0 … <paramref name="count"/> − 1 in the proportions
    /// <paramref name="trainParts"/> : <paramref name="validationParts"/> : <paramref name="testParts"/> (2:1:1 by
    /// default). The ids are shuffled with <see cref="RandomGenerator.Shuffle{T}"/> (Fisher–Yates) by a generator seeded
    /// with <paramref name="seed"/>; the first ids of the shuffle are training, the next validation, the rest test; each
    /// part is returned sorted ascending.
    /// </summary>
    /// <remarks>
    /// Rounding: with P = the sum of the parts, training takes the first ⌊count·train/P⌋ shuffled ids and validation
    /// ends at ⌊count·(train + validation)/P⌋; test takes the rest (cumulative flooring). Each part's size is thus its
    /// exact share rounded down or up, and the sizes sum to count: at 2:1:1, 1024 ids give 512, 256, 256; 1025 give
    /// 512, 256, 257; 1027 give 513, 257, 257. A part can be empty when <paramref name="count"/> is small or its
    /// weight is 0.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="count"/> is less than 1, a part is negative, or all parts are 0.</exception>
    public static (int[] Train, int[] Validation, int[] Test) Random(int count, ulong seed, int trainParts = 2, int validationParts = 1, int testParts = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (trainParts < 0) throw new ArgumentOutOfRangeException(nameof(trainParts), trainParts, "ActionSplit: trainParts must be ≥ 0.");
        if (validationParts < 0) throw new ArgumentOutOfRangeException(nameof(validationParts), validationParts, "ActionSplit: validationParts must be ≥ 0.");
        if (testParts < 0) throw new ArgumentOutOfRangeException(nameof(testParts), testParts, "ActionSplit: testParts must be ≥ 0.");
        long total = (long)trainParts + validationParts + testParts;
        if (total == 0)
            throw new ArgumentOutOfRangeException(nameof(trainParts), 0, "ActionSplit: the parts sum to 0; at least one of trainParts, validationParts, testParts must be ≥ 1.");

        var ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = i;
        new RandomGenerator(seed).Shuffle(ids.AsSpan());
        int trainEnd = (int)(count * (long)trainParts / total);
        int validationEnd = (int)(count * ((long)trainParts + validationParts) / total);
        return (Sorted(ids, 0, trainEnd), Sorted(ids, trainEnd, validationEnd), Sorted(ids, validationEnd, count));
    }

    private static int[] Sorted(int[] ids, int start, int end)
    {
        var part = ids[start..end];
        Array.Sort(part);
        return part;
    }
}

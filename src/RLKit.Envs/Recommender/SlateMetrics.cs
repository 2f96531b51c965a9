namespace RLKit.Envs.Recommender;

/// <summary>List-wise metrics of a recommended slate.</summary>
public static class SlateMetrics
{
    /// <summary>
    /// Complementary Product Recommendation score of a slate (seed 003 §3.5.3):
    /// entropy(sub-category) / entropy(category) of the slate's items — high when the slate is coherent in its main
    /// category but diverse in sub-categories.
    /// </summary>
    /// <remarks>
    /// <para>Entropies are of the empirical label distributions over the slate's items, in nats; the ratio does not
    /// depend on the logarithm's base. A sub-category is counted per category: the label is the pair
    /// (category, sub-category), so sub-category 0 of category 2 and sub-category 0 of category 5 differ.</para>
    /// <para>When the category entropy is 0 (a single item, or every item in one category) the ratio is 0/0 or x/0;
    /// RLKit defines the CPR as 0 then. That keeps the metric finite and makes "most items from one category, the
    /// rest elsewhere, sub-categories mixed" the maximiser, which is the behaviour seed 003 reports (5 of 6 items
    /// from the most common category). The maximum for 6 items is about 2.245 (5 + 1 items, sub-categories 3/2/1);
    /// 6 items from 6 categories score 1.</para>
    /// <para>Allocation-free; O(k²) for a slate of k, which is cheaper than hashing for slate sizes in use.</para>
    /// </remarks>
    /// <param name="categories">Main category of each slate item.</param>
    /// <param name="subCategories">Sub-category of each slate item (same length).</param>
    /// <exception cref="ArgumentException">If the spans are empty or their lengths differ.</exception>
    public static double Cpr(ReadOnlySpan<int> categories, ReadOnlySpan<int> subCategories)
    {
        if (categories.Length == 0)
            throw new ArgumentException("Cpr: the slate must contain at least one item.", nameof(categories));
        if (subCategories.Length != categories.Length)
            throw new ArgumentException($"Cpr: {categories.Length} categories but {subCategories.Length} sub-categories; give one of each per item.", nameof(subCategories));
        double categoryEntropy = Entropy(categories, subCategories, pairWithSubCategory: false);
        if (categoryEntropy <= 1e-12) return 0.0;
        return Entropy(categories, subCategories, pairWithSubCategory: true) / categoryEntropy;
    }

    private static double Entropy(ReadOnlySpan<int> categories, ReadOnlySpan<int> subCategories, bool pairWithSubCategory)
    {
        int n = categories.Length;
        double entropy = 0;
        for (int i = 0; i < n; i++)
        {
            bool seenBefore = false;
            for (int j = 0; j < i && !seenBefore; j++)
                seenBefore = SameLabel(categories, subCategories, pairWithSubCategory, i, j);
            if (seenBefore) continue;
            int count = 1;
            for (int j = i + 1; j < n; j++)
                if (SameLabel(categories, subCategories, pairWithSubCategory, i, j)) count++;
            double p = (double)count / n;
            entropy -= p * Math.Log(p);
        }
        return entropy;
    }

    private static bool SameLabel(ReadOnlySpan<int> categories, ReadOnlySpan<int> subCategories, bool pairWithSubCategory, int a, int b) =>
        categories[a] == categories[b] && (!pairWithSubCategory || subCategories[a] == subCategories[b]);
}

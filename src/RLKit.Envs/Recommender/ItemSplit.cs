namespace RLKit.Envs.Recommender;

/// <summary>
/// Which half of a recommender catalogue an environment offers as actions. The halves are disjoint and fixed by the
/// catalogue seed, so an agent trained on <see cref="Train"/> items can be evaluated zero-shot on unseen
/// <see cref="Test"/> items (seed 003's train/test action split).
/// </summary>
public enum ItemSplit
{
    /// <summary>The training items (the first half of the seeded permutation of item ids).</summary>
    Train,

    /// <summary>The held-out items (the second half of that permutation).</summary>
    Test,
}

namespace RLKit.Data;

/// <summary>
/// How a buffer stores actions: one integer per transition (discrete, optionally range-checked against an action
/// count) or a float vector of fixed size per transition (continuous).
/// </summary>
public readonly record struct ActionLayout
{
    private ActionLayout(bool isDiscrete, int size, int actionCount)
    {
        IsDiscrete = isDiscrete;
        Size = size;
        ActionCount = actionCount;
    }

    /// <summary>True for integer actions, false for float vectors.</summary>
    public bool IsDiscrete { get; }

    /// <summary>Values stored per action: 1 for discrete actions, the vector length for continuous ones.</summary>
    public int Size { get; }

    /// <summary>For discrete actions, the number of actions (stored actions must lie in [0, ActionCount)); 0 when unchecked or continuous.</summary>
    public int ActionCount { get; }

    /// <summary>Integer actions; with <paramref name="actionCount"/> &gt; 0 every added action is checked to lie in [0, actionCount).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="actionCount"/> is negative.</exception>
    public static ActionLayout Discrete(int actionCount = 0)
    {
        if (actionCount < 0)
            throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be ≥ 0 (0 = unchecked).");
        return new ActionLayout(isDiscrete: true, size: 1, actionCount);
    }

    /// <summary>Float action vectors of <paramref name="size"/> values each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="size"/> is not positive.</exception>
    public static ActionLayout Continuous(int size)
    {
        if (size <= 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "The continuous action size must be ≥ 1.");
        return new ActionLayout(isDiscrete: false, size, actionCount: 0);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        IsDiscrete ? (ActionCount > 0 ? $"Discrete({ActionCount})" : "Discrete") : $"Continuous({Size})";
}

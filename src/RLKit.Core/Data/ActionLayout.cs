namespace RLKit.Data;

/// <summary>
/// How a buffer stores actions: one integer per transition (discrete, optionally range-checked against an action
/// count, optionally with the availability mask the action was chosen under) or a float vector of fixed size per
/// transition (continuous).
/// </summary>
public readonly record struct ActionLayout
{
    private ActionLayout(bool isDiscrete, int size, int actionCount, bool isMasked = false)
    {
        IsDiscrete = isDiscrete;
        Size = size;
        ActionCount = actionCount;
        IsMasked = isMasked;
    }

    /// <summary>True for integer actions, false for float vectors.</summary>
    public bool IsDiscrete { get; }

    /// <summary>Values stored per action: 1 for discrete actions, the vector length for continuous ones.</summary>
    public int Size { get; }

    /// <summary>For discrete actions, the number of actions (stored actions must lie in [0, ActionCount)); 0 when unchecked or continuous.</summary>
    public int ActionCount { get; }

    /// <summary>
    /// Whether each transition also stores which of the <see cref="ActionCount"/> actions were available (an
    /// <c>ActionSet</c>'s mask), so a masked policy can be re-evaluated on stored data.
    /// </summary>
    public bool IsMasked { get; }

    /// <summary>Integer actions; with <paramref name="actionCount"/> &gt; 0 every added action is checked to lie in [0, actionCount).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="actionCount"/> is negative.</exception>
    public static ActionLayout Discrete(int actionCount = 0)
    {
        if (actionCount < 0)
            throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "actionCount must be ≥ 0 (0 = unchecked).");
        return new ActionLayout(isDiscrete: true, size: 1, actionCount);
    }

    /// <summary>Integer actions in [0, <paramref name="actionCount"/>), each stored with its availability mask of <paramref name="actionCount"/> flags.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="actionCount"/> is not positive.</exception>
    public static ActionLayout MaskedDiscrete(int actionCount)
    {
        if (actionCount < 1)
            throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "A masked layout needs actionCount ≥ 1 (the mask width).");
        return new ActionLayout(isDiscrete: true, size: 1, actionCount, isMasked: true);
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
        IsDiscrete ? (IsMasked ? $"MaskedDiscrete({ActionCount})" : ActionCount > 0 ? $"Discrete({ActionCount})" : "Discrete") : $"Continuous({Size})";
}

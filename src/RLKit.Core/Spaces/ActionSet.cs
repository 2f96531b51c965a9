using RLKit.Tensors;

namespace RLKit.Spaces;

/// <summary>
/// A variable set of discrete actions, each with an id and a representation vector, plus an availability mask
/// that can change every episode (or step). Used by action-representation policies (utility policies, AGILE,
/// SAVO): the agent reads <see cref="Representations"/> and <see cref="Available"/> to score the actions it may take.
/// An action is the int id of an available action.
/// </summary>
public sealed class ActionSet : Space
{
    private readonly float[] _representations;
    private readonly bool[] _available;

    /// <summary>Creates an action set over <paramref name="count"/> actions with representations [count, representationSize], all available.</summary>
    /// <exception cref="ArgumentException">If the representation array does not hold count × representationSize values.</exception>
    public ActionSet(int count, int representationSize, float[] representations)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "ActionSet: count must be at least 1.");
        if (representationSize < 0) throw new ArgumentOutOfRangeException(nameof(representationSize), representationSize, "ActionSet: representationSize must be ≥ 0.");
        ArgumentNullException.ThrowIfNull(representations);
        if (representations.Length != count * representationSize)
            throw new ArgumentException($"ActionSet: {count} actions × {representationSize} features need {count * representationSize} values, got {representations.Length}.", nameof(representations));
        Count = count;
        RepresentationSize = representationSize;
        _representations = (float[])representations.Clone();
        _available = Enumerable.Repeat(true, count).ToArray();
    }

    /// <summary>The number of actions in the universe (ids 0 … Count − 1).</summary>
    public int Count { get; }

    /// <summary>The length of each action's representation vector.</summary>
    public int RepresentationSize { get; }

    /// <summary>Representation vectors, row-major [Count, RepresentationSize]; environments may rewrite them.</summary>
    public Span<float> Representations => _representations;

    /// <summary>Which actions may be taken now; environments update it (e.g. per-episode subsampling).</summary>
    public Span<bool> Available => _available;

    /// <summary>The number of currently available actions.</summary>
    public int AvailableCount => _available.Count(a => a);

    /// <inheritdoc/>
    public override int[] Shape => [];

    /// <inheritdoc/>
    public override string Description => $"ActionSet({AvailableCount}/{Count} available, representation {RepresentationSize})";

    /// <summary>A uniformly random available action id.</summary>
    /// <exception cref="InvalidOperationException">If no action is available.</exception>
    public int Sample(RandomGenerator rng) => SampleAvailable(_available, rng);

    /// <summary>A uniformly random index i with <paramref name="available"/>[i] true (one row of an availability mask).</summary>
    /// <exception cref="InvalidOperationException">If no entry is true.</exception>
    internal static int SampleAvailable(ReadOnlySpan<bool> available, RandomGenerator rng)
    {
        int count = available.Count(true);
        if (count == 0) throw new InvalidOperationException("ActionSet: no action is available to sample.");
        int k = rng.NextInt(count);
        for (int i = 0; ; i++)
            if (available[i] && k-- == 0) return i;
    }

    /// <summary>Whether <paramref name="id"/> names an available action.</summary>
    public bool Contains(int id) => (uint)id < (uint)Count && _available[id];
}

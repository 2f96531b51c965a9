using RLKit.Tensors;

namespace RLKit.Spaces;

/// <summary>
/// A list-wise action over a variable action set (a recommender's slate): <see cref="Length"/> distinct actions, in
/// order, each available in <see cref="Items"/>. An action is <see cref="Length"/> int ids of the universe
/// (0 … Items.Count − 1); position 0 is the first item of the list. Vector environments report the availability of
/// <see cref="Items"/> through their action masks, as for an <see cref="ActionSet"/>.
/// </summary>
public sealed class ActionList : Space
{
    /// <summary>Creates a list of <paramref name="length"/> distinct actions from <paramref name="items"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="length"/> is below 1 or above the universe size.</exception>
    public ActionList(ActionSet items, int length)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (length < 1 || length > items.Count)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"ActionList: length must lie in [1, {items.Count}] (the size of the action universe).");
        Items = items;
        Length = length;
    }

    /// <summary>The action universe, its representations and its current availability.</summary>
    public ActionSet Items { get; }

    /// <summary>How many distinct actions one list holds (the slate size k).</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public override int[] Shape => [Length];

    /// <inheritdoc/>
    public override string Description => $"ActionList({Length} of {Items.AvailableCount}/{Items.Count} available, representation {Items.RepresentationSize})";

    /// <summary>Whether <paramref name="ids"/> is <see cref="Length"/> distinct, currently available ids.</summary>
    public bool Contains(ReadOnlySpan<int> ids)
    {
        if (ids.Length != Length) return false;
        for (int i = 0; i < ids.Length; i++)
        {
            if (!Items.Contains(ids[i])) return false;
            for (int j = 0; j < i; j++)
                if (ids[j] == ids[i]) return false;
        }
        return true;
    }

    /// <summary>Writes <see cref="Length"/> distinct available ids drawn uniformly without replacement.</summary>
    /// <exception cref="ArgumentException">If <paramref name="destination"/> does not hold <see cref="Length"/> ids.</exception>
    /// <exception cref="InvalidOperationException">If fewer than <see cref="Length"/> actions are available.</exception>
    public void Sample(RandomGenerator rng, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (destination.Length != Length)
            throw new ArgumentException($"ActionList: a list holds {Length} ids, the destination {destination.Length}.", nameof(destination));
        var available = Items.Available;
        int count = Items.AvailableCount;
        if (count < Length)
            throw new InvalidOperationException($"ActionList: {Length} distinct actions are needed but only {count} are available.");
        // Selection sampling (Knuth's algorithm S) keeps the chosen ids in universe order; a shuffle then orders the list.
        int needed = Length, seen = 0, written = 0;
        for (int id = 0; id < available.Length && needed > 0; id++)
        {
            if (!available[id]) continue;
            if (rng.NextInt(count - seen) < needed)
            {
                destination[written++] = id;
                needed--;
            }
            seen++;
        }
        rng.Shuffle(destination);
    }
}

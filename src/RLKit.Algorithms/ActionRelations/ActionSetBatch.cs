using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// A padded batch of available actions: row b lists the ids of the actions available in row b, in ascending
/// universe order, padded with −1 up to the widest row, together with their representations and a 1/0 mask.
/// This is the graph every relation encoder runs over.
/// </summary>
public sealed class ActionSetBatch
{
    private readonly int[] _ids;
    private readonly int[] _counts;
    private readonly int[] _slots; // [rows, Count]: slot of each universe id, −1 if absent

    private ActionSetBatch(int rows, int width, int count, int representationSize, int[] ids, int[] counts, int[] slots, Tensor representations, Tensor mask)
    {
        Rows = rows;
        Width = width;
        Count = count;
        RepresentationSize = representationSize;
        _ids = ids;
        _counts = counts;
        _slots = slots;
        Representations = representations;
        Mask = mask;
    }

    /// <summary>Number of rows B.</summary>
    public int Rows { get; }

    /// <summary>Slots per row M: the largest number of available actions of any row (≥ 1).</summary>
    public int Width { get; }

    /// <summary>Size of the action universe (ids 0 … Count − 1).</summary>
    public int Count { get; }

    /// <summary>Width D of each action representation.</summary>
    public int RepresentationSize { get; }

    /// <summary>[B·M] universe ids per slot, −1 at padding; real ids ascend within a row.</summary>
    public ReadOnlySpan<int> Ids => _ids;

    /// <summary>[B, M, D] representations of the slots' actions; zeros at padding.</summary>
    public Tensor Representations { get; }

    /// <summary>[B, M]: 1 at real actions, 0 at padding.</summary>
    public Tensor Mask { get; }

    /// <summary>The slot of universe action <paramref name="id"/> in row <paramref name="row"/>, or −1 if it is not available there.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the row is not in [0, Rows).</exception>
    public int SlotOf(int row, int id)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"ActionSetBatch.SlotOf: row must be in [0, {Rows}).");
        return (uint)id < (uint)Count ? _slots[row * Count + id] : -1;
    }

    /// <summary>The universe id at <paramref name="slot"/> of <paramref name="row"/>, or −1 at padding.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the row is not in [0, Rows) or the slot not in [0, Width).</exception>
    public int IdAt(int row, int slot)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"ActionSetBatch.IdAt: row must be in [0, {Rows}).");
        if ((uint)slot >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(slot), slot, $"ActionSetBatch.IdAt: slot must be in [0, {Width}).");
        return _ids[row * Width + slot];
    }

    /// <summary>The number of real actions in <paramref name="row"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the row is not in [0, Rows).</exception>
    public int AvailableCount(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"ActionSetBatch.AvailableCount: row must be in [0, {Rows}).");
        return _counts[row];
    }

    /// <summary>Builds the padded batch from availability masks.</summary>
    /// <param name="representations">[Count, D] row-major representations of the whole universe.</param>
    /// <param name="representationSize">D (≥ 1).</param>
    /// <param name="availability">[B, Count] row-major: true = available in that row.</param>
    /// <param name="rows">B (≥ 1); Count = availability.Length / rows.</param>
    /// <param name="exclude">Optional [B, Count]: true = leave out even if available (e.g. already chosen in a list).</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="rows"/> or <paramref name="representationSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException">
    /// If the availability length is not a multiple of rows, the representations do not hold Count × D values, the
    /// exclusion mask has the wrong length, or a row has no action left (the message names the row).
    /// </exception>
    public static ActionSetBatch FromAvailability(ReadOnlySpan<float> representations, int representationSize, ReadOnlySpan<bool> availability, int rows, ReadOnlySpan<bool> exclude = default)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "ActionSetBatch: rows must be ≥ 1.");
        if (representationSize < 1) throw new ArgumentOutOfRangeException(nameof(representationSize), representationSize, "ActionSetBatch: representationSize must be ≥ 1.");
        if (availability.Length == 0 || availability.Length % rows != 0)
            throw new ArgumentException($"ActionSetBatch: availability has {availability.Length} entries, which is not a positive multiple of rows = {rows} ([rows, Count] expected).", nameof(availability));
        int count = availability.Length / rows;
        if (representations.Length != count * representationSize)
            throw new ArgumentException($"ActionSetBatch: representations hold {representations.Length} values but {count} actions × representation width {representationSize} need {count * representationSize}.", nameof(representations));
        if (!exclude.IsEmpty && exclude.Length != availability.Length)
            throw new ArgumentException($"ActionSetBatch: exclude has {exclude.Length} entries; it must be empty or match availability ([rows={rows}, Count={count}] = {availability.Length}).", nameof(exclude));

        var counts = new int[rows];
        int width = 0;
        for (int b = 0; b < rows; b++)
        {
            int n = 0;
            for (int a = 0; a < count; a++)
                if (Takes(availability, exclude, b * count + a)) n++;
            if (n == 0)
                throw new ArgumentException($"ActionSetBatch: row {b} has no available action{(exclude.IsEmpty ? "" : " left after exclusion")}; every row needs at least one.", nameof(availability));
            counts[b] = n;
            width = Math.Max(width, n);
        }

        var ids = new int[rows * width];
        Array.Fill(ids, -1);
        var slots = new int[rows * count];
        Array.Fill(slots, -1);
        var reps = new float[rows * width * representationSize];
        var mask = new float[rows * width];
        for (int b = 0; b < rows; b++)
        {
            int slot = 0;
            for (int a = 0; a < count; a++)
            {
                if (!Takes(availability, exclude, b * count + a)) continue;
                int at = b * width + slot;
                ids[at] = a;
                slots[b * count + a] = slot;
                mask[at] = 1f;
                representations.Slice(a * representationSize, representationSize).CopyTo(reps.AsSpan(at * representationSize, representationSize));
                slot++;
            }
        }
        return new ActionSetBatch(rows, width, count, representationSize, ids, counts, slots,
            Tensor.FromArray(reps, rows, width, representationSize), Tensor.FromArray(mask, rows, width));
    }

    private static bool Takes(ReadOnlySpan<bool> availability, ReadOnlySpan<bool> exclude, int index) =>
        availability[index] && (exclude.IsEmpty || !exclude[index]);
}

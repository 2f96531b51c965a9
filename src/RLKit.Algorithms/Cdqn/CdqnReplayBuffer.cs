using RLKit.Tensors;

namespace RLKit.Algorithms.Cdqn;

/// <summary>
/// The cascaded DQN's replay: a preallocated circular store of list transitions (s, A, a_1 … a_N, r, s̃, terminated),
/// where A is the set of items that were available in s (one bit per item of the universe) and a_1 … a_N the list
/// recommended from it. Algorithm 5 scores both s and s̃ over A (the episode's candidate set), so A is stored once.
/// Sampling is uniform with replacement and deterministic for a given generator state; sampled batches are written into
/// buffers owned by the replay, rewritten by the next <see cref="Sample"/>. Not thread-safe.
/// </summary>
internal sealed class CdqnReplayBuffer
{
    private readonly float[] _observations;
    private readonly float[] _nextObservations;
    private readonly int[] _lists;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private readonly ulong[] _availability;
    private readonly int _words;
    private int _position;

    /// <param name="capacity">Transitions kept (the oldest are overwritten), ≥ 1.</param>
    /// <param name="observationSize">Floats per observation, ≥ 1.</param>
    /// <param name="listLength">Items per list, ≥ 1.</param>
    /// <param name="itemCount">Size of the item universe, ≥ 1.</param>
    public CdqnReplayBuffer(int capacity, int observationSize, int listLength, int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observationSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(listLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        Capacity = capacity;
        ObservationSize = observationSize;
        ListLength = listLength;
        ItemCount = itemCount;
        _words = (itemCount + 63) / 64;
        _observations = new float[capacity * observationSize];
        _nextObservations = new float[capacity * observationSize];
        _lists = new int[capacity * listLength];
        _rewards = new float[capacity];
        _terminated = new bool[capacity];
        _availability = new ulong[capacity * _words];
    }

    /// <summary>The most transitions kept.</summary>
    public int Capacity { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Items per list (N).</summary>
    public int ListLength { get; }

    /// <summary>Size of the item universe.</summary>
    public int ItemCount { get; }

    /// <summary>Transitions stored (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Stores one transition.</summary>
    /// <param name="observation">s, <see cref="ObservationSize"/> floats.</param>
    /// <param name="availability">A: which of the <see cref="ItemCount"/> items were available in s.</param>
    /// <param name="list">The <see cref="ListLength"/> item ids recommended, in list order.</param>
    /// <param name="reward">r.</param>
    /// <param name="nextObservation">s̃ (the final observation when the episode ended).</param>
    /// <param name="terminated">Whether s̃ is terminal (no bootstrap); truncation is not termination.</param>
    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<bool> availability, ReadOnlySpan<int> list, float reward,
                    ReadOnlySpan<float> nextObservation, bool terminated)
    {
        int p = _position;
        observation.CopyTo(_observations.AsSpan(p * ObservationSize, ObservationSize));
        nextObservation.CopyTo(_nextObservations.AsSpan(p * ObservationSize, ObservationSize));
        list.CopyTo(_lists.AsSpan(p * ListLength, ListLength));
        _rewards[p] = reward;
        _terminated[p] = terminated;
        var bits = _availability.AsSpan(p * _words, _words);
        bits.Clear();
        for (int i = 0; i < ItemCount; i++)
            if (availability[i]) bits[i >> 6] |= 1UL << (i & 63);
        _position = (p + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>Draws <paramref name="batch"/>.Size transitions uniformly with replacement into <paramref name="batch"/>.</summary>
    /// <exception cref="InvalidOperationException">If the replay is empty.</exception>
    public void Sample(CdqnBatch batch, RandomGenerator rng)
    {
        if (Count == 0) throw new InvalidOperationException("CdqnReplayBuffer: cannot sample from an empty replay.");
        int s = ObservationSize, n = ListLength;
        for (int b = 0; b < batch.Size; b++)
        {
            int i = rng.NextInt(Count);
            _observations.AsSpan(i * s, s).CopyTo(batch.Observations.AsSpan(b * s, s));
            _nextObservations.AsSpan(i * s, s).CopyTo(batch.NextObservations.AsSpan(b * s, s));
            _lists.AsSpan(i * n, n).CopyTo(batch.Lists.AsSpan(b * n, n));
            batch.Rewards[b] = _rewards[i];
            batch.Terminated[b] = _terminated[i];
            var bits = _availability.AsSpan(i * _words, _words);
            var row = batch.Availability.AsSpan(b * ItemCount, ItemCount);
            for (int item = 0; item < ItemCount; item++) row[item] = (bits[item >> 6] & (1UL << (item & 63))) != 0;
        }
    }
}

/// <summary>A sampled batch of list transitions, row-major; buffers reused across samples.</summary>
internal sealed class CdqnBatch
{
    public CdqnBatch(int size, int observationSize, int listLength, int itemCount)
    {
        Size = size;
        Observations = new float[size * observationSize];
        NextObservations = new float[size * observationSize];
        Lists = new int[size * listLength];
        Rewards = new float[size];
        Terminated = new bool[size];
        Availability = new bool[size * itemCount];
    }

    /// <summary>Transitions in the batch (B).</summary>
    public int Size { get; }

    /// <summary>s, [B, obs].</summary>
    public float[] Observations { get; }

    /// <summary>s̃, [B, obs].</summary>
    public float[] NextObservations { get; }

    /// <summary>The recommended lists, [B, N] item ids.</summary>
    public int[] Lists { get; }

    /// <summary>r, [B].</summary>
    public float[] Rewards { get; }

    /// <summary>Whether s̃ is terminal, [B].</summary>
    public bool[] Terminated { get; }

    /// <summary>A, [B, items].</summary>
    public bool[] Availability { get; }
}

namespace RLKit.Data;

/// <summary>
/// One epoch over a <see cref="RolloutBuffer"/> in shuffled minibatches: every flat index (step × env) appears in
/// exactly one minibatch. The last minibatch is smaller when the rollout size is not a multiple of the minibatch
/// size. Enumerate with <c>foreach</c>; enumeration allocates nothing.
/// </summary>
public readonly struct RolloutMinibatches
{
    private readonly RolloutBuffer _buffer;
    private readonly int _minibatchSize;
    private readonly bool _normalizeAdvantages;
    private readonly int _epoch;

    internal RolloutMinibatches(RolloutBuffer buffer, int minibatchSize, bool normalizeAdvantages, int epoch)
    {
        _buffer = buffer;
        _minibatchSize = minibatchSize;
        _normalizeAdvantages = normalizeAdvantages;
        _epoch = epoch;
    }

    /// <summary>The number of minibatches in the epoch.</summary>
    public int Count => _buffer is null ? 0 : (_buffer.Count + _minibatchSize - 1) / _minibatchSize;

    /// <summary>Starts enumerating the epoch.</summary>
    public Enumerator GetEnumerator() => new(_buffer, _minibatchSize, _normalizeAdvantages, _epoch);

    /// <summary>Enumerates the minibatches of one epoch.</summary>
    public struct Enumerator
    {
        private readonly RolloutBuffer _buffer;
        private readonly int _minibatchSize;
        private readonly bool _normalizeAdvantages;
        private readonly int _epoch;
        private int _start;
        private RolloutMinibatch? _current;

        internal Enumerator(RolloutBuffer buffer, int minibatchSize, bool normalizeAdvantages, int epoch)
        {
            _buffer = buffer;
            _minibatchSize = minibatchSize;
            _normalizeAdvantages = normalizeAdvantages;
            _epoch = epoch;
            _start = 0;
            _current = null;
        }

        /// <summary>The current minibatch.</summary>
        public readonly RolloutMinibatch Current =>
            _current ?? throw new InvalidOperationException("Call MoveNext before reading Current.");

        /// <summary>Fills the next minibatch; false after the last one.</summary>
        /// <exception cref="InvalidOperationException">If the buffer changed or another epoch started since this one began.</exception>
        public bool MoveNext()
        {
            if (_buffer is null || _start >= _buffer.Count) return false;
            int size = Math.Min(_minibatchSize, _buffer.Count - _start);
            _current = _buffer.FillMinibatch(_epoch, _start, size, _normalizeAdvantages);
            _start += size;
            return true;
        }
    }
}

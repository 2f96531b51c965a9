using RLKit.Tensors;

namespace RLKit.Spaces;

/// <summary>
/// The set of valid observations or actions of an environment, as in Gymnasium's <c>spaces</c>.
/// Every space can sample a random member, test membership, and describe itself for error messages.
/// </summary>
public abstract class Space
{
    /// <summary>The shape of one element (an empty array for a scalar).</summary>
    public abstract int[] Shape { get; }

    /// <summary>The number of floats (or ints) one element takes when flattened.</summary>
    public virtual int FlatSize
    {
        get
        {
            int size = 1;
            foreach (int d in Shape) size *= d;
            return size;
        }
    }

    /// <summary>A short description such as <c>Discrete(2)</c> or <c>Box(-1, 1, [3])</c>, used in error messages.</summary>
    public abstract string Description { get; }

    /// <inheritdoc/>
    public override string ToString() => Description;
}

/// <summary>A finite set of integers {start, …, start + n − 1}; an action is one int.</summary>
public sealed class Discrete : Space
{
    /// <summary>Creates Discrete(<paramref name="n"/>, <paramref name="start"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="n"/> is less than 1.</exception>
    public Discrete(int n, int start = 0)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Discrete: n must be at least 1.");
        N = n;
        Start = start;
    }

    /// <summary>The number of elements.</summary>
    public int N { get; }

    /// <summary>The smallest element.</summary>
    public int Start { get; }

    /// <inheritdoc/>
    public override int[] Shape => [];

    /// <inheritdoc/>
    public override string Description => Start == 0 ? $"Discrete({N})" : $"Discrete({N}, start={Start})";

    /// <summary>A uniformly random element.</summary>
    public int Sample(RandomGenerator rng) => Start + rng.NextInt(N);

    /// <summary>Whether <paramref name="value"/> is an element.</summary>
    public bool Contains(int value) => value >= Start && value - Start < N;
}

/// <summary>A product of discrete sets: element i lies in [0, Nvec[i]).</summary>
public sealed class MultiDiscrete : Space
{
    private readonly int[] _nvec;

    /// <summary>Creates MultiDiscrete(<paramref name="nvec"/>).</summary>
    /// <exception cref="ArgumentException">If <paramref name="nvec"/> is empty or has an entry below 1.</exception>
    public MultiDiscrete(params int[] nvec)
    {
        ArgumentNullException.ThrowIfNull(nvec);
        if (nvec.Length == 0) throw new ArgumentException("MultiDiscrete: nvec must not be empty.", nameof(nvec));
        for (int i = 0; i < nvec.Length; i++)
            if (nvec[i] < 1) throw new ArgumentOutOfRangeException(nameof(nvec), $"MultiDiscrete: nvec[{i}] = {nvec[i]} must be at least 1.");
        _nvec = (int[])nvec.Clone();
    }

    /// <summary>The number of choices of each component.</summary>
    public ReadOnlySpan<int> Nvec => _nvec;

    /// <inheritdoc/>
    public override int[] Shape => [_nvec.Length];

    /// <inheritdoc/>
    public override string Description => $"MultiDiscrete([{string.Join(", ", _nvec)}])";

    /// <summary>Writes a uniformly random element into <paramref name="destination"/>.</summary>
    public void Sample(RandomGenerator rng, Span<int> destination)
    {
        CheckLength(destination.Length, nameof(destination));
        for (int i = 0; i < _nvec.Length; i++) destination[i] = rng.NextInt(_nvec[i]);
    }

    /// <summary>Whether <paramref name="value"/> is an element.</summary>
    public bool Contains(ReadOnlySpan<int> value)
    {
        if (value.Length != _nvec.Length) return false;
        for (int i = 0; i < value.Length; i++)
            if ((uint)value[i] >= (uint)_nvec[i]) return false;
        return true;
    }

    private void CheckLength(int length, string name)
    {
        if (length != _nvec.Length)
            throw new ArgumentException($"{Description}: expected {_nvec.Length} components, got {length}.", name);
    }
}

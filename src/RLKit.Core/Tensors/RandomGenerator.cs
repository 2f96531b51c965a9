using System.Numerics;
using System.Runtime.CompilerServices;

namespace RLKit.Tensors;

/// <summary>
/// The one seeded random number generator of RLKit: xoshiro256** seeded through SplitMix64.
/// The same seed gives the same sequence on every OS and architecture, because every draw is
/// computed with integer arithmetic and IEEE float operations whose results are fully specified.
/// </summary>
/// <remarks>
/// Not thread-safe: give each thread (each agent, each environment) its own generator, for example
/// through <see cref="Split"/>.
/// </remarks>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpareNormal;
    private double _spareNormal;

    /// <summary>Creates a generator whose whole stream is determined by <paramref name="seed"/>.</summary>
    public RandomGenerator(ulong seed)
    {
        // SplitMix64 expands the 64-bit seed into a 256-bit state that is never all zeros.
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// The generator's whole state (the xoshiro words and the cached second normal draw), so a resumed training run
    /// continues the very stream it stopped in. Setting it makes this generator draw exactly what the one it was read
    /// from would draw next.
    /// </summary>
    /// <exception cref="ArgumentException">When set to the all-zero xoshiro state, which can never occur and would only draw zeros.</exception>
    internal RandomGeneratorState State
    {
        get => new(_s0, _s1, _s2, _s3, _hasSpareNormal, _spareNormal);
        set
        {
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
                throw new ArgumentException("RandomGenerator: the all-zero state is not a state of this generator.", nameof(value));
            (_s0, _s1, _s2, _s3, _hasSpareNormal, _spareNormal) = (value.S0, value.S1, value.S2, value.S3, value.HasSpareNormal, value.SpareNormal);
        }
    }

    /// <summary>Creates a generator from a signed seed (the bits are reinterpreted).</summary>
    public RandomGenerator(long seed) : this(unchecked((ulong)seed)) { }

    /// <summary>Creates a generator from an <see cref="int"/> seed (sign-extended).</summary>
    public RandomGenerator(int seed) : this((long)seed) { }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 uniformly distributed random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A new generator with an independent stream, seeded from this one.</summary>
    public RandomGenerator Split() => new(NextUInt64());

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform float in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public float Uniform(float low, float high) => low + (high - low) * NextSingle();

    /// <summary>Uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double UniformDouble(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "maxExclusive must be at least 1.");
        // Lemire's multiply-shift with rejection: unbiased and branch-light.
        ulong range = (ulong)maxExclusive;
        ulong product = (NextUInt64() >> 32) * range;
        uint low = (uint)product;
        if (low < range)
        {
            uint threshold = (uint)((0x1_0000_0000UL - range) % range);
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * range;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>Uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"maxExclusive must be greater than minInclusive ({minInclusive}).");
        return minInclusive + NextInt(maxExclusive - minInclusive);
    }

    /// <summary>Standard normal draw (polar Box–Muller, computed in double).</summary>
    public double NextNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpareNormal = true;
        return u * factor;
    }

    /// <summary>Normal draw with the given mean and standard deviation.</summary>
    public float Normal(float mean = 0f, float std = 1f) => (float)(mean + std * NextNormal());

    /// <summary>Standard Gumbel draw: −log(−log U), with U in (0, 1).</summary>
    public double NextGumbel()
    {
        double u;
        do { u = NextDouble(); } while (u == 0.0);
        return -Math.Log(-Math.Log(u));
    }

    /// <summary>
    /// Draws an index with probability proportional to <paramref name="weights"/> (non-negative, not all zero).
    /// </summary>
    /// <exception cref="ArgumentException">If a weight is negative or not finite, or all are zero.</exception>
    public int Categorical(ReadOnlySpan<float> weights)
    {
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            float w = weights[i];
            if (!(w >= 0) || float.IsInfinity(w))
                throw new ArgumentException($"weights[{i}] = {w}: weights must be finite and non-negative.", nameof(weights));
            total += w;
        }
        if (total <= 0)
            throw new ArgumentException("weights must contain at least one positive entry.", nameof(weights));
        double target = NextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            cumulative += weights[i];
            last = i;
            if (target < cumulative) return i;
        }
        return last; // rounding left target at the very top
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    [MethodImpl(HotPath.Optimized)]
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with normal draws.</summary>
    public void FillNormal(Span<float> destination, float mean = 0f, float std = 1f)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>Fills <paramref name="destination"/> with uniform draws in [low, high).</summary>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = low + (high - low) * NextSingle();
    }
}

/// <summary>The state of a <see cref="RandomGenerator"/>: its four xoshiro256** words and its cached normal draw.</summary>
internal readonly record struct RandomGeneratorState(ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareNormal, double SpareNormal);

using RLKit.Tensors;

namespace RLKit.Spaces;

/// <summary>
/// A (possibly unbounded) box in ℝⁿ of float32 values with per-element bounds, as Gymnasium's <c>Box</c>.
/// </summary>
public sealed class Box : Space
{
    private readonly float[] _low, _high;
    private readonly int[] _shape;

    /// <summary>A box with the same bounds for every element.</summary>
    /// <exception cref="ArgumentException">If low &gt; high, a bound is NaN, or the shape has a negative dimension.</exception>
    public Box(float low, float high, params int[] shape)
        : this(Filled(low, shape), Filled(high, shape), shape) { }

    /// <summary>A box with per-element bounds (flattened row-major, matching <paramref name="shape"/>).</summary>
    /// <exception cref="ArgumentException">If the bounds' lengths do not match the shape, a bound is NaN, or low &gt; high.</exception>
    public Box(float[] low, float[] high, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        ArgumentNullException.ThrowIfNull(shape);
        int size = SizeOf(shape);
        if (low.Length != size || high.Length != size)
            throw new ArgumentException($"Box: shape {Tensor.ShapeString(shape)} needs {size} bounds, got low {low.Length} and high {high.Length}.", nameof(shape));
        for (int i = 0; i < size; i++)
        {
            if (float.IsNaN(low[i]) || float.IsNaN(high[i]))
                throw new ArgumentException($"Box: bound {i} is NaN.", nameof(low));
            if (low[i] > high[i])
                throw new ArgumentException($"Box: low[{i}] = {low[i]} is greater than high[{i}] = {high[i]}.", nameof(low));
        }
        _low = (float[])low.Clone();
        _high = (float[])high.Clone();
        _shape = (int[])shape.Clone();
    }

    /// <summary>Lower bounds, flattened.</summary>
    public ReadOnlySpan<float> Low => _low;

    /// <summary>Upper bounds, flattened.</summary>
    public ReadOnlySpan<float> High => _high;

    /// <inheritdoc/>
    public override int[] Shape => (int[])_shape.Clone();

    /// <inheritdoc/>
    public override int FlatSize => _low.Length;

    /// <summary>True when every bound is finite.</summary>
    public bool IsBounded => _low.All(float.IsFinite) && _high.All(float.IsFinite);

    /// <inheritdoc/>
    public override string Description
    {
        get
        {
            string Bound(float[] b) => b.Length > 0 && b.All(v => v == b[0])
                ? b[0].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)
                : "[" + string.Join(", ", b.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture))) + "]";
            return $"Box({Bound(_low)}, {Bound(_high)}, {Tensor.ShapeString(_shape)})";
        }
    }

    /// <summary>
    /// Writes a random element into <paramref name="destination"/>: uniform on bounded dimensions, normal where
    /// both bounds are infinite, and shifted exponential where one is (Gymnasium's rule).
    /// </summary>
    public void Sample(RandomGenerator rng, Span<float> destination)
    {
        CheckLength(destination.Length, nameof(destination));
        for (int i = 0; i < _low.Length; i++)
        {
            float lo = _low[i], hi = _high[i];
            bool finiteLow = float.IsFinite(lo), finiteHigh = float.IsFinite(hi);
            destination[i] = (finiteLow, finiteHigh) switch
            {
                (true, true) => lo + (hi - lo) * rng.NextSingle(),
                (false, false) => rng.Normal(),
                (true, false) => lo - (float)Math.Log(1 - rng.NextDouble()),
                _ => hi + (float)Math.Log(1 - rng.NextDouble()),
            };
        }
    }

    /// <summary>Whether <paramref name="value"/> has the box's size, no NaN, and lies within the bounds.</summary>
    public bool Contains(ReadOnlySpan<float> value)
    {
        if (value.Length != _low.Length) return false;
        for (int i = 0; i < value.Length; i++)
            if (!(value[i] >= _low[i] && value[i] <= _high[i])) return false;
        return true;
    }

    /// <summary>Clips <paramref name="value"/> into the box in place.</summary>
    public void Clip(Span<float> value)
    {
        CheckLength(value.Length, nameof(value));
        for (int i = 0; i < value.Length; i++) value[i] = Math.Clamp(value[i], _low[i], _high[i]);
    }

    private void CheckLength(int length, string name)
    {
        if (length != _low.Length)
            throw new ArgumentException($"{Description}: expected {_low.Length} values, got {length}.", name);
    }

    private static int SizeOf(int[] shape)
    {
        int size = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Box: shape {Tensor.ShapeString(shape)} has a negative dimension.", nameof(shape));
            size *= d;
        }
        return size;
    }

    private static float[] Filled(float value, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var a = new float[SizeOf(shape)];
        Array.Fill(a, value);
        return a;
    }
}

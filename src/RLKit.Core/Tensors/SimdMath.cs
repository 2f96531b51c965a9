using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RLKit.Tensors;

/// <summary>
/// Element-wise kernels written directly on <see cref="Vector{T}"/> (AVX2 on x64, NEON on Arm), used where
/// TensorPrimitives costs too much for RL-sized tensors: its float Exp computes in double, and its per-call
/// overhead dominates on the 64-wide rows of a broadcast bias add.
/// </summary>
internal static class SimdMath
{
    // Cephes expf: exp(x) = 2^n · exp(r), n = round(x / ln 2), r = x − n·ln 2 split in two parts so r is exact,
    // then a degree-5 minimax polynomial for exp(r) − 1 − r. Relative error about 2 ulp over the float range.
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float MaxInput = 88.3762626647949f;
    private const float MinInput = -87.3365478515625f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
                        P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpCore(Vector<float> x)
    {
        var clamped = Vector.Min(Vector.Max(x, new Vector<float>(MinInput)), new Vector<float>(MaxInput));
        var n = Vector.Floor(clamped * new Vector<float>(Log2E) + new Vector<float>(0.5f));
        var r = clamped - n * new Vector<float>(Ln2Hi) - n * new Vector<float>(Ln2Lo);
        var r2 = r * r;
        var p = new Vector<float>(P0);
        p = p * r + new Vector<float>(P1);
        p = p * r + new Vector<float>(P2);
        p = p * r + new Vector<float>(P3);
        p = p * r + new Vector<float>(P4);
        p = p * r + new Vector<float>(P5);
        p = p * r2 + r + Vector<float>.One;
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        var result = p * scale;
        // Restore IEEE behaviour outside the clamped range, and NaN.
        result = Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<float>(MaxInput)), new Vector<float>(float.PositiveInfinity), result);
        result = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(MinInput)), Vector<float>.Zero, result);
        return Vector.ConditionalSelect(Vector.Equals(x, x), result, x);
    }

    /// <summary>
    /// <see cref="ExpCore(Vector{float})"/> on 512-bit vectors. Vector&lt;T&gt; stays 256 bits wide on AVX-512
    /// hardware, so the wider path is spelled out once more: it doubles the throughput of exp and tanh there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpCore(Vector512<float> x)
    {
        var clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(MinInput)), Vector512.Create(MaxInput));
        var n = Vector512.Floor(clamped * Vector512.Create(Log2E) + Vector512.Create(0.5f));
        var r = clamped - n * Vector512.Create(Ln2Hi) - n * Vector512.Create(Ln2Lo);
        var r2 = r * r;
        var p = Vector512.Create(P0);
        p = p * r + Vector512.Create(P1);
        p = p * r + Vector512.Create(P2);
        p = p * r + Vector512.Create(P3);
        p = p * r + Vector512.Create(P4);
        p = p * r + Vector512.Create(P5);
        p = p * r2 + r + Vector512<float>.One;
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        var result = p * scale;
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(MaxInput)), Vector512.Create(float.PositiveInfinity), result);
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(MinInput)), Vector512<float>.Zero, result);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    private static float ExpScalar(float x) => MathF.Exp(x);

    /// <summary>y = eˣ.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void Exp(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, width = Vector<float>.Count;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.StoreUnsafe(ExpCore(Vector512.LoadUnsafe(ref xs, (nuint)i)), ref ys, (nuint)i);
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - width; i += width)
                Vector.StoreUnsafe(ExpCore(Vector.LoadUnsafe(ref xs, (nuint)i)), ref ys, (nuint)i);
        for (; i < x.Length; i++) y[i] = ExpScalar(x[i]);
    }

    /// <summary>y = tanh(x) = 1 − 2/(e^{2x} + 1), saturating cleanly to ±1.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, width = Vector<float>.Count;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<float>.One;
            var two = Vector512.Create(2f);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var e = ExpCore(Vector512.LoadUnsafe(ref xs, (nuint)i) * two);
                Vector512.StoreUnsafe(one - two / (e + one), ref ys, (nuint)i);
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            var two = new Vector<float>(2f);
            for (; i <= x.Length - width; i += width)
            {
                var e = ExpCore(Vector.LoadUnsafe(ref xs, (nuint)i) * two);
                Vector.StoreUnsafe(one - two / (e + one), ref ys, (nuint)i);
            }
        }
        for (; i < x.Length; i++) y[i] = 1f - 2f / (MathF.Exp(2f * x[i]) + 1f);
    }

    /// <summary>dx = g · (1 − y²), the tanh backward, in one pass.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0, width = Vector<float>.Count;
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - width; i += width)
            {
                var v = Vector.LoadUnsafe(ref ys, (nuint)i);
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref gs, (nuint)i) * (Vector<float>.One - v * v), ref ds, (nuint)i);
            }
        for (; i < y.Length; i++) dx[i] = g[i] * (1f - y[i] * y[i]);
    }

    /// <summary>The vectorisable binary ops, as generic value types so the JIT specialises each loop.</summary>
    internal interface IBinaryOp
    {
        static abstract Vector<float> Invoke(Vector<float> a, Vector<float> b);
        static abstract float Invoke(float a, float b);
    }

    internal readonly struct AddOp : IBinaryOp
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> b) => a + b;
        public static float Invoke(float a, float b) => a + b;
    }

    internal readonly struct SubOp : IBinaryOp
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> b) => a - b;
        public static float Invoke(float a, float b) => a - b;
    }

    internal readonly struct MulOp : IBinaryOp
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> b) => a * b;
        public static float Invoke(float a, float b) => a * b;
    }

    internal readonly struct DivOp : IBinaryOp
    {
        public static Vector<float> Invoke(Vector<float> a, Vector<float> b) => a / b;
        public static float Invoke(float a, float b) => a / b;
    }

    /// <summary>y[i] = op(a[i], b[i]).</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void Binary<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where TOp : IBinaryOp
    {
        int i = 0, width = Vector<float>.Count;
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - width; i += width)
                Vector.StoreUnsafe(TOp.Invoke(Vector.LoadUnsafe(ref ar, (nuint)i), Vector.LoadUnsafe(ref br, (nuint)i)), ref yr, (nuint)i);
        for (; i < y.Length; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
    }

    /// <summary>y[i] = op(a[i], b).</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void Binary<TOp>(ReadOnlySpan<float> a, float b, Span<float> y) where TOp : IBinaryOp
    {
        int i = 0, width = Vector<float>.Count;
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float yr = ref MemoryMarshal.GetReference(y);
        var bv = new Vector<float>(b);
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - width; i += width)
                Vector.StoreUnsafe(TOp.Invoke(Vector.LoadUnsafe(ref ar, (nuint)i), bv), ref yr, (nuint)i);
        for (; i < y.Length; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref ar, i), b);
    }

    /// <summary>y[i] = op(a, b[i]).</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void Binary<TOp>(float a, ReadOnlySpan<float> b, Span<float> y) where TOp : IBinaryOp
    {
        int i = 0, width = Vector<float>.Count;
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        var av = new Vector<float>(a);
        if (Vector.IsHardwareAccelerated)
            for (; i <= y.Length - width; i += width)
                Vector.StoreUnsafe(TOp.Invoke(av, Vector.LoadUnsafe(ref br, (nuint)i)), ref yr, (nuint)i);
        for (; i < y.Length; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(a, Unsafe.Add(ref br, i));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RLKit.Tensors.Gemm;

/// <summary>
/// The handful of vector operations the GEMM kernels need, as static abstract members so that a kernel
/// written once as a generic method is specialised by the JIT for each vector width (the type
/// arguments are structs, so every call below is devirtualised and inlined).
/// </summary>
/// <typeparam name="TVec">The vector type, e.g. <see cref="Vector512{T}"/> of float.</typeparam>
internal interface IGemmSimd<TVec>
    where TVec : struct
{
    /// <summary>Gets the number of floats in one vector.</summary>
    static abstract int Width { get; }

    /// <summary>Gets MR, the row count of the packed micro-kernel (its tile is MR × 2·Width).</summary>
    static abstract int PackedRows { get; }

    /// <summary>
    /// Gets how many vector accumulators an unpacked register tile may hold without spilling: 16 where the
    /// hardware has 32 vector registers (AVX-512VL, Arm64), 8 where it has 16 (leaving room for operands).
    /// </summary>
    static abstract int Accumulators { get; }

    /// <summary>
    /// Gets whether the packing routines may use x86 helpers (AVX 8×8 register transposes). False for the portable
    /// family, so that on x64 it runs exactly the code an Arm64 machine runs and tests exercise that code.
    /// </summary>
    static abstract bool UsesX86Helpers { get; }

    /// <summary>
    /// Gets whether <see cref="LoadMasked"/> and <see cref="StoreMasked"/> are available (fault-suppressing masked
    /// moves: AVX / AVX-512). Without them, ragged edges go through zero-padded scratch copies instead.
    /// </summary>
    static abstract bool HasMaskedAccess { get; }

    /// <summary>Gets the all-zero vector.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Returns a mask selecting the first <paramref name="count"/> lanes (0 ≤ count ≤ Width).</summary>
    static abstract TVec Mask(int count);

    /// <summary>Loads the lanes selected by <paramref name="mask"/> and zeroes the others; never touches memory of unselected lanes.</summary>
    static abstract unsafe TVec LoadMasked(float* source, TVec mask);

    /// <summary>Stores the lanes selected by <paramref name="mask"/>; never touches memory of unselected lanes.</summary>
    static abstract unsafe void StoreMasked(float* destination, TVec mask, TVec value);

    /// <summary>Loads <see cref="Width"/> floats (no alignment required).</summary>
    static abstract unsafe TVec Load(float* source);

    /// <summary>Stores <see cref="Width"/> floats (no alignment required).</summary>
    static abstract unsafe void Store(float* destination, TVec value);

    /// <summary>Broadcasts one float to every lane.</summary>
    static abstract TVec Broadcast(float value);

    /// <summary>Returns <paramref name="accumulator"/> + <paramref name="left"/>·<paramref name="right"/>.</summary>
    static abstract TVec MulAdd(TVec left, TVec right, TVec accumulator);

    /// <summary>Returns the lane-wise sum.</summary>
    static abstract TVec Add(TVec left, TVec right);

    /// <summary>
    /// Returns the lane sums of four vectors, [Σ s0, Σ s1, Σ s2, Σ s3], through a fixed tree of pairwise adds
    /// (deterministic, and about a quarter of the work of four separate reductions).
    /// </summary>
    static abstract Vector128<float> Reduce4(TVec s0, TVec s1, TVec s2, TVec s3);

    /// <summary>The scalar counterpart of <see cref="MulAdd"/>, rounding exactly like one of its lanes.</summary>
    static abstract float ScalarMulAdd(float left, float right, float accumulator);
}

/// <summary>AVX-512 (16 floats, FMA). Only used when <see cref="Avx512F.IsSupported"/>.</summary>
internal readonly struct GemmSimd512 : IGemmSimd<Vector512<float>>
{
    /// <inheritdoc/>
    public static int Width => 16;

    // 8 rows × 32 columns: 16 zmm accumulators + 2 B vectors + 1 broadcast. Zen 5 retires two 512-bit
    // FMAs per cycle with latency 4, so 16 independent chains keep both pipes busy; 8 broadcasts + 2
    // loads per 16 FMAs stay well inside its load bandwidth. In isolation (operands in L1) this tile runs
    // at ~93% of peak, so a taller tile would buy little and waste more on ragged edges of small matrices.
    /// <inheritdoc/>
    public static int PackedRows => 8;

    /// <inheritdoc/>
    public static int Accumulators => 16;

    /// <inheritdoc/>
    public static bool UsesX86Helpers => true;

    /// <inheritdoc/>
    public static bool HasMaskedAccess => true;

    /// <inheritdoc/>
    public static Vector512<float> Zero => Vector512<float>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mask(int count)
        => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> LoadMasked(float* source, Vector512<float> mask)
        => Avx512F.MaskLoad(source, mask, Vector512<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, Vector512<float> mask, Vector512<float> value)
        => Avx512F.MaskStore(destination, mask, value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> Load(float* source) => Vector512.Load(source);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(float* destination, Vector512<float> value) => value.Store(destination);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> left, Vector512<float> right, Vector512<float> accumulator)
        => Avx512F.FusedMultiplyAdd(left, right, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reduce4(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3)
        => GemmSimd256.Reduce4(
            s0.GetLower() + s0.GetUpper(),
            s1.GetLower() + s1.GetUpper(),
            s2.GetLower() + s2.GetUpper(),
            s3.GetLower() + s3.GetUpper());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScalarMulAdd(float left, float right, float accumulator)
        => MathF.FusedMultiplyAdd(left, right, accumulator);
}

/// <summary>AVX2 + FMA (8 floats). Only used when <see cref="Avx2.IsSupported"/> and <see cref="Fma.IsSupported"/>.</summary>
internal readonly struct GemmSimd256 : IGemmSimd<Vector256<float>>
{
    /// <inheritdoc/>
    public static int Width => 8;

    // 6 rows × 16 columns: 12 ymm accumulators + 2 B vectors + 1 broadcast = 15 of the 16 registers plain
    // AVX2 has. With AVX-512VL the JIT may use ymm16-31 too, but then the 512-bit kernel is chosen anyway.
    /// <inheritdoc/>
    public static int PackedRows => 6;

    /// <inheritdoc/>
    public static int Accumulators => Avx512F.VL.IsSupported ? 16 : 8;

    /// <inheritdoc/>
    public static bool UsesX86Helpers => true;

    /// <inheritdoc/>
    public static bool HasMaskedAccess => true;

    /// <inheritdoc/>
    public static Vector256<float> Zero => Vector256<float>.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mask(int count)
        => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> LoadMasked(float* source, Vector256<float> mask) => Avx.MaskLoad(source, mask);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreMasked(float* destination, Vector256<float> mask, Vector256<float> value)
        => Avx.MaskStore(destination, mask, value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Load(float* source) => Vector256.Load(source);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(float* destination, Vector256<float> value) => value.Store(destination);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> left, Vector256<float> right, Vector256<float> accumulator)
        => Fma.MultiplyAdd(left, right, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reduce4(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        // hadd(hadd(s0, s1), hadd(s2, s3)) leaves [Σ s0 .. Σ s3] split across the two 128-bit lanes.
        Vector256<float> sums = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
        return sums.GetLower() + sums.GetUpper();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScalarMulAdd(float left, float right, float accumulator)
        => MathF.FusedMultiplyAdd(left, right, accumulator);
}

/// <summary>
/// Portable 128-bit fallback (Arm64 AdvSimd, SSE, or software): no x86-specific helpers and no FMA assumption; it uses
/// <see cref="Vector128.MultiplyAddEstimate(Vector128{float}, Vector128{float}, Vector128{float})"/>, which fuses
/// where the hardware can and otherwise multiplies then adds. On one machine the choice is fixed, so results stay
/// deterministic.
/// </summary>
internal readonly struct GemmSimd128 : IGemmSimd<Vector128<float>>
{
    /// <inheritdoc/>
    public static int Width => 4;

    // Arm64 has 32 vector registers: 8 rows × 8 columns = 16 accumulators fit with room to spare.
    // x64 without AVX2 has 16: 6 rows (12 accumulators + 2 B + 1 broadcast) is the most that fits.
    /// <inheritdoc/>
    public static int PackedRows => AdvSimd.Arm64.IsSupported ? 8 : 6;

    /// <inheritdoc/>
    public static int Accumulators => AdvSimd.Arm64.IsSupported || Avx512F.VL.IsSupported ? 16 : 8;

    /// <inheritdoc/>
    public static bool UsesX86Helpers => false;

    /// <inheritdoc/>
    public static bool HasMaskedAccess => false;

    /// <inheritdoc/>
    public static Vector128<float> Zero => Vector128<float>.Zero;

    /// <inheritdoc/>
    public static Vector128<float> Mask(int count)
        => Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle();

    /// <inheritdoc/>
    public static unsafe Vector128<float> LoadMasked(float* source, Vector128<float> mask)
        => throw new NotSupportedException("The portable GEMM kernels use zero-padded scratch instead of masked loads.");

    /// <inheritdoc/>
    public static unsafe void StoreMasked(float* destination, Vector128<float> mask, Vector128<float> value)
        => throw new NotSupportedException("The portable GEMM kernels use zero-padded scratch instead of masked stores.");

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector128<float> Load(float* source) => Vector128.Load(source);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store(float* destination, Vector128<float> value) => value.Store(destination);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> left, Vector128<float> right, Vector128<float> accumulator)
        => Vector128.MultiplyAddEstimate(left, right, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reduce4(Vector128<float> s0, Vector128<float> s1, Vector128<float> s2, Vector128<float> s3)
    {
        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(s0, s1), AdvSimd.Arm64.AddPairwise(s2, s3));
        }

        // The same pairwise tree, spelled out (x64 runs this too, on purpose: see UsesX86Helpers).
        return Vector128.Create(
            (s0.GetElement(0) + s0.GetElement(1)) + (s0.GetElement(2) + s0.GetElement(3)),
            (s1.GetElement(0) + s1.GetElement(1)) + (s1.GetElement(2) + s1.GetElement(3)),
            (s2.GetElement(0) + s2.GetElement(1)) + (s2.GetElement(2) + s2.GetElement(3)),
            (s3.GetElement(0) + s3.GetElement(1)) + (s3.GetElement(2) + s3.GetElement(3)));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScalarMulAdd(float left, float right, float accumulator)
        => float.MultiplyAddEstimate(left, right, accumulator);
}

/// <summary>A compile-time row count: the JIT folds <see cref="Count"/> and drops the code for unused rows.</summary>
internal interface IGemmRows
{
    /// <summary>Gets the number of rows.</summary>
    static abstract int Count { get; }
}

/// <summary>One row.</summary>
internal readonly struct GemmRows1 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 1;
}

/// <summary>Two rows.</summary>
internal readonly struct GemmRows2 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 2;
}

/// <summary>Three rows.</summary>
internal readonly struct GemmRows3 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 3;
}

/// <summary>Four rows.</summary>
internal readonly struct GemmRows4 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 4;
}

/// <summary>Five rows.</summary>
internal readonly struct GemmRows5 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 5;
}

/// <summary>Six rows.</summary>
internal readonly struct GemmRows6 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 6;
}

/// <summary>Seven rows.</summary>
internal readonly struct GemmRows7 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 7;
}

/// <summary>Eight rows.</summary>
internal readonly struct GemmRows8 : IGemmRows
{
    /// <inheritdoc/>
    public static int Count => 8;
}

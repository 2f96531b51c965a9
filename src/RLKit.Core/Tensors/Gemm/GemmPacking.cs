using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RLKit.Tensors.Gemm;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, k-major micro-panel layout the micro-kernel streams.
/// Transposed operands are handled here, so no transposed matrix is ever materialised.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the <paramref name="mc"/> × <paramref name="kc"/> block of op(A) whose top-left element is at
    /// <paramref name="a"/> into panels of <paramref name="mr"/> rows: panel q holds rows q·mr.., element (r, p)
    /// at <c>destination[q·mr·kc + p·mr + r]</c>.
    /// </summary>
    /// <remarks>
    /// The rows missing from a ragged last panel are left unwritten: the micro-kernel is instantiated for the
    /// exact row count and never reads them.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    public static void PackA<TSimd, TVec>(bool transA, float* a, int lda, int mc, int kc, int mr, float* destination)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            float* panel = destination + ((nint)i0 * kc);
            if (transA)
            {
                PackAPanelFromColumns<TSimd, TVec>(a + i0, lda, rows, kc, mr, panel);
            }
            else
            {
                PackAPanelFromRows<TSimd, TVec>(a + ((nint)i0 * lda), lda, rows, kc, mr, panel);
            }
        }
    }

    /// <summary>
    /// Packs the <paramref name="kc"/> × <paramref name="nc"/> block of op(B) whose top-left element is at
    /// <paramref name="b"/> into panels of <paramref name="nr"/> columns: panel q holds columns q·nr.., element
    /// (p, c) at <c>destination[q·nr·kc + p·nr + c]</c>; a ragged last panel is zero-padded to nr columns.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static void PackB<TSimd, TVec>(bool transB, float* b, int ldb, int kc, int nc, int nr, float* destination)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            float* panel = destination + ((nint)j0 * kc);
            if (transB)
            {
                PackBPanelFromRows<TSimd, TVec>(b + ((nint)j0 * ldb), ldb, cols, kc, nr, panel);
            }
            else
            {
                PackBPanelFromColumns<TSimd, TVec>(b + j0, ldb, cols, kc, nr, panel);
            }
        }
    }

    // op(A) = A stored row-major: each row is contiguous along k, so a full panel is read as 8 (k) × 8 (rows)
    // blocks and transposed in registers: one load and one store per 8 floats instead of a strided gather.
    // A 6-row panel (the AVX2 tile) goes through the same transpose with its last row repeated; each 8-float
    // store then spills 2 floats into the next k's slot, which the following store (or the tail loop, or the
    // next panel) overwrites. The buffer carries slack for the very last spill.
    [MethodImpl(HotPath.Optimized)]
    private static void PackAPanelFromRows<TSimd, TVec>(float* a, int lda, int rows, int kc, int mr, float* panel)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int p = 0;
        if (TSimd.UsesX86Helpers && Avx.IsSupported && rows == mr)
        {
            if (mr == 8)
            {
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8(a + p, lda, panel + (p * 8), 8, sourceRows: 8);
                }
            }
            else if (mr == 6)
            {
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8(a + p, lda, panel + (p * 6), 6, sourceRows: 6);
                }
            }
        }

        for (; p < kc; p++)
        {
            float* source = a + p;
            float* target = panel + ((nint)p * mr);
            for (int r = 0; r < rows; r++)
            {
                target[r] = source[(nint)r * lda];
            }
        }
    }

    // op(A) = Aᵀ with A stored k×m: the mr values of one k are already adjacent, a straight copy.
    [MethodImpl(HotPath.Optimized)]
    private static void PackAPanelFromColumns<TSimd, TVec>(float* a, int lda, int rows, int kc, int mr, float* panel)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        if (TSimd.UsesX86Helpers && rows == 8 && Vector256.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++)
            {
                Vector256.Load(a + ((nint)p * lda)).Store(panel + ((nint)p * mr));
            }

            return;
        }

        if (TSimd.UsesX86Helpers && rows == 6 && Vector128.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++)
            {
                float* source = a + ((nint)p * lda);
                float* target = panel + ((nint)p * mr);
                Vector128.Load(source).Store(target);
                target[4] = source[4];
                target[5] = source[5];
            }

            return;
        }

        for (int p = 0; p < kc; p++)
        {
            float* source = a + ((nint)p * lda);
            float* target = panel + ((nint)p * mr);
            for (int r = 0; r < rows; r++)
            {
                target[r] = source[r];
            }
        }
    }

    // op(B) = B stored row-major: the nr values of one k are adjacent, a straight copy.
    [MethodImpl(HotPath.Optimized)]
    private static void PackBPanelFromColumns<TSimd, TVec>(float* b, int ldb, int cols, int kc, int nr, float* panel)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        for (int p = 0; p < kc; p++)
        {
            float* source = b + ((nint)p * ldb);
            float* target = panel + ((nint)p * nr);
            int c = 0;
            if (Vector128.IsHardwareAccelerated)
            {
                if (TSimd.UsesX86Helpers && Vector256.IsHardwareAccelerated)
                {
                    for (; c + 8 <= cols; c += 8)
                    {
                        Vector256.Load(source + c).Store(target + c);
                    }
                }

                for (; c + 4 <= cols; c += 4)
                {
                    Vector128.Load(source + c).Store(target + c);
                }
            }

            for (; c < cols; c++)
            {
                target[c] = source[c];
            }

            for (; c < nr; c++)
            {
                target[c] = 0f;
            }
        }
    }

    // op(B) = Bᵀ with B stored n×k: each column of op(B) is a contiguous row of B, so full panels are
    // transposed 8 columns × 8 k at a time in registers.
    [MethodImpl(HotPath.Optimized)]
    private static void PackBPanelFromRows<TSimd, TVec>(float* b, int ldb, int cols, int kc, int nr, float* panel)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int p = 0;
        if (TSimd.UsesX86Helpers && Avx.IsSupported && cols == nr && nr % 8 == 0)
        {
            for (; p + 8 <= kc; p += 8)
            {
                for (int g = 0; g < nr; g += 8)
                {
                    Transpose8x8(b + ((nint)g * ldb) + p, ldb, panel + ((nint)p * nr) + g, nr, sourceRows: 8);
                }
            }
        }

        for (; p < kc; p++)
        {
            float* source = b + p;
            float* target = panel + ((nint)p * nr);
            int c = 0;
            for (; c < cols; c++)
            {
                target[c] = source[(nint)c * ldb];
            }

            for (; c < nr; c++)
            {
                target[c] = 0f;
            }
        }
    }

    /// <summary>
    /// Transposes the 8×8 block at <paramref name="source"/> (row stride <paramref name="sourceStride"/>) into
    /// <paramref name="destination"/> (row stride <paramref name="destinationStride"/>) with the classic
    /// unpack / shuffle / lane-permute sequence. With <paramref name="sourceRows"/> = 6 only six rows are read
    /// (the last is repeated), and each stored row of 8 carries 2 junk floats past its 6 valid ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, nint sourceStride, float* destination, nint destinationStride, int sourceRows)
    {
        Vector256<float> r0 = Avx.LoadVector256(source);
        Vector256<float> r1 = Avx.LoadVector256(source + sourceStride);
        Vector256<float> r2 = Avx.LoadVector256(source + (2 * sourceStride));
        Vector256<float> r3 = Avx.LoadVector256(source + (3 * sourceStride));
        Vector256<float> r4 = Avx.LoadVector256(source + (4 * sourceStride));
        Vector256<float> r5 = Avx.LoadVector256(source + (5 * sourceStride));
        Vector256<float> r6 = sourceRows > 6 ? Avx.LoadVector256(source + (6 * sourceStride)) : r5;
        Vector256<float> r7 = sourceRows > 6 ? Avx.LoadVector256(source + (7 * sourceStride)) : r5;

        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + (2 * destinationStride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + (3 * destinationStride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + (4 * destinationStride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + (5 * destinationStride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + (6 * destinationStride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + (7 * destinationStride), Avx.Permute2x128(s3, s7, 0x31));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace RLKit.Tensors.Gemm;

/// <summary>
/// The register-blocked micro-kernel of the packed GEMM path: one tile of up to MR rows × 2 vectors of C,
/// accumulated over one KC block of packed A and packed B.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>
    /// Computes the top <typeparamref name="TRows"/> rows of one MR × NR tile:
    /// C = (overwrite ? 0 : C) + Apanel · Bpanel, where Apanel is kc steps of MR packed floats and Bpanel kc steps of
    /// NR = 2·Width packed floats.
    /// </summary>
    /// <remarks>
    /// Each C element is accumulated in its own lane, from zero, one fused multiply-add per k in increasing k,
    /// then added to C once: the result of an element never depends on which tile, thread or row count computed it.
    /// Rows beyond <typeparamref name="TRows"/> are neither read nor computed, so a ragged bottom edge costs only
    /// its own rows.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    [SkipLocalsInit]
    public static unsafe void Tile<TSimd, TVec, TRows>(int kc, float* a, float* b, float* c, int ldc, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
    {
        int w = TSimd.Width;
        int mr = TSimd.PackedRows;
        if (Sse.IsSupported)
        {
            // The C tile is only touched after the k loop; requesting its lines now hides their L2/L3 latency
            // behind the loop instead of stalling on 2-3 lines per row at the end.
            for (int r = 0; r < TRows.Count; r++)
            {
                float* row = c + ((nint)r * ldc);
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + (2 * w) - 1);
            }
        }

        TVec c00 = TSimd.Zero, c01 = TSimd.Zero;
        TVec c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero;
        TVec c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero;
        TVec c50 = TSimd.Zero, c51 = TSimd.Zero;
        TVec c60 = TSimd.Zero, c61 = TSimd.Zero;
        TVec c70 = TSimd.Zero, c71 = TSimd.Zero;

        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TSimd.Load(b);
            TVec b1 = TSimd.Load(b + w);
            TVec ar = TSimd.Broadcast(a[0]);
            c00 = TSimd.MulAdd(ar, b0, c00);
            c01 = TSimd.MulAdd(ar, b1, c01);
            if (TRows.Count > 1)
            {
                ar = TSimd.Broadcast(a[1]);
                c10 = TSimd.MulAdd(ar, b0, c10);
                c11 = TSimd.MulAdd(ar, b1, c11);
            }

            if (TRows.Count > 2)
            {
                ar = TSimd.Broadcast(a[2]);
                c20 = TSimd.MulAdd(ar, b0, c20);
                c21 = TSimd.MulAdd(ar, b1, c21);
            }

            if (TRows.Count > 3)
            {
                ar = TSimd.Broadcast(a[3]);
                c30 = TSimd.MulAdd(ar, b0, c30);
                c31 = TSimd.MulAdd(ar, b1, c31);
            }

            if (TRows.Count > 4)
            {
                ar = TSimd.Broadcast(a[4]);
                c40 = TSimd.MulAdd(ar, b0, c40);
                c41 = TSimd.MulAdd(ar, b1, c41);
            }

            if (TRows.Count > 5)
            {
                ar = TSimd.Broadcast(a[5]);
                c50 = TSimd.MulAdd(ar, b0, c50);
                c51 = TSimd.MulAdd(ar, b1, c51);
            }

            if (TRows.Count > 6)
            {
                ar = TSimd.Broadcast(a[6]);
                c60 = TSimd.MulAdd(ar, b0, c60);
                c61 = TSimd.MulAdd(ar, b1, c61);
            }

            if (TRows.Count > 7)
            {
                ar = TSimd.Broadcast(a[7]);
                c70 = TSimd.MulAdd(ar, b0, c70);
                c71 = TSimd.MulAdd(ar, b1, c71);
            }

            a += mr;
            b += 2 * w;
        }

        StoreRow<TSimd, TVec>(c, c00, c01, overwrite);
        if (TRows.Count > 1)
        {
            StoreRow<TSimd, TVec>(c + (1 * ldc), c10, c11, overwrite);
        }

        if (TRows.Count > 2)
        {
            StoreRow<TSimd, TVec>(c + (2 * ldc), c20, c21, overwrite);
        }

        if (TRows.Count > 3)
        {
            StoreRow<TSimd, TVec>(c + (3 * ldc), c30, c31, overwrite);
        }

        if (TRows.Count > 4)
        {
            StoreRow<TSimd, TVec>(c + (4 * ldc), c40, c41, overwrite);
        }

        if (TRows.Count > 5)
        {
            StoreRow<TSimd, TVec>(c + (5 * ldc), c50, c51, overwrite);
        }

        if (TRows.Count > 6)
        {
            StoreRow<TSimd, TVec>(c + (6 * ldc), c60, c61, overwrite);
        }

        if (TRows.Count > 7)
        {
            StoreRow<TSimd, TVec>(c + (7 * ldc), c70, c71, overwrite);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StoreRow<TSimd, TVec>(float* c, TVec low, TVec high, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int w = TSimd.Width;
        if (overwrite)
        {
            TSimd.Store(c, low);
            TSimd.Store(c + w, high);
        }
        else
        {
            TSimd.Store(c, TSimd.Add(TSimd.Load(c), low));
            TSimd.Store(c + w, TSimd.Add(TSimd.Load(c + w), high));
        }
    }
}

using System.Runtime.CompilerServices;

namespace RLKit.Tensors.Gemm;

/// <summary>
/// The packed, cache-blocked GEMM path (the BLIS loop nest) for one block of C on the calling thread.
/// </summary>
/// <remarks>
/// Loop order, outermost first: NC columns of C (the packed KC × NC panel of B lives in L2/L3), KC steps of k
/// (B panel packed once per step), MC rows (the packed MC × KC block of A lives in L2), then the macro-kernel:
/// NR-column micro-panels of B (one KC × NR micro-panel, 32 KB at KC = 256, stays in Zen 5's 48 KB L1) against
/// MR-row micro-panels of A streamed from L2.
/// </remarks>
internal static unsafe class GemmPacked
{
    /// <summary>The largest k step; one packed B micro-panel is KC × NR floats and should stay in L1.</summary>
    public const int MaxKc = 256;

    /// <summary>Rows of A packed at once: an MC × KC block (128 KB) sits comfortably in a 1 MB L2.</summary>
    private const int Mc = 128;

    /// <summary>Columns of B packed at once: a KC × NC panel (2 MB) is shared via L3 by all MC blocks.</summary>
    private const int Nc = 2048;

    /// <summary>
    /// Chooses the k step for a product with inner dimension <paramref name="k"/>: the fewest steps of at most
    /// <see cref="MaxKc"/>, made equal so no step is a sliver. It depends on k alone, which keeps the summation
    /// order of every C element independent of how C is split among threads.
    /// </summary>
    public static int KcFor(int k)
    {
        int steps = (k + MaxKc - 1) / MaxKc;
        return (k + steps - 1) / steps;
    }

    /// <summary>Computes one block of C (the whole of <paramref name="problem"/>) on the calling thread.</summary>
    [MethodImpl(HotPath.Optimized)]
    [SkipLocalsInit]
    public static void Run<TSimd, TVec>(in GemmProblem problem, int kcStep)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int mr = TSimd.PackedRows;
        int nr = 2 * TSimd.Width;
        int m = problem.M;
        int n = problem.N;
        int k = problem.K;

        // Whole micro-panels per block, so only the last block of the matrix has a ragged panel.
        int mcStep = Mc / mr * mr;
        int ncStep = Nc / nr * nr;
        int ncMax = Math.Min(ncStep, RoundUp(n, nr));
        int mcMax = Math.Min(mcStep, RoundUp(m, mr));
        int kcMax = Math.Min(kcStep, k);
        float* packedB = GemmBuffers.PackedB((long)ncMax * kcMax);
        float* packedA = GemmBuffers.PackedA(((long)mcMax * kcMax) + 8); // + slack for the 6-row packing spill

        // Ragged right-edge tiles are computed full width (B is zero-padded) into this tile, then merged.
        float* edgeTile = stackalloc float[8 * 32];

        for (int jc = 0; jc < n; jc += ncStep)
        {
            int nc = Math.Min(ncStep, n - jc);
            for (int pc = 0; pc < k; pc += kcStep)
            {
                int kc = Math.Min(kcStep, k - pc);
                bool overwrite = pc == 0 && !problem.Accumulate;
                GemmPacking.PackB<TSimd, TVec>(problem.TransB, problem.BAt(pc, jc), problem.Ldb, kc, nc, nr, packedB);

                for (int ic = 0; ic < m; ic += mcStep)
                {
                    int mc = Math.Min(mcStep, m - ic);
                    GemmPacking.PackA<TSimd, TVec>(problem.TransA, problem.AAt(ic, pc), problem.Lda, mc, kc, mr, packedA);
                    MacroKernel<TSimd, TVec>(mc, nc, kc, packedA, packedB, problem.C + ((nint)ic * problem.Ldc) + jc, problem.Ldc, overwrite, edgeTile);
                }
            }
        }
    }

    [MethodImpl(HotPath.Optimized)]
    private static void MacroKernel<TSimd, TVec>(int mc, int nc, int kc, float* packedA, float* packedB, float* c, int ldc, bool overwrite, float* edgeTile)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int mr = TSimd.PackedRows;
        int nr = 2 * TSimd.Width;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* bPanel = packedB + ((nint)jr * kc);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                float* aPanel = packedA + ((nint)ir * kc);
                float* cTile = c + ((nint)ir * ldc) + jr;
                if (cols == nr)
                {
                    Tile<TSimd, TVec>(rows, kc, aPanel, bPanel, cTile, ldc, overwrite);
                }
                else
                {
                    Tile<TSimd, TVec>(rows, kc, aPanel, bPanel, edgeTile, nr, overwrite: true);
                    GemmDirect.MergeTile(edgeTile, nr, cTile, ldc, rows, cols, overwrite);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TSimd, TVec>(int rows, int kc, float* a, float* b, float* c, int ldc, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        switch (rows)
        {
            case 8: GemmMicroKernel.Tile<TSimd, TVec, GemmRows8>(kc, a, b, c, ldc, overwrite); break;
            case 7: GemmMicroKernel.Tile<TSimd, TVec, GemmRows7>(kc, a, b, c, ldc, overwrite); break;
            case 6: GemmMicroKernel.Tile<TSimd, TVec, GemmRows6>(kc, a, b, c, ldc, overwrite); break;
            case 5: GemmMicroKernel.Tile<TSimd, TVec, GemmRows5>(kc, a, b, c, ldc, overwrite); break;
            case 4: GemmMicroKernel.Tile<TSimd, TVec, GemmRows4>(kc, a, b, c, ldc, overwrite); break;
            case 3: GemmMicroKernel.Tile<TSimd, TVec, GemmRows3>(kc, a, b, c, ldc, overwrite); break;
            case 2: GemmMicroKernel.Tile<TSimd, TVec, GemmRows2>(kc, a, b, c, ldc, overwrite); break;
            default: GemmMicroKernel.Tile<TSimd, TVec, GemmRows1>(kc, a, b, c, ldc, overwrite); break;
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}

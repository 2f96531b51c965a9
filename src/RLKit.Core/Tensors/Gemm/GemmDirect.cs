using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RLKit.Tensors.Gemm;

/// <summary>
/// Unpacked kernels for products where packing would cost about as much as the arithmetic (few rows of C, few
/// columns, a tiny k, or a B small enough to stay in L2): they stream the operands in place.
/// </summary>
/// <remarks>
/// Like the packed path, each C element is accumulated from zero in one fixed order and added to C once, so
/// the result does not depend on how C is split among threads.
/// </remarks>
internal static unsafe class GemmDirect
{
    /// <summary>Columns of C per dot-product block (with up to four rows: 16 vector accumulators).</summary>
    public const int DotColumns = 4;

    /// <summary>Gets the rows of C per row-broadcast block: enough to fill the accumulators at two vectors per row.</summary>
    public static int RowBroadcastRows<TSimd, TVec>()
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
        => TSimd.Accumulators / 2;

    /// <summary>Gets the rows of C per dot-product block: enough to fill the accumulators at four columns per row.</summary>
    public static int DotRows<TSimd, TVec>()
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
        => TSimd.Accumulators / DotColumns;

    /// <summary>
    /// C = (accumulate ? C : 0) + op(A) · B for B not transposed: rows of C in blocks of up to
    /// <see cref="RowBroadcastRows{TSimd, TVec}"/>, each block sweeping B once, row by row, several vectors of
    /// columns at a time, with op(A) broadcast element by element (either storage order).
    /// </summary>
    /// <remarks>
    /// This is the small-batch path (1..8 rows times a weight matrix): B is read exactly once when m ≤ 8, as
    /// good as it gets for a memory-bound product. For more rows B is re-read per block of rows, which is fine
    /// while it stays in cache (the dispatcher only sends such products here then). Past the last pair of whole vectors come at most one whole
    /// vector and one ragged vector of columns; the ragged one uses masked loads and stores where the hardware
    /// has them (so a narrow C costs no copying), else a zero-padded scratch copy of that sliver of B.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    [SkipLocalsInit]
    public static void RowBroadcast<TSimd, TVec>(in GemmProblem p)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int w = TSimd.Width;
        int rowBlock = RowBroadcastRows<TSimd, TVec>();
        int full = p.N - (p.N % (2 * w));
        int single = p.N - full >= w ? w : 0;
        int edge = full + single;
        int ragged = p.N - edge;
        nint rowStride = p.ARowStride;
        nint depthStride = p.AColumnStride;
        bool overwrite = !p.Accumulate;

        float* bRagged = null;
        if (ragged > 0 && !TSimd.HasMaskedAccess)
        {
            bRagged = GemmBuffers.PackedB((long)p.K * w);
            for (int q = 0; q < p.K; q++)
            {
                float* source = p.B + ((nint)q * p.Ldb) + edge;
                float* target = bRagged + ((nint)q * w);
                int c = 0;
                for (; c < ragged; c++)
                {
                    target[c] = source[c];
                }

                for (; c < w; c++)
                {
                    target[c] = 0f;
                }
            }
        }

        float* cRagged = stackalloc float[8 * 16];
        for (int i0 = 0; i0 < p.M; i0 += rowBlock)
        {
            int rows = Math.Min(rowBlock, p.M - i0);
            float* a = p.A + (i0 * rowStride);
            float* c = p.C + ((nint)i0 * p.Ldc);
            if (full > 0)
            {
                RowBlock<TSimd, TVec>(rows, full, p.K, a, rowStride, depthStride, p.B, p.Ldb, c, p.Ldc, overwrite);
            }

            if (single > 0)
            {
                RowVector<TSimd, TVec>(rows, w, p.K, a, rowStride, depthStride, p.B + full, p.Ldb, c + full, p.Ldc, overwrite);
            }

            if (ragged > 0)
            {
                if (TSimd.HasMaskedAccess)
                {
                    RowVector<TSimd, TVec>(rows, ragged, p.K, a, rowStride, depthStride, p.B + edge, p.Ldb, c + edge, p.Ldc, overwrite);
                }
                else
                {
                    RowVector<TSimd, TVec>(rows, w, p.K, a, rowStride, depthStride, bRagged, w, cRagged, w, overwrite: true);
                    MergeTile(cRagged, w, c + edge, p.Ldc, rows, ragged, overwrite);
                }
            }
        }
    }

    /// <summary>
    /// C = (accumulate ? C : 0) + A · Bᵀ with A stored m × k and B stored n × k: every C element is a dot product
    /// of two contiguous rows, computed a few rows × four columns at a time, with the sixteen (or fewer) vector
    /// accumulators reduced four at a time.
    /// </summary>
    /// <remarks>
    /// This is the small-batch path of a linear layer storing its weight as [out, in] (y = x·Wᵀ), and the path
    /// of products with few output columns. B is swept once per row block, straight from its rows.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    public static void Dot<TSimd, TVec>(in GemmProblem p)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        bool overwrite = !p.Accumulate;
        int rowBlock = DotRows<TSimd, TVec>();
        for (int i0 = 0; i0 < p.M; i0 += rowBlock)
        {
            float* a = p.A + ((nint)i0 * p.Lda);
            float* c = p.C + ((nint)i0 * p.Ldc);
            switch (Math.Min(rowBlock, p.M - i0))
            {
                case 4: DotBlock<TSimd, TVec, GemmRows4>(p.N, p.K, a, p.Lda, p.B, p.Ldb, c, p.Ldc, overwrite); break;
                case 3: DotBlock<TSimd, TVec, GemmRows3>(p.N, p.K, a, p.Lda, p.B, p.Ldb, c, p.Ldc, overwrite); break;
                case 2: DotBlock<TSimd, TVec, GemmRows2>(p.N, p.K, a, p.Lda, p.B, p.Ldb, c, p.Ldc, overwrite); break;
                default: DotBlock<TSimd, TVec, GemmRows1>(p.N, p.K, a, p.Lda, p.B, p.Ldb, c, p.Ldc, overwrite); break;
            }
        }
    }

    /// <summary>
    /// Writes the transpose of the row-major <paramref name="rows"/> × <paramref name="cols"/> matrix at
    /// <paramref name="source"/> (leading dimension <paramref name="ld"/>) to <paramref name="destination"/>,
    /// row-major cols × rows. Used only to stage an operand whose other side is tiny (≤ 8).
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static void Transpose(float* source, int rows, int cols, int ld, float* destination)
    {
        for (int i = 0; i < rows; i++)
        {
            float* row = source + ((nint)i * ld);
            for (int j = 0; j < cols; j++)
            {
                destination[((nint)j * rows) + i] = row[j];
            }
        }
    }

    /// <summary>C (m × n) = (overwrite ? 0 : C) + Sᵀ, where S is row-major n × m.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void MergeTransposed(float* s, float* c, int m, int n, int ldc, bool overwrite)
    {
        for (int i = 0; i < m; i++)
        {
            float* row = c + ((nint)i * ldc);
            for (int j = 0; j < n; j++)
            {
                float value = s[((nint)j * m) + i];
                row[j] = overwrite ? value : row[j] + value;
            }
        }
    }

    /// <summary>C (rows × cols) = (overwrite ? 0 : C) + T for a scratch tile T with leading dimension ldt.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static void MergeTile(float* tile, int ldt, float* c, int ldc, int rows, int cols, bool overwrite)
    {
        for (int r = 0; r < rows; r++)
        {
            float* source = tile + ((nint)r * ldt);
            float* target = c + ((nint)r * ldc);
            for (int j = 0; j < cols; j++)
            {
                target[j] = overwrite ? source[j] : target[j] + source[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowVector<TSimd, TVec>(int rows, int count, int k, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        switch (rows)
        {
            case 8: RowVector<TSimd, TVec, GemmRows8>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 7: RowVector<TSimd, TVec, GemmRows7>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 6: RowVector<TSimd, TVec, GemmRows6>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 5: RowVector<TSimd, TVec, GemmRows5>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 4: RowVector<TSimd, TVec, GemmRows4>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 3: RowVector<TSimd, TVec, GemmRows3>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 2: RowVector<TSimd, TVec, GemmRows2>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            default: RowVector<TSimd, TVec, GemmRows1>(count, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
        }
    }

    // One vector of columns (count ≤ Width of them; fewer only with masked access) for up to eight rows.
    [MethodImpl(HotPath.Optimized)]
    [SkipLocalsInit]
    private static void RowVector<TSimd, TVec, TRows>(int count, int k, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
    {
        bool masked = TSimd.HasMaskedAccess && count < TSimd.Width;
        TVec mask = masked ? TSimd.Mask(count) : TSimd.Zero;
        TVec c0 = TSimd.Zero;
        TVec c1 = TSimd.Zero;
        TVec c2 = TSimd.Zero;
        TVec c3 = TSimd.Zero;
        TVec c4 = TSimd.Zero;
        TVec c5 = TSimd.Zero;
        TVec c6 = TSimd.Zero;
        TVec c7 = TSimd.Zero;
        float* ap = a;
        float* bp = b;
        for (int p = 0; p < k; p++)
        {
            TVec bv = masked ? TSimd.LoadMasked(bp, mask) : TSimd.Load(bp);
            c0 = TSimd.MulAdd(TSimd.Broadcast(ap[0]), bv, c0);
            if (TRows.Count > 1)
            {
                c1 = TSimd.MulAdd(TSimd.Broadcast(ap[rowStride]), bv, c1);
            }

            if (TRows.Count > 2)
            {
                c2 = TSimd.MulAdd(TSimd.Broadcast(ap[2 * rowStride]), bv, c2);
            }

            if (TRows.Count > 3)
            {
                c3 = TSimd.MulAdd(TSimd.Broadcast(ap[3 * rowStride]), bv, c3);
            }

            if (TRows.Count > 4)
            {
                c4 = TSimd.MulAdd(TSimd.Broadcast(ap[4 * rowStride]), bv, c4);
            }

            if (TRows.Count > 5)
            {
                c5 = TSimd.MulAdd(TSimd.Broadcast(ap[5 * rowStride]), bv, c5);
            }

            if (TRows.Count > 6)
            {
                c6 = TSimd.MulAdd(TSimd.Broadcast(ap[6 * rowStride]), bv, c6);
            }

            if (TRows.Count > 7)
            {
                c7 = TSimd.MulAdd(TSimd.Broadcast(ap[7 * rowStride]), bv, c7);
            }

            ap += depthStride;
            bp += ldb;
        }

        StoreVector<TSimd, TVec>(c, c0, mask, masked, overwrite);
        if (TRows.Count > 1)
        {
            StoreVector<TSimd, TVec>(c + (1 * ldc), c1, mask, masked, overwrite);
        }

        if (TRows.Count > 2)
        {
            StoreVector<TSimd, TVec>(c + (2 * ldc), c2, mask, masked, overwrite);
        }

        if (TRows.Count > 3)
        {
            StoreVector<TSimd, TVec>(c + (3 * ldc), c3, mask, masked, overwrite);
        }

        if (TRows.Count > 4)
        {
            StoreVector<TSimd, TVec>(c + (4 * ldc), c4, mask, masked, overwrite);
        }

        if (TRows.Count > 5)
        {
            StoreVector<TSimd, TVec>(c + (5 * ldc), c5, mask, masked, overwrite);
        }

        if (TRows.Count > 6)
        {
            StoreVector<TSimd, TVec>(c + (6 * ldc), c6, mask, masked, overwrite);
        }

        if (TRows.Count > 7)
        {
            StoreVector<TSimd, TVec>(c + (7 * ldc), c7, mask, masked, overwrite);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreVector<TSimd, TVec>(float* c, TVec value, TVec mask, bool masked, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        if (masked)
        {
            TSimd.StoreMasked(c, mask, overwrite ? value : TSimd.Add(TSimd.LoadMasked(c, mask), value));
        }
        else
        {
            TSimd.Store(c, overwrite ? value : TSimd.Add(TSimd.Load(c), value));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowBlock<TSimd, TVec>(int rows, int cols, int k, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        switch (rows)
        {
            case 8: RowBlock<TSimd, TVec, GemmRows8>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 7: RowBlock<TSimd, TVec, GemmRows7>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 6: RowBlock<TSimd, TVec, GemmRows6>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 5: RowBlock<TSimd, TVec, GemmRows5>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 4: RowBlock<TSimd, TVec, GemmRows4>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 3: RowBlock<TSimd, TVec, GemmRows3>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            case 2: RowBlock<TSimd, TVec, GemmRows2>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
            default: RowBlock<TSimd, TVec, GemmRows1>(cols, k, a, rowStride, depthStride, b, ldb, c, ldc, overwrite); break;
        }
    }

    // The register tile of the packed micro-kernel, reading A and B in place. Blocks of at most a quarter of the
    // accumulators' rows sweep four vectors of columns at a time instead of two: a single row (batch size 1)
    // then still has four independent FMA chains in flight instead of two.
    [MethodImpl(HotPath.Optimized)]
    [SkipLocalsInit]
    private static void RowBlock<TSimd, TVec, TRows>(int cols, int k, float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
    {
        int w = TSimd.Width;
        int j = 0;
        if (TRows.Count * 4 <= TSimd.Accumulators)
        {
            for (; j + (4 * w) <= cols; j += 4 * w)
            {
                TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c02 = TSimd.Zero, c03 = TSimd.Zero;
                TVec c10 = TSimd.Zero, c11 = TSimd.Zero, c12 = TSimd.Zero, c13 = TSimd.Zero;
                TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c22 = TSimd.Zero, c23 = TSimd.Zero;
                TVec c30 = TSimd.Zero, c31 = TSimd.Zero, c32 = TSimd.Zero, c33 = TSimd.Zero;
                float* ap = a;
                float* bp = b + j;
                for (int p = 0; p < k; p++)
                {
                    TVec b0 = TSimd.Load(bp);
                    TVec b1 = TSimd.Load(bp + w);
                    TVec b2 = TSimd.Load(bp + (2 * w));
                    TVec b3 = TSimd.Load(bp + (3 * w));
                    TVec ar = TSimd.Broadcast(ap[0]);
                    c00 = TSimd.MulAdd(ar, b0, c00);
                    c01 = TSimd.MulAdd(ar, b1, c01);
                    c02 = TSimd.MulAdd(ar, b2, c02);
                    c03 = TSimd.MulAdd(ar, b3, c03);
                    if (TRows.Count > 1)
                    {
                        ar = TSimd.Broadcast(ap[rowStride]);
                        c10 = TSimd.MulAdd(ar, b0, c10);
                        c11 = TSimd.MulAdd(ar, b1, c11);
                        c12 = TSimd.MulAdd(ar, b2, c12);
                        c13 = TSimd.MulAdd(ar, b3, c13);
                    }

                    if (TRows.Count > 2)
                    {
                        ar = TSimd.Broadcast(ap[2 * rowStride]);
                        c20 = TSimd.MulAdd(ar, b0, c20);
                        c21 = TSimd.MulAdd(ar, b1, c21);
                        c22 = TSimd.MulAdd(ar, b2, c22);
                        c23 = TSimd.MulAdd(ar, b3, c23);
                    }

                    if (TRows.Count > 3)
                    {
                        ar = TSimd.Broadcast(ap[3 * rowStride]);
                        c30 = TSimd.MulAdd(ar, b0, c30);
                        c31 = TSimd.MulAdd(ar, b1, c31);
                        c32 = TSimd.MulAdd(ar, b2, c32);
                        c33 = TSimd.MulAdd(ar, b3, c33);
                    }

                    ap += depthStride;
                    bp += ldb;
                }

                float* cj = c + j;
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj, c00, c01, overwrite);
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (2 * w), c02, c03, overwrite);
                if (TRows.Count > 1)
                {
                    GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (1 * ldc), c10, c11, overwrite);
                    GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (1 * ldc) + (2 * w), c12, c13, overwrite);
                }

                if (TRows.Count > 2)
                {
                    GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (2 * ldc), c20, c21, overwrite);
                    GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (2 * ldc) + (2 * w), c22, c23, overwrite);
                }

                if (TRows.Count > 3)
                {
                    GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (3 * ldc), c30, c31, overwrite);
                    GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (3 * ldc) + (2 * w), c32, c33, overwrite);
                }
            }
        }

        for (; j < cols; j += 2 * w)
        {
            TVec c00 = TSimd.Zero, c01 = TSimd.Zero;
            TVec c10 = TSimd.Zero, c11 = TSimd.Zero;
            TVec c20 = TSimd.Zero, c21 = TSimd.Zero;
            TVec c30 = TSimd.Zero, c31 = TSimd.Zero;
            TVec c40 = TSimd.Zero, c41 = TSimd.Zero;
            TVec c50 = TSimd.Zero, c51 = TSimd.Zero;
            TVec c60 = TSimd.Zero, c61 = TSimd.Zero;
            TVec c70 = TSimd.Zero, c71 = TSimd.Zero;
            float* ap = a;
            float* bp = b + j;
            for (int p = 0; p < k; p++)
            {
                TVec b0 = TSimd.Load(bp);
                TVec b1 = TSimd.Load(bp + w);
                TVec ar = TSimd.Broadcast(ap[0]);
                c00 = TSimd.MulAdd(ar, b0, c00);
                c01 = TSimd.MulAdd(ar, b1, c01);
                if (TRows.Count > 1)
                {
                    ar = TSimd.Broadcast(ap[rowStride]);
                    c10 = TSimd.MulAdd(ar, b0, c10);
                    c11 = TSimd.MulAdd(ar, b1, c11);
                }

                if (TRows.Count > 2)
                {
                    ar = TSimd.Broadcast(ap[2 * rowStride]);
                    c20 = TSimd.MulAdd(ar, b0, c20);
                    c21 = TSimd.MulAdd(ar, b1, c21);
                }

                if (TRows.Count > 3)
                {
                    ar = TSimd.Broadcast(ap[3 * rowStride]);
                    c30 = TSimd.MulAdd(ar, b0, c30);
                    c31 = TSimd.MulAdd(ar, b1, c31);
                }

                if (TRows.Count > 4)
                {
                    ar = TSimd.Broadcast(ap[4 * rowStride]);
                    c40 = TSimd.MulAdd(ar, b0, c40);
                    c41 = TSimd.MulAdd(ar, b1, c41);
                }

                if (TRows.Count > 5)
                {
                    ar = TSimd.Broadcast(ap[5 * rowStride]);
                    c50 = TSimd.MulAdd(ar, b0, c50);
                    c51 = TSimd.MulAdd(ar, b1, c51);
                }

                if (TRows.Count > 6)
                {
                    ar = TSimd.Broadcast(ap[6 * rowStride]);
                    c60 = TSimd.MulAdd(ar, b0, c60);
                    c61 = TSimd.MulAdd(ar, b1, c61);
                }

                if (TRows.Count > 7)
                {
                    ar = TSimd.Broadcast(ap[7 * rowStride]);
                    c70 = TSimd.MulAdd(ar, b0, c70);
                    c71 = TSimd.MulAdd(ar, b1, c71);
                }

                ap += depthStride;
                bp += ldb;
            }

            float* cj = c + j;
            GemmMicroKernel.StoreRow<TSimd, TVec>(cj, c00, c01, overwrite);
            if (TRows.Count > 1)
            {
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (1 * ldc), c10, c11, overwrite);
            }

            if (TRows.Count > 2)
            {
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (2 * ldc), c20, c21, overwrite);
            }

            if (TRows.Count > 3)
            {
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (3 * ldc), c30, c31, overwrite);
            }

            if (TRows.Count > 4)
            {
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (4 * ldc), c40, c41, overwrite);
            }

            if (TRows.Count > 5)
            {
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (5 * ldc), c50, c51, overwrite);
            }

            if (TRows.Count > 6)
            {
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (6 * ldc), c60, c61, overwrite);
            }

            if (TRows.Count > 7)
            {
                GemmMicroKernel.StoreRow<TSimd, TVec>(cj + (7 * ldc), c70, c71, overwrite);
            }
        }
    }

    [MethodImpl(HotPath.Optimized)]
    [SkipLocalsInit]
    private static void DotBlock<TSimd, TVec, TRows>(int n, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
        where TRows : struct, IGemmRows
    {
        int w = TSimd.Width;
        int kv = k - (k % w);
        bool maskedTail = TSimd.HasMaskedAccess && kv < k;
        TVec tailMask = maskedTail ? TSimd.Mask(k - kv) : TSimd.Zero;
        int scalarFrom = maskedTail ? k : kv;
        float* a0 = a;
        float* a1 = a + (TRows.Count > 1 ? lda : 0);
        float* a2 = a + (TRows.Count > 2 ? 2 * lda : 0);
        float* a3 = a + (TRows.Count > 3 ? 3 * lda : 0);
        for (int j = 0; j < n; j += DotColumns)
        {
            // A ragged last group re-reads its first column in place of the missing ones and discards the copies.
            float* b0 = b + ((nint)j * ldb);
            float* b1 = j + 1 < n ? b0 + ldb : b0;
            float* b2 = j + 2 < n ? b0 + (2 * ldb) : b0;
            float* b3 = j + 3 < n ? b0 + (3 * ldb) : b0;
            TVec s00 = TSimd.Zero, s01 = TSimd.Zero, s02 = TSimd.Zero, s03 = TSimd.Zero;
            TVec s10 = TSimd.Zero, s11 = TSimd.Zero, s12 = TSimd.Zero, s13 = TSimd.Zero;
            TVec s20 = TSimd.Zero, s21 = TSimd.Zero, s22 = TSimd.Zero, s23 = TSimd.Zero;
            TVec s30 = TSimd.Zero, s31 = TSimd.Zero, s32 = TSimd.Zero, s33 = TSimd.Zero;
            for (int p = 0; p < kv; p += w)
            {
                TVec v0 = TSimd.Load(b0 + p);
                TVec v1 = TSimd.Load(b1 + p);
                TVec v2 = TSimd.Load(b2 + p);
                TVec v3 = TSimd.Load(b3 + p);
                TVec ar = TSimd.Load(a0 + p);
                s00 = TSimd.MulAdd(ar, v0, s00);
                s01 = TSimd.MulAdd(ar, v1, s01);
                s02 = TSimd.MulAdd(ar, v2, s02);
                s03 = TSimd.MulAdd(ar, v3, s03);
                if (TRows.Count > 1)
                {
                    ar = TSimd.Load(a1 + p);
                    s10 = TSimd.MulAdd(ar, v0, s10);
                    s11 = TSimd.MulAdd(ar, v1, s11);
                    s12 = TSimd.MulAdd(ar, v2, s12);
                    s13 = TSimd.MulAdd(ar, v3, s13);
                }

                if (TRows.Count > 2)
                {
                    ar = TSimd.Load(a2 + p);
                    s20 = TSimd.MulAdd(ar, v0, s20);
                    s21 = TSimd.MulAdd(ar, v1, s21);
                    s22 = TSimd.MulAdd(ar, v2, s22);
                    s23 = TSimd.MulAdd(ar, v3, s23);
                }

                if (TRows.Count > 3)
                {
                    ar = TSimd.Load(a3 + p);
                    s30 = TSimd.MulAdd(ar, v0, s30);
                    s31 = TSimd.MulAdd(ar, v1, s31);
                    s32 = TSimd.MulAdd(ar, v2, s32);
                    s33 = TSimd.MulAdd(ar, v3, s33);
                }
            }

            if (maskedTail)
            {
                // The k tail as one more masked step: masked-off lanes load as zero and add nothing.
                TVec v0 = TSimd.LoadMasked(b0 + kv, tailMask);
                TVec v1 = TSimd.LoadMasked(b1 + kv, tailMask);
                TVec v2 = TSimd.LoadMasked(b2 + kv, tailMask);
                TVec v3 = TSimd.LoadMasked(b3 + kv, tailMask);
                TVec ar = TSimd.LoadMasked(a0 + kv, tailMask);
                s00 = TSimd.MulAdd(ar, v0, s00);
                s01 = TSimd.MulAdd(ar, v1, s01);
                s02 = TSimd.MulAdd(ar, v2, s02);
                s03 = TSimd.MulAdd(ar, v3, s03);
                if (TRows.Count > 1)
                {
                    ar = TSimd.LoadMasked(a1 + kv, tailMask);
                    s10 = TSimd.MulAdd(ar, v0, s10);
                    s11 = TSimd.MulAdd(ar, v1, s11);
                    s12 = TSimd.MulAdd(ar, v2, s12);
                    s13 = TSimd.MulAdd(ar, v3, s13);
                }

                if (TRows.Count > 2)
                {
                    ar = TSimd.LoadMasked(a2 + kv, tailMask);
                    s20 = TSimd.MulAdd(ar, v0, s20);
                    s21 = TSimd.MulAdd(ar, v1, s21);
                    s22 = TSimd.MulAdd(ar, v2, s22);
                    s23 = TSimd.MulAdd(ar, v3, s23);
                }

                if (TRows.Count > 3)
                {
                    ar = TSimd.LoadMasked(a3 + kv, tailMask);
                    s30 = TSimd.MulAdd(ar, v0, s30);
                    s31 = TSimd.MulAdd(ar, v1, s31);
                    s32 = TSimd.MulAdd(ar, v2, s32);
                    s33 = TSimd.MulAdd(ar, v3, s33);
                }
            }

            int valid = Math.Min(DotColumns, n - j);
            float* cj = c + j;
            FinishRow<TSimd, TVec>(TSimd.Reduce4(s00, s01, s02, s03), a0, b0, b1, b2, b3, scalarFrom, k, cj, valid, overwrite);
            if (TRows.Count > 1)
            {
                FinishRow<TSimd, TVec>(TSimd.Reduce4(s10, s11, s12, s13), a1, b0, b1, b2, b3, scalarFrom, k, cj + (1 * ldc), valid, overwrite);
            }

            if (TRows.Count > 2)
            {
                FinishRow<TSimd, TVec>(TSimd.Reduce4(s20, s21, s22, s23), a2, b0, b1, b2, b3, scalarFrom, k, cj + (2 * ldc), valid, overwrite);
            }

            if (TRows.Count > 3)
            {
                FinishRow<TSimd, TVec>(TSimd.Reduce4(s30, s31, s32, s33), a3, b0, b1, b2, b3, scalarFrom, k, cj + (3 * ldc), valid, overwrite);
            }
        }
    }

    // Folds the k tail from kv on into the four reduced sums (scalar, in increasing k; empty when the tail went
    // through a masked step), then stores the valid columns, all four at once when they are all valid.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow<TSimd, TVec>(Vector128<float> sums, float* a, float* b0, float* b1, float* b2, float* b3, int kv, int k, float* c, int valid, bool overwrite)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        if (kv == k && valid == DotColumns)
        {
            (overwrite ? sums : Vector128.Load(c) + sums).Store(c);
            return;
        }

        float t0 = sums.GetElement(0);
        float t1 = sums.GetElement(1);
        float t2 = sums.GetElement(2);
        float t3 = sums.GetElement(3);
        for (int p = kv; p < k; p++)
        {
            float ap = a[p];
            t0 = TSimd.ScalarMulAdd(ap, b0[p], t0);
            t1 = TSimd.ScalarMulAdd(ap, b1[p], t1);
            t2 = TSimd.ScalarMulAdd(ap, b2[p], t2);
            t3 = TSimd.ScalarMulAdd(ap, b3[p], t3);
        }

        c[0] = overwrite ? t0 : c[0] + t0;
        if (valid > 1)
        {
            c[1] = overwrite ? t1 : c[1] + t1;
        }

        if (valid > 2)
        {
            c[2] = overwrite ? t2 : c[2] + t2;
        }

        if (valid > 3)
        {
            c[3] = overwrite ? t3 : c[3] + t3;
        }
    }
}

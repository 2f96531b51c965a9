using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RLKit.Tensors.Gemm;

/// <summary>Which micro-kernel family a GEMM call runs on.</summary>
internal enum GemmKernelKind
{
    /// <summary>The fastest family the machine supports: AVX-512, else AVX2 + FMA, else portable.</summary>
    Auto,

    /// <summary>512-bit vectors with FMA (8 × 32 register tile).</summary>
    Avx512,

    /// <summary>256-bit vectors with FMA (6 × 16 register tile).</summary>
    Avx2,

    /// <summary>128-bit vectors, no FMA assumption (runs on any hardware, including Arm64).</summary>
    Portable,
}

/// <summary>
/// Single-precision general matrix multiply: the engine's workhorse for linear layers, attention and
/// convolutions. Fast (packed, cache-blocked, register-blocked SIMD kernels), allocation-free in steady
/// state, multi-threaded for large products, and deterministic: results are bit-identical whatever the
/// degree of parallelism.
/// </summary>
/// <remarks>
/// <para>All matrices are row-major. op(A) is m × k: A itself (stored m × k) or, if transA, Aᵀ (A stored k × m);
/// op(B) is k × n: B itself (stored k × n) or, if transB, Bᵀ (B stored n × k). Leading dimensions are the
/// distance between consecutive stored rows. C must not overlap A or B.</para>
/// <para>Paths, chosen from the shape and the kernel family alone: products with m ≤ 8 (small-batch inference),
/// k ≤ 8, C narrower than one register tile (n &lt; 32 floats with AVX-512), or a non-transposed B small enough to
/// stay in L2 use unpacked kernels that read the operands in place (re-laying out only a skinny operand when
/// needed). Every other shape goes through the packed, cache-blocked path. Within a path, each C element is
/// accumulated in one fixed order by exactly one thread, which is what makes results independent of the thread
/// count.</para>
/// <para>Kernel families: AVX-512 (8 × 32 register tile) where 512-bit vectors are fast, else AVX2 + FMA (6 × 16),
/// else a portable 128-bit fallback (x64 without AVX2, Arm64). Multi-threading starts at 2^21 multiply-adds, with
/// C statically split into blocks of whole register tiles, one per thread; a batched call instead gives each thread
/// a run of whole entries (see <see cref="MultiplyBatched(int, bool, bool, int, int, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, int, Span{float}, int, int, bool, int)"/>).</para>
/// </remarks>
internal static unsafe class GemmDriver
{
    /// <summary>Products with at most this many rows use the unpacked kernels.</summary>
    internal const int SmallRows = 8;

    /// <summary>Products with at most this inner dimension use the unpacked row-broadcast kernel.</summary>
    internal const int SmallDepth = 8;

    /// <summary>
    /// A row-major B of at most this many floats (128 KB) is streamed in place rather than packed: it stays in
    /// L2, from where the row-broadcast kernel needs only 16 bytes per cycle, so packing it would be pure
    /// overhead (measured on Zen 5: +28% at 64³, +14% at 256×64×64, even at 256³; packing wins from 512×256×256).
    /// </summary>
    internal const long SmallRightOperand = 32 * 1024;

    /// <summary>
    /// Products below this many multiply-adds (2^21, e.g. 128³) stay on the calling thread: at ~200 GFLOPS they
    /// take under 20 µs, and handing half to a pool thread (wake-up, Parallel.For bookkeeping) costs several
    /// microseconds and is easily lost entirely on a busy machine.
    /// </summary>
    internal const long ParallelThreshold = 1L << 21;

    /// <summary>Every additional thread must get at least this many multiply-adds of work.</summary>
    internal const long MinWorkPerThread = 1L << 20;

    private enum GemmPath
    {
        Packed,
        RowBroadcast,
        Dot,
    }

    /// <summary>
    /// C[m, n] = (accumulate ? C : 0) + op(A) · op(B).
    /// </summary>
    /// <param name="transA">Whether op(A) = Aᵀ, i.e. A is stored k × m.</param>
    /// <param name="transB">Whether op(B) = Bᵀ, i.e. B is stored n × k.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A, row-major.</param>
    /// <param name="lda">Distance between consecutive stored rows of A (at least the stored row length).</param>
    /// <param name="b">B, row-major.</param>
    /// <param name="ldb">Distance between consecutive stored rows of B (at least the stored row length).</param>
    /// <param name="c">C, row-major m × n; must not overlap A or B.</param>
    /// <param name="ldc">Distance between consecutive rows of C (at least n).</param>
    /// <param name="accumulate">Add the product to C instead of overwriting C.</param>
    /// <param name="maxDegreeOfParallelism">Maximum threads; 0 means <see cref="EngineSettings.MaxDegreeOfParallelism"/>.</param>
    [MethodImpl(HotPath.Optimized)]
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, int maxDegreeOfParallelism = 0)
        => Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, maxDegreeOfParallelism, GemmKernelKind.Auto);

    /// <summary>
    /// <see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool, int)"/>
    /// on an explicitly chosen kernel family (tests use it to exercise every family on one machine).
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    internal static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, int maxDegreeOfParallelism, GemmKernelKind kernel)
    {
        ValidateSizes(m, n, k);
        int threads = ResolveThreads(maxDegreeOfParallelism);
        ValidateOperand(nameof(a), a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda), 1, 0, string.Empty);
        ValidateOperand(nameof(b), b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb), 1, 0, string.Empty);
        ValidateOperand(nameof(c), c.Length, m, n, ldc, nameof(ldc), 1, 0, string.Empty);
        GemmKernelKind kind = ResolveKernel(kernel);
        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Execute(kind, new GemmProblem(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate), threads);
        }
    }

    /// <summary>
    /// For each i in [0, batch): C_i = (accumulate ? C_i : 0) + op(A_i) · op(B_i), where matrix i of each operand
    /// starts i · stride elements after the first. A stride of 0 for A or B broadcasts one matrix to every entry.
    /// </summary>
    /// <param name="batch">Number of products.</param>
    /// <param name="transA">Whether op(A) = Aᵀ, i.e. each A is stored k × m.</param>
    /// <param name="transB">Whether op(B) = Bᵀ, i.e. each B is stored n × k.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">The A matrices, row-major.</param>
    /// <param name="lda">Leading dimension of each A.</param>
    /// <param name="strideA">Elements between consecutive A matrices (0 = broadcast).</param>
    /// <param name="b">The B matrices, row-major.</param>
    /// <param name="ldb">Leading dimension of each B.</param>
    /// <param name="strideB">Elements between consecutive B matrices (0 = broadcast).</param>
    /// <param name="c">The C matrices, row-major; must not overlap A or B, nor each other.</param>
    /// <param name="ldc">Leading dimension of each C.</param>
    /// <param name="strideC">Elements between consecutive C matrices (large enough that they do not overlap).</param>
    /// <param name="accumulate">Add the products to C instead of overwriting C.</param>
    /// <param name="maxDegreeOfParallelism">Maximum threads; 0 means <see cref="EngineSettings.MaxDegreeOfParallelism"/>.</param>
    public static void MultiplyBatched(
        int batch, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, int strideA, ReadOnlySpan<float> b, int ldb, int strideB,
        Span<float> c, int ldc, int strideC, bool accumulate, int maxDegreeOfParallelism = 0)
        => MultiplyBatched(batch, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, accumulate, maxDegreeOfParallelism, GemmKernelKind.Auto);

    /// <summary>
    /// <see cref="MultiplyBatched(int, bool, bool, int, int, int, ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, int, int, Span{float}, int, int, bool, int)"/>
    /// on an explicitly chosen kernel family.
    /// </summary>
    internal static void MultiplyBatched(
        int batch, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, int strideA, ReadOnlySpan<float> b, int ldb, int strideB,
        Span<float> c, int ldc, int strideC, bool accumulate, int maxDegreeOfParallelism, GemmKernelKind kernel)
    {
        if (batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch count must be non-negative.");
        }

        ValidateSizes(m, n, k);
        int threads = ResolveThreads(maxDegreeOfParallelism);
        ValidateOperand(nameof(a), a.Length, transA ? k : m, transA ? m : k, lda, nameof(lda), batch, strideA, nameof(strideA));
        ValidateOperand(nameof(b), b.Length, transB ? n : k, transB ? k : n, ldb, nameof(ldb), batch, strideB, nameof(strideB));
        ValidateOperand(nameof(c), c.Length, m, n, ldc, nameof(ldc), batch, strideC, nameof(strideC));
        long cExtent = MatrixExtent(m, n, ldc);
        if (batch > 1 && strideC < cExtent)
        {
            throw new ArgumentOutOfRangeException(
                nameof(strideC),
                strideC,
                $"{nameof(strideC)} must be at least {cExtent} (the extent of one {m}×{n} C matrix with ldc {ldc}) so that the {batch} outputs do not overlap.");
        }

        GemmKernelKind kind = ResolveKernel(kernel);
        if (batch == 0 || m == 0 || n == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var first = new GemmProblem(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            long work = (long)m * n * k;
            int parts = ThreadsFor(work > long.MaxValue / batch ? long.MaxValue : work * batch, Math.Min(threads, batch));
            if (parts == 1)
            {
                // A single entry (which may still parallelise internally) or too little work for a thread hand-off.
                for (int i = 0; i < batch; i++)
                {
                    Execute(kind, BatchEntry(first, i, strideA, strideB, strideC), threads);
                }

                return;
            }

            // Each thread takes a contiguous run of whole entries, each computed exactly as it would be on one
            // thread: one hand-off for the whole batch instead of one per entry, and no operand packed twice. Small
            // entries are shared out as evenly as they go; large ones only in whole rounds, and the entries left
            // over (fewer than the threads) each parallelise internally, so that no thread idles through one.
            int split = work >= ParallelThreshold ? batch - (batch % parts) : batch;
            var job = new BatchJob(kind, first, split, parts, strideA, strideB, strideC);
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, job.Run);
            for (int i = split; i < batch; i++)
            {
                Execute(kind, BatchEntry(first, i, strideA, strideB, strideC), threads);
            }
        }
    }

    /// <summary>Returns the kernel family that <paramref name="requested"/> stands for on this machine.</summary>
    /// <exception cref="NotSupportedException">The machine cannot run the requested family.</exception>
    internal static GemmKernelKind ResolveKernel(GemmKernelKind requested)
    {
        return requested switch
        {
            // Vector512.IsHardwareAccelerated is false on parts where 512-bit code down-clocks (early AVX-512
            // Intel); there the 256-bit kernel is faster even though AVX-512 instructions exist.
            GemmKernelKind.Auto when Avx512F.IsSupported && Vector512.IsHardwareAccelerated => GemmKernelKind.Avx512,
            GemmKernelKind.Auto when Avx2.IsSupported && Fma.IsSupported => GemmKernelKind.Avx2,
            GemmKernelKind.Auto => GemmKernelKind.Portable,
            GemmKernelKind.Avx512 when !Avx512F.IsSupported => throw new NotSupportedException("This machine does not support AVX-512F."),
            GemmKernelKind.Avx2 when !(Avx2.IsSupported && Fma.IsSupported) => throw new NotSupportedException("This machine does not support AVX2 with FMA."),
            _ => requested,
        };
    }

    private static GemmProblem BatchEntry(in GemmProblem first, int index, int strideA, int strideB, int strideC)
        => new(
            first.TransA, first.TransB, first.M, first.N, first.K,
            first.A + ((nint)index * strideA), first.Lda,
            first.B + ((nint)index * strideB), first.Ldb,
            first.C + ((nint)index * strideC), first.Ldc,
            first.Accumulate);

    [MethodImpl(HotPath.Optimized)]
    private static void Execute(GemmKernelKind kind, GemmProblem problem, int threads)
    {
        if (problem.K == 0)
        {
            if (!problem.Accumulate)
            {
                for (int i = 0; i < problem.M; i++)
                {
                    new Span<float>(problem.C + ((nint)i * problem.Ldc), problem.N).Clear();
                }
            }

            return;
        }

        switch (kind)
        {
            case GemmKernelKind.Avx512:
                Execute<GemmSimd512, Vector512<float>>(problem, threads);
                break;
            case GemmKernelKind.Avx2:
                Execute<GemmSimd256, Vector256<float>>(problem, threads);
                break;
            default:
                Execute<GemmSimd128, Vector128<float>>(problem, threads);
                break;
        }
    }

    /// <summary>
    /// Picks the path from the shape and kernel family alone (never from the thread count), then runs it.
    /// </summary>
    /// <remarks>
    /// The row-broadcast kernel vectorises along n and wants B row-major; the dot kernel vectorises along k and
    /// wants op(A) and op(B) both k-contiguous. A skinny operand (k ≤ 8, m ≤ 8, or fewer columns of C than one
    /// register tile) is re-laid out ("staged") when the chosen kernel needs it: staging copies only the skinny
    /// operand, which is cheap next to the product.
    /// </remarks>
    [MethodImpl(HotPath.Optimized)]
    private static void Execute<TSimd, TVec>(GemmProblem p, int threads)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int parts = ThreadsFor((long)p.M * p.N * p.K, threads);
        int tile = 2 * TSimd.Width;
        if (p.K <= SmallDepth)
        {
            // Each C element is a handful of products: broadcast op(A) (either layout) against rows of op(B), staging
            // a transposed op(B) row-major first (k × n with k ≤ 8: cheap next to writing m × n outputs).
            if (p.TransB)
            {
                float* stagedB = GemmBuffers.Staging((long)p.K * p.N);
                GemmDirect.Transpose(p.B, p.N, p.K, p.Ldb, stagedB);
                p = p.WithRowMajorB(stagedB);
            }

            Partition<TSimd, TVec>(p, GemmPath.RowBroadcast, parts);
            return;
        }

        if (p.M <= SmallRows)
        {
            if (!p.TransB)
            {
                Partition<TSimd, TVec>(p, GemmPath.RowBroadcast, parts);
                return;
            }

            if (p.TransA)
            {
                // Both transposed: stage the (≤ 8 × k) op(A) row-major so rows of A and B both stream.
                float* stagedA = GemmBuffers.Staging((long)p.M * p.K);
                GemmDirect.Transpose(p.A, p.K, p.M, p.Lda, stagedA);
                p = p.WithRowMajorA(stagedA);
            }

            Partition<TSimd, TVec>(p, GemmPath.Dot, parts);
            return;
        }

        if (p.N < tile)
        {
            // C is narrower than one register tile, so vectorising along n would mostly compute padding.
            if (!p.TransA)
            {
                if (!p.TransB)
                {
                    // Stage the (k × n < tile) op(B) as its n × k transpose: each C element becomes a dot product of rows.
                    float* stagedB = GemmBuffers.Staging((long)p.N * p.K);
                    GemmDirect.Transpose(p.B, p.K, p.N, p.Ldb, stagedB);
                    p = p.WithTransposedB(stagedB);
                }

                Partition<TSimd, TVec>(p, GemmPath.Dot, parts);
                return;
            }

            if (p.M >= tile)
            {
                // op(A) = Aᵀ streams along m, not k: solve Cᵀ = op(B)ᵀ · op(A)ᵀ (whose n is this m, wide enough to
                // vectorise, and whose right operand is A read row by row) into scratch, then add its transpose to C.
                float* cTransposed = GemmBuffers.Staging((long)p.N * p.M);
                Execute<TSimd, TVec>(p.TransposedInto(cTransposed), threads);
                GemmDirect.MergeTransposed(cTransposed, p.C, p.M, p.N, p.Ldc, overwrite: !p.Accumulate);
                return;
            }
        }

        if (!p.TransB && (long)p.K * p.N <= SmallRightOperand)
        {
            Partition<TSimd, TVec>(p, GemmPath.RowBroadcast, parts);
            return;
        }

        Partition<TSimd, TVec>(p, GemmPath.Packed, parts);
    }

    /// <summary>
    /// Splits C into a static grid of blocks aligned to the path's register tiles, one block per thread, and
    /// computes each block with the serial kernel. Block boundaries never change how an element is computed.
    /// </summary>
    private static void Partition<TSimd, TVec>(in GemmProblem p, GemmPath path, int parts)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        int kc = GemmPacked.KcFor(p.K);
        if (parts > 1)
        {
            (int rowUnit, int colUnit) = path switch
            {
                GemmPath.Packed => (TSimd.PackedRows, 2 * TSimd.Width),
                GemmPath.RowBroadcast => (GemmDirect.RowBroadcastRows<TSimd, TVec>(), 2 * TSimd.Width),
                _ => (GemmDirect.DotRows<TSimd, TVec>(), GemmDirect.DotColumns),
            };

            var grid = GemmGrid.Choose(p.M, p.N, rowUnit, colUnit, parts);
            if (grid.Blocks > 1)
            {
                var job = new PartitionJob<TSimd, TVec>(p, path, kc, grid);
                Parallel.For(0, grid.Blocks, new ParallelOptions { MaxDegreeOfParallelism = grid.Blocks }, job.Run);
                return;
            }
        }

        RunBlock<TSimd, TVec>(p, path, kc);
    }

    private static void RunBlock<TSimd, TVec>(in GemmProblem block, GemmPath path, int kc)
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        switch (path)
        {
            case GemmPath.Packed:
                GemmPacked.Run<TSimd, TVec>(block, kc);
                break;
            case GemmPath.RowBroadcast:
                GemmDirect.RowBroadcast<TSimd, TVec>(block);
                break;
            default:
                GemmDirect.Dot<TSimd, TVec>(block);
                break;
        }
    }

    /// <summary>How many threads a product of <paramref name="work"/> multiply-adds deserves.</summary>
    private static int ThreadsFor(long work, int maxThreads)
    {
        if (maxThreads <= 1 || work < ParallelThreshold)
        {
            return 1;
        }

        return (int)Math.Min(maxThreads, Math.Max(1, work / MinWorkPerThread));
    }

    private static int ResolveThreads(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxDegreeOfParallelism),
                maxDegreeOfParallelism,
                "maxDegreeOfParallelism must be 0 (use EngineSettings.MaxDegreeOfParallelism) or a positive thread count.");
        }

        return maxDegreeOfParallelism == 0 ? EngineSettings.MaxDegreeOfParallelism : maxDegreeOfParallelism;
    }

    private static void ValidateSizes(int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
    }

    /// <summary>Elements spanned by a rows × cols row-major matrix with leading dimension ld.</summary>
    private static long MatrixExtent(int rows, int cols, int ld)
        => rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * ld) + cols;

    private static void ValidateOperand(string name, int length, int rows, int cols, int ld, string ldName, int count, int stride, string strideName)
    {
        // An empty stored matrix (no rows) has no row length to respect; a negative distance is never valid.
        if (ld < 0 || (ld < cols && rows > 0))
        {
            throw new ArgumentOutOfRangeException(
                ldName,
                ld,
                $"{ldName} must be at least the stored row length of {name}, {cols} ({name} is stored {rows}×{cols}).");
        }

        if (stride < 0)
        {
            throw new ArgumentOutOfRangeException(strideName, stride, $"{strideName} must be non-negative (0 broadcasts one matrix).");
        }

        long extent = MatrixExtent(rows, cols, ld);
        long required = count == 0 || extent == 0 ? 0 : ((long)(count - 1) * stride) + extent;
        if (length < required)
        {
            string what = count == 1
                ? $"a {rows}×{cols} matrix with leading dimension {ld}"
                : $"{count} {rows}×{cols} matrices with leading dimension {ld} and stride {stride}";
            throw new ArgumentException($"Span '{name}' has {length} elements, but {what} needs at least {required}.", name);
        }
    }

    /// <summary>A static split of C into rowParts × colParts blocks of whole register tiles.</summary>
    private readonly struct GemmGrid
    {
        public readonly int M;
        public readonly int N;
        public readonly int RowUnit;
        public readonly int ColUnit;
        public readonly int RowParts;
        public readonly int ColParts;

        private GemmGrid(int m, int n, int rowUnit, int colUnit, int rowParts, int colParts)
        {
            this.M = m;
            this.N = n;
            this.RowUnit = rowUnit;
            this.ColUnit = colUnit;
            this.RowParts = rowParts;
            this.ColParts = colParts;
        }

        public int Blocks => this.RowParts * this.ColParts;

        /// <summary>
        /// Chooses the grid of at most <paramref name="parts"/> blocks whose largest block is smallest (the
        /// critical path); on ties, the one with the most square blocks (least re-packing of shared operands).
        /// </summary>
        public static GemmGrid Choose(int m, int n, int rowUnit, int colUnit, int parts)
        {
            int rowUnits = (m + rowUnit - 1) / rowUnit;
            int colUnits = (n + colUnit - 1) / colUnit;
            var best = new GemmGrid(m, n, rowUnit, colUnit, 1, 1);
            long bestArea = long.MaxValue;
            long bestPerimeter = long.MaxValue;
            for (int rowParts = 1; rowParts <= parts; rowParts++)
            {
                int r = Math.Min(rowParts, rowUnits);
                int c = Math.Min(parts / rowParts, colUnits);
                long rows = Math.Min((long)((rowUnits + r - 1) / r) * rowUnit, m);
                long cols = Math.Min((long)((colUnits + c - 1) / c) * colUnit, n);
                long area = rows * cols;
                long perimeter = rows + cols;
                if (area < bestArea || (area == bestArea && perimeter < bestPerimeter))
                {
                    best = new GemmGrid(m, n, rowUnit, colUnit, r, c);
                    bestArea = area;
                    bestPerimeter = perimeter;
                }
            }

            return best;
        }

        /// <summary>Gets the element range [start, end) of part <paramref name="index"/> of a dimension.</summary>
        public static (int Start, int End) Range(int index, int partCount, int size, int unit)
        {
            int units = (size + unit - 1) / unit;
            int start = (int)((long)index * units / partCount) * unit;
            int end = (int)Math.Min((long)(index + 1) * units / partCount * unit, size);
            return (start, end);
        }
    }

    private sealed class PartitionJob<TSimd, TVec>
        where TSimd : struct, IGemmSimd<TVec>
        where TVec : struct
    {
        private readonly GemmProblem problem;
        private readonly GemmPath path;
        private readonly int kc;
        private readonly GemmGrid grid;

        public PartitionJob(in GemmProblem problem, GemmPath path, int kc, GemmGrid grid)
        {
            this.problem = problem;
            this.path = path;
            this.kc = kc;
            this.grid = grid;
        }

        public void Run(int block)
        {
            (int r0, int r1) = GemmGrid.Range(block / this.grid.ColParts, this.grid.RowParts, this.grid.M, this.grid.RowUnit);
            (int c0, int c1) = GemmGrid.Range(block % this.grid.ColParts, this.grid.ColParts, this.grid.N, this.grid.ColUnit);
            if (r1 > r0 && c1 > c0)
            {
                RunBlock<TSimd, TVec>(this.problem.Block(r0, r1 - r0, c0, c1 - c0), this.path, this.kc);
            }
        }
    }

    private sealed class BatchJob
    {
        private readonly GemmKernelKind kind;
        private readonly GemmProblem first;
        private readonly int batch;
        private readonly int parts;
        private readonly int strideA;
        private readonly int strideB;
        private readonly int strideC;

        public BatchJob(GemmKernelKind kind, in GemmProblem first, int batch, int parts, int strideA, int strideB, int strideC)
        {
            this.kind = kind;
            this.first = first;
            this.batch = batch;
            this.parts = parts;
            this.strideA = strideA;
            this.strideB = strideB;
            this.strideC = strideC;
        }

        public void Run(int part)
        {
            int start = (int)((long)part * this.batch / this.parts);
            int end = (int)((long)(part + 1) * this.batch / this.parts);
            for (int i = start; i < end; i++)
            {
                Execute(this.kind, BatchEntry(this.first, i, this.strideA, this.strideB, this.strideC), threads: 1);
            }
        }
    }
}

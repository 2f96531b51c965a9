using RLKit.Tensors.Gemm;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Gemm;

/// <summary>
/// Checks <see cref="GemmDriver"/> against a naive double-precision reference on every path (unpacked skinny kernels,
/// packed kernel, transposed staging), every transpose variant, accumulate on/off, padded leading dimensions,
/// batched broadcasting, every kernel family this machine can run (including the portable fallback), and
/// bit-identical results across thread counts.
/// </summary>
[TestFixture]
public class GemmTests
{
    // float32 recursive summation of k products (with or without FMA), plus one final add into C, is off by
    // at most about (k + 1)·u·Σ|a||b| (u = 2^-24, Higham's γ bound); a factor 2 keeps the bound honest but safe.
    // Any real bug (a dropped or doubled term) is off by roughly Σ|a||b| / k, orders of magnitude more.
    private const double UnitRoundoff = 1.0 / (1 << 24);

    private static readonly int[] Sizes = [1, 3, 17, 63, 65, 127, 257];

    /// <summary>Kernel families exercised by every correctness test (unsupported ones are ignored).</summary>
    public static readonly string[] Kernels = ["Auto", "Avx512", "Avx2", "Portable"];

    private static readonly bool[] Bools = [false, true];

    [Test]
    public void RandomShapes_MatchReference([ValueSource(nameof(Kernels))] string kernel)
    {
        GemmKernelKind kind = Resolve(kernel);
        var random = new Random(12345);
        for (int trial = 0; trial < 40; trial++)
        {
            int m = Sizes[random.Next(Sizes.Length)];
            int n = Sizes[random.Next(Sizes.Length)];
            int k = Sizes[random.Next(Sizes.Length)];
            if ((long)m * n * k > 2_000_000)
            {
                // Keep the double-precision reference cheap; 257³ is covered by the determinism test.
                k = 17;
            }

            var shape = new Shape(random.Next(2) == 1, random.Next(2) == 1, m, n, k, random.Next(2) == 1, random.Next(4));
            CheckAgainstReference(shape, kind, random, threads: 1 + random.Next(2));
        }
    }

    [Test]
    public void EveryPathAndTransposeVariant_MatchesReference(
        [ValueSource(nameof(Kernels))] string kernel,
        [ValueSource(nameof(Bools))] bool transA,
        [ValueSource(nameof(Bools))] bool transB,
        [ValueSource(nameof(Bools))] bool accumulate)
    {
        GemmKernelKind kind = Resolve(kernel);
        var random = new Random(7);
        (int M, int N, int K)[] shapes =
        [
            (1, 1, 1), (1, 65, 63), (3, 17, 257), (8, 127, 65), (5, 33, 9), // m ≤ 8: acting path
            (8, 127, 5), (6, 40, 8),                                         // m ≤ 8 with tiny k
            (63, 1, 65), (127, 3, 17), (65, 8, 127), (40, 5, 3),             // narrow outputs
            (70, 20, 33), (30, 20, 100),                                     // narrower than a register tile
            (17, 17, 17), (63, 65, 127), (65, 63, 3), (127, 9, 1), (9, 257, 40), // small B: streamed in place (or packed if transposed)
            (257, 40, 300),                                                  // k > KC: two k blocks
            (70, 129, 300), (9, 300, 127),                                   // packed whatever the layout, ragged tiles
        ];
        foreach ((int m, int n, int k) in shapes)
        {
            CheckAgainstReference(new Shape(transA, transB, m, n, k, accumulate, Padding: 3), kind, random, threads: 1);
        }
    }

    [Test]
    public void MultiThreaded_MatchesReference([ValueSource(nameof(Kernels))] string kernel)
    {
        GemmKernelKind kind = Resolve(kernel);
        var random = new Random(99);

        // Each shape is above the parallel threshold (2^21 multiply-adds) and lands on a different path.
        CheckAgainstReference(new Shape(false, false, 129, 300, 131, true, 2), kind, random, threads: 2);
        CheckAgainstReference(new Shape(false, false, 129, 130, 131, true, 2), kind, random, threads: 3);
        CheckAgainstReference(new Shape(true, true, 127, 129, 140, false, 0), kind, random, threads: 3);
        CheckAgainstReference(new Shape(false, true, 6, 700, 600, false, 1), kind, random, threads: 2);
        CheckAgainstReference(new Shape(true, false, 700, 5, 700, true, 1), kind, random, threads: 2);
    }

    [Test]
    public void ResultsAreBitIdenticalAcrossThreadCounts([ValueSource(nameof(Kernels))] string kernel)
    {
        GemmKernelKind kind = Resolve(kernel);
        (bool TransA, bool TransB, int M, int N, int K)[] shapes =
        [
            (false, false, 257, 257, 257), // packed, 2D grid, ragged tiles, two k blocks
            (false, false, 300, 100, 200), // small B streamed in place, split by rows and columns
            (true, true, 200, 130, 90),    // packed, both operands transposed while packing
            (false, false, 8, 1000, 300),  // m ≤ 8 row-broadcast path, split by columns
            (true, true, 7, 1000, 400),    // m ≤ 8 with staged op(A), dot path
            (false, false, 1500, 5, 400),  // n ≤ 8 with staged op(B), dot path split by rows
            (true, false, 1500, 6, 300),   // n ≤ 8 through the transposed product
        ];
        foreach ((bool transA, bool transB, int m, int n, int k) in shapes)
        {
            var random = new Random(m + n + k);
            float[] a = RandomArray(random, m * k);
            float[] b = RandomArray(random, k * n);
            float[] c0 = RandomArray(random, m * n);
            int lda = transA ? m : k;
            int ldb = transB ? k : n;
            float[] single = (float[])c0.Clone();
            GemmDriver.Multiply(transA, transB, m, n, k, a, lda, b, ldb, single, n, true, 1, kind);
            foreach (int threads in new[] { 2, 3 })
            {
                float[] parallel = (float[])c0.Clone();
                GemmDriver.Multiply(transA, transB, m, n, k, a, lda, b, ldb, parallel, n, true, threads, kind);
                AssertBitIdentical(single, parallel, $"{m}x{n}x{k} transA={transA} transB={transB} threads={threads}");
            }
        }
    }

    [Test]
    public void Batched_WithBroadcastOperands_MatchesPerEntryReference(
        [ValueSource(nameof(Kernels))] string kernel,
        [Values(0, 1, 2)] int broadcast)
    {
        GemmKernelKind kind = Resolve(kernel);
        var random = new Random(3 + broadcast);

        // Small entries (parallel across entries) and one large shape (parallel inside each entry).
        foreach ((int batch, int m, int n, int k, bool transA, bool transB) in new[] { (80, 33, 65, 17, false, true), (3, 8, 63, 5, true, false), (2, 130, 129, 140, false, false) })
        {
            int lda = (transA ? m : k) + 1;
            int ldb = transB ? k : n;
            int ldc = n + 2;
            int aSize = ((transA ? k : m) - 1) * lda + (transA ? m : k);
            int bSize = ((transB ? n : k) - 1) * ldb + (transB ? k : n);
            int cSize = ((m - 1) * ldc) + n;
            int strideA = broadcast == 1 ? 0 : aSize + 5;
            int strideB = broadcast == 2 ? 0 : bSize;
            int strideC = cSize + 1;
            float[] a = RandomArray(random, (strideA * (batch - 1)) + aSize);
            float[] b = RandomArray(random, (strideB * (batch - 1)) + bSize);
            float[] c0 = RandomArray(random, (strideC * (batch - 1)) + cSize);

            float[] expectedSerial = (float[])c0.Clone();
            GemmDriver.MultiplyBatched(batch, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, expectedSerial, ldc, strideC, true, 1, kind);
            for (int threads = 2; threads <= 3; threads++)
            {
                float[] parallel = (float[])c0.Clone();
                GemmDriver.MultiplyBatched(batch, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, parallel, ldc, strideC, true, threads, kind);
                AssertBitIdentical(expectedSerial, parallel, $"batched {batch}x{m}x{n}x{k} threads={threads}");
            }

            for (int i = 0; i < batch; i++)
            {
                AssertMatchesReference(
                    transA, transB, m, n, k,
                    a.AsSpan(i * strideA, aSize).ToArray(), lda,
                    b.AsSpan(i * strideB, bSize).ToArray(), ldb,
                    c0.AsSpan(i * strideC, cSize).ToArray(),
                    expectedSerial.AsSpan(i * strideC, cSize).ToArray(),
                    ldc,
                    accumulate: true,
                    $"batch entry {i} of {batch}x{m}x{n}x{k}");
            }

            // Gaps between C matrices are never written.
            for (int i = 1; i < batch; i++)
            {
                Assert.That(expectedSerial[(i * strideC) - 1], Is.EqualTo(c0[(i * strideC) - 1]), "gap between C matrices was written");
            }
        }
    }

    [Test]
    public void ZeroK_ClearsOrKeepsC([Values] bool accumulate, [Values] bool transA, [Values] bool transB)
    {
        float[] c = [1, 2, 3, 4, 5, 6, 7];

        // The stored operands are empty (0 × something); their leading dimensions are then unconstrained.
        GemmDriver.Multiply(transA, transB, 2, 3, 0, ReadOnlySpan<float>.Empty, 0, ReadOnlySpan<float>.Empty, 0, c, 4, accumulate, 1);
        float[] expected = accumulate ? [1, 2, 3, 4, 5, 6, 7] : [0, 0, 0, 4, 0, 0, 0];
        Assert.That(c, Is.EqualTo(expected));
    }

    [Test]
    public void EmptyOutputs_AreNoOps()
    {
        float[] c = [42];
        GemmDriver.Multiply(false, false, 0, 5, 5, ReadOnlySpan<float>.Empty, 5, new float[25], 5, Span<float>.Empty, 5, false);
        GemmDriver.Multiply(false, false, 1, 0, 5, new float[5], 5, ReadOnlySpan<float>.Empty, 0, c, 0, false);
        GemmDriver.MultiplyBatched(0, false, false, 2, 2, 2, ReadOnlySpan<float>.Empty, 2, 4, ReadOnlySpan<float>.Empty, 2, 4, Span<float>.Empty, 2, 4, false);
        Assert.That(c[0], Is.EqualTo(42f));
    }

    [Test]
    public void SteadyStateCalls_DoNotAllocate([Values(1, 64, 200)] int m)
    {
        var a = new float[m * 64];
        var b = new float[64 * 64];
        var c = new float[m * 64];
        GemmDriver.Multiply(false, true, m, 64, 64, a, 64, b, 64, c, 64, false, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            GemmDriver.Multiply(false, true, m, 64, 64, a, 64, b, 64, c, 64, false, 1);
            GemmDriver.Multiply(true, false, m, 64, 64, a, m, b, 64, c, 64, true, 1);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void InvalidArguments_ThrowWithTheArgumentName()
    {
        var a = new float[12];
        var b = new float[12];
        var c = new float[9];
        Assert.Multiple(() =>
        {
            Assert.That(() => GemmDriver.Multiply(false, false, -1, 3, 4, a, 4, b, 3, c, 3, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("m"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, -3, 4, a, 4, b, 3, c, 3, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("n"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, 3, -4, a, 4, b, 3, c, 3, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("k"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, 3, 4, a, 3, b, 3, c, 3, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("lda"));
            Assert.That(() => GemmDriver.Multiply(false, true, 3, 3, 4, a, 4, b, 3, c, 3, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("ldb"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, 3, 4, a, 4, b, 3, c, 2, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("ldc"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, 3, 4, a.AsSpan(1), 4, b, 3, c, 3, false), Throws.ArgumentException.With.Property("ParamName").EqualTo("a"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, 3, 4, a, 4, b.AsSpan(1), 3, c, 3, false), Throws.ArgumentException.With.Property("ParamName").EqualTo("b"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, 3, 4, a, 4, b, 3, c, 4, false), Throws.ArgumentException.With.Property("ParamName").EqualTo("c"));
            Assert.That(() => GemmDriver.Multiply(false, false, 3, 3, 4, a, 4, b, 3, c, 3, false, -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("maxDegreeOfParallelism"));
            Assert.That(() => GemmDriver.MultiplyBatched(-1, false, false, 1, 1, 1, a, 1, 1, b, 1, 1, c, 1, 1, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("batch"));
            Assert.That(() => GemmDriver.MultiplyBatched(2, false, false, 1, 1, 1, a, 1, -1, b, 1, 1, c, 1, 1, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("strideA"));
            Assert.That(() => GemmDriver.MultiplyBatched(2, false, false, 2, 2, 2, a, 2, 4, b, 2, 4, c, 2, 3, false), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("strideC"));
            Assert.That(() => GemmDriver.MultiplyBatched(4, false, false, 2, 2, 2, a, 2, 4, b, 2, 0, c, 2, 4, false), Throws.ArgumentException.With.Property("ParamName").EqualTo("a"));
            Assert.That(() => GemmDriver.MultiplyBatched(3, false, false, 2, 2, 2, a, 2, 0, b, 2, 0, c, 2, 4, false), Throws.ArgumentException.With.Property("ParamName").EqualTo("c"));
        });
    }

    [Test]
    public void EngineSettings_RejectsNonPositiveParallelism()
    {
        int original = EngineSettings.MaxDegreeOfParallelism;
        Assert.That(original, Is.GreaterThanOrEqualTo(1));
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => EngineSettings.MaxDegreeOfParallelism = 0);
        Assert.That(exception!.Message, Does.Contain("at least 1"));
        Assert.That(() => EngineSettings.MaxDegreeOfParallelism = -3, Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(EngineSettings.MaxDegreeOfParallelism, Is.EqualTo(original));
    }

    private static GemmKernelKind Resolve(string kernel)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        try
        {
            return GemmDriver.ResolveKernel(kind);
        }
        catch (NotSupportedException e)
        {
            Assert.Ignore(e.Message);
            throw;
        }
    }

    private static void CheckAgainstReference(Shape s, GemmKernelKind kind, Random random, int threads)
    {
        int aRows = s.TransA ? s.K : s.M;
        int aCols = s.TransA ? s.M : s.K;
        int bRows = s.TransB ? s.N : s.K;
        int bCols = s.TransB ? s.K : s.N;
        int lda = aCols + s.Padding;
        int ldb = bCols + s.Padding;
        int ldc = s.N + s.Padding;
        float[] a = RandomArray(random, ((aRows - 1) * lda) + aCols);
        float[] b = RandomArray(random, ((bRows - 1) * ldb) + bCols);
        float[] c0 = RandomArray(random, ((s.M - 1) * ldc) + s.N);

        // Padding between C rows must survive untouched: fill it with a NaN payload and compare bits.
        for (int i = 0; i < s.M - 1; i++)
        {
            c0.AsSpan((i * ldc) + s.N, s.Padding).Fill(BitConverter.Int32BitsToSingle(0x7FC0_1234));
        }

        float[] c = (float[])c0.Clone();
        GemmDriver.Multiply(s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c, ldc, s.Accumulate, threads, kind);
        AssertMatchesReference(s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c0, c, ldc, s.Accumulate, $"{s} kernel={kind} threads={threads}");
    }

    private static void AssertMatchesReference(
        bool transA, bool transB, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c0, float[] c, int ldc, bool accumulate, string context)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                double scale = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    double y = transB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += x * y;
                    scale += Math.Abs(x * y);
                }

                if (accumulate)
                {
                    sum += c0[(i * ldc) + j];
                    scale += Math.Abs(c0[(i * ldc) + j]);
                }

                double error = Math.Abs(c[(i * ldc) + j] - sum);
                double tolerance = 2 * (k + 1) * UnitRoundoff * scale;
                if (!(error <= tolerance))
                {
                    Assert.Fail($"{context}: C[{i},{j}] = {c[(i * ldc) + j]:R}, reference {sum:R}, error {error:E3} > tolerance {tolerance:E3}");
                }
            }

            for (int j = n; i < m - 1 && j < ldc; j++)
            {
                if (BitConverter.SingleToInt32Bits(c[(i * ldc) + j]) != BitConverter.SingleToInt32Bits(c0[(i * ldc) + j]))
                {
                    Assert.Fail($"{context}: padding C[{i},{j}] beyond column {n} was written");
                }
            }
        }
    }

    private static void AssertBitIdentical(float[] expected, float[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{context}: element {i} differs ({expected[i]:R} vs {actual[i]:R})");
            }
        }
    }

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[Math.Max(length, 0)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    private readonly record struct Shape(bool TransA, bool TransB, int M, int N, int K, bool Accumulate, int Padding);
}

using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

/// <summary>Cholesky and triangular solves: values, errors and gradients.</summary>
public class LinalgTests
{
    /// <summary>A random symmetric positive-definite batch X·Xᵀ + d·I (no gradient).</summary>
    private static Tensor RandomSpd(RandomGenerator rng, int[] batch, int d)
    {
        var x = Tensor.RandomUniform(rng, [.. batch, d, d], -1f, 1f);
        var identity = Tensor.Zeros(d, d);
        for (int i = 0; i < d; i++) identity[i, i] = d;
        return Tensor.MatMul(x, x, transposeB: true) + identity;
    }

    /// <summary>A random triangular-ish matrix batch: diagonal of magnitude in [1, 2], everything else in [−1, 1] (the unread triangle is garbage on purpose).</summary>
    private static Tensor RandomTriangular(RandomGenerator rng, int[] shape, bool requiresGrad = false)
    {
        var t = Tensor.RandomUniform(rng, shape, -1f, 1f);
        int d = shape[^1];
        var span = t.AsSpan();
        for (int m = 0; m < t.Size / (d * d); m++)
            for (int i = 0; i < d; i++)
                span[m * d * d + i * d + i] = (float)((1 + rng.NextDouble()) * (rng.NextDouble() < 0.5 ? -1 : 1));
        t.RequiresGrad = requiresGrad;
        return t;
    }

    [Test]
    public void CholeskyMatchesHandComputedFactors()
    {
        var l2 = Tensor.Cholesky(Tensor.FromArray([4f, 2f, 2f, 3f], 2, 2));
        Assert.That(l2.ToArray(), Is.EqualTo(new[] { 2f, 0f, 1f, MathF.Sqrt(2f) }).Within(1e-6));

        var l3 = Tensor.Cholesky(Tensor.FromArray([4f, 12f, -16f, 12f, 37f, -43f, -16f, -43f, 98f], 3, 3));
        Assert.That(l3.ToArray(), Is.EqualTo(new[] { 2f, 0f, 0f, 6f, 1f, 0f, -8f, 5f, 3f }).Within(1e-5));
    }

    [Test]
    public void CholeskyReadsOnlyTheLowerTriangle()
    {
        var l = Tensor.Cholesky(Tensor.FromArray([4f, 99f, 2f, 3f], 2, 2));
        Assert.That(l.ToArray(), Is.EqualTo(new[] { 2f, 0f, 1f, MathF.Sqrt(2f) }).Within(1e-6));
    }

    [Test]
    public void CholeskyReconstructsBatchedMatrices([Values(1, 3, 7)] int d)
    {
        var rng = GradCheck.TestRng();
        var a = RandomSpd(rng, [2, 3], d);
        var l = Tensor.Cholesky(a);
        Assert.That(l.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, d, d }));
        var values = l.ToArray();
        for (int m = 0; m < 6; m++)
            for (int i = 0; i < d; i++)
            {
                Assert.That(values[m * d * d + i * d + i], Is.GreaterThan(0f));
                for (int j = i + 1; j < d; j++) Assert.That(values[m * d * d + i * d + j], Is.EqualTo(0f));
            }
        Assert.That(Tensor.MatMul(l, l, transposeB: true).ToArray(), Is.EqualTo(a.ToArray()).Within(1e-4 * d));
    }

    [Test]
    public void CholeskyRejectsMatricesThatAreNotPositiveDefinite()
    {
        var a = Tensor.FromArray([2f, 0f, 0f, 1f, 1f, 2f, 2f, 1f], 2, 2, 2);
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Cholesky(a));
        Assert.That(ex!.Message, Does.Contain("cholesky").And.Contain("batch index 1").And.Contain("not positive definite"));

        var nan = Tensor.FromArray([float.NaN, 0f, 0f, 1f], 2, 2);
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Cholesky(nan))!.Message, Does.Contain("batch index 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Cholesky(Tensor.Zeros(2, 3)))!.Message, Does.Contain("cholesky").And.Contain("[2, 3]"));
    }

    [Test]
    public void SolveTriangularMatchesHandSubstitution()
    {
        var t = Tensor.FromArray([2f, 0f, 1f, 4f], 2, 2);           // lower [[2, 0], [1, 4]]
        var b = Tensor.FromArray([2f, 9f], 2, 1);
        Assert.That(Tensor.SolveTriangular(t, b).ToArray(), Is.EqualTo(new[] { 1f, 2f }).Within(1e-6));
        // Tᵀ = [[2, 1], [0, 4]]: x₂ = 9/4, x₁ = (2 − 9/4)/2.
        Assert.That(Tensor.SolveTriangular(t, b, transpose: true).ToArray(), Is.EqualTo(new[] { -0.125f, 2.25f }).Within(1e-6));
        var u = Tensor.FromArray([2f, 1f, 0f, 4f], 2, 2);           // upper [[2, 1], [0, 4]]
        Assert.That(Tensor.SolveTriangular(u, b, upper: true).ToArray(), Is.EqualTo(new[] { -0.125f, 2.25f }).Within(1e-6));
        Assert.That(Tensor.SolveTriangular(u, b, upper: true, transpose: true).ToArray(), Is.EqualTo(new[] { 1f, 2f }).Within(1e-6));
    }

    private static readonly object[] BatchCases =
    [
        new object[] { new int[0], new int[0] },
        new object[] { new int[0], new[] { 2, 3 } },
        new object[] { new[] { 2 }, new[] { 2 } },
        new object[] { new[] { 4 }, new int[0] },
        new object[] { new[] { 2, 1 }, new[] { 3 } },
    ];

    [TestCaseSource(nameof(BatchCases))]
    public void SolveTriangularSatisfiesTheSystemForEveryVariant(int[] batchT, int[] batchB)
    {
        var rng = GradCheck.TestRng();
        const int d = 4, k = 3;
        foreach (bool upper in new[] { false, true })
            foreach (bool transpose in new[] { false, true })
            {
                var t = RandomTriangular(rng, [.. batchT, d, d]);
                var b = Tensor.RandomUniform(rng, [.. batchB, d, k], -1f, 1f);
                var x = Tensor.SolveTriangular(t, b, upper, transpose);
                int rank = Math.Max(batchT.Length, batchB.Length);
                var expectedBatch = new int[rank];
                for (int i = 1; i <= rank; i++)
                    expectedBatch[^i] = Math.Max(i <= batchT.Length ? batchT[^i] : 1, i <= batchB.Length ? batchB[^i] : 1);
                Assert.That(x.Shape.ToArray(), Is.EqualTo(expectedBatch.Concat(new[] { d, k }).ToArray()));

                // op(triangle of T)·X must give B back, entry by entry, with broadcast batch indices.
                var tv = t.ToArray();
                var bv = b.ToArray();
                var xv = x.ToArray();
                int count = x.Size / (d * k);
                for (int n = 0; n < count; n++)
                {
                    int tIndex = BroadcastIndex(n, expectedBatch, batchT), bIndex = BroadcastIndex(n, expectedBatch, batchB);
                    for (int i = 0; i < d; i++)
                        for (int c = 0; c < k; c++)
                        {
                            double sum = 0;
                            for (int j = 0; j < d; j++)
                            {
                                int r = transpose ? j : i, s = transpose ? i : j;
                                bool inTriangle = upper ? s >= r : s <= r;
                                if (inTriangle) sum += tv[tIndex * d * d + r * d + s] * xv[n * d * k + j * k + c];
                            }
                            Assert.That(sum, Is.EqualTo(bv[bIndex * d * k + i * k + c]).Within(1e-4),
                                $"upper={upper} transpose={transpose} batch {n} row {i} column {c}");
                        }
                }
            }
    }

    private static int BroadcastIndex(int flat, int[] full, int[] operand)
    {
        var coordinate = new int[full.Length];
        for (int axis = full.Length - 1; axis >= 0; axis--)
        {
            coordinate[axis] = flat % full[axis];
            flat /= full[axis];
        }
        int index = 0, offset = full.Length - operand.Length;
        for (int i = 0; i < operand.Length; i++) index = index * operand[i] + (operand[i] == 1 ? 0 : coordinate[offset + i]);
        return index;
    }

    [Test]
    public void SolveTriangularRejectsBadShapes()
    {
        var t = Tensor.Zeros(3, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.SolveTriangular(Tensor.Zeros(3, 2), Tensor.Zeros(3, 1)))!.Message,
            Does.Contain("solve_triangular").And.Contain("[3, 2]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.SolveTriangular(t, Tensor.Zeros(2, 1)))!.Message,
            Does.Contain("solve_triangular").And.Contain("[2, 1]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.SolveTriangular(Tensor.Zeros(2, 3, 3), Tensor.Zeros(4, 3, 1)))!.Message,
            Does.Contain("cannot be broadcast"));
    }

    [Test]
    public void CholeskyGradient([Values(1, 2, 3, 5)] int d, [Values(0, 2)] int batchDims)
    {
        var rng = GradCheck.TestRng();
        int[] batch = batchDims == 0 ? [] : [2, 1];
        var identity = Tensor.Zeros(d, d);
        for (int i = 0; i < d; i++) identity[i, i] = d;
        // A = X·Xᵀ + d·I is symmetric by construction, as the symmetric gradient convention requires.
        GradCheck.Check(x => Tensor.Cholesky(Tensor.MatMul(x[0], x[0], transposeB: true) + identity), [GradCheck.Input(rng, [.. batch, d, d])]);
    }

    [Test]
    public void CholeskyGradientThroughALogDeterminant()
    {
        // d/dA log det A = A⁻¹ for symmetric A; log det A = 2 Σ log L_ii. Cross-checks the rule on a scalar loss.
        var rng = GradCheck.TestRng();
        var a = RandomSpd(rng, [], 3);
        a.RequiresGrad = true;
        var l = Tensor.Cholesky(a);
        var diagonal = l.Reshape(9).IndexSelect(0, [0, 4, 8]);
        (diagonal.Log().Sum() * 2f).Backward();
        var product = Tensor.MatMul(a.Detach(), a.Grad!).ToArray();
        Assert.That(product, Is.EqualTo(new[] { 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f }).Within(1e-4));
    }

    private static readonly object[] SolveGradientCases =
    [
        new object[] { 1, 1, new int[0], new int[0] },
        new object[] { 2, 3, new int[0], new[] { 2, 3 } },
        new object[] { 3, 1, new[] { 2 }, new[] { 2 } },
        new object[] { 5, 2, new[] { 2, 1 }, new[] { 3 } },
        new object[] { 3, 2, new[] { 3 }, new int[0] },
    ];

    [TestCaseSource(nameof(SolveGradientCases))]
    public void SolveTriangularGradient(int d, int k, int[] batchT, int[] batchB)
    {
        var rng = GradCheck.TestRng();
        foreach (bool upper in new[] { false, true })
            foreach (bool transpose in new[] { false, true })
                GradCheck.Check(x => Tensor.SolveTriangular(x[0], x[1], upper, transpose),
                    [RandomTriangular(rng, [.. batchT, d, d], requiresGrad: true), GradCheck.Input(rng, [.. batchB, d, k])]);
    }
}

using RLKit.Distributions;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Distributions;

/// <summary>Full-covariance Gaussians and their divergences (Mix &amp; Mask stochastic mix function, seed 000 §4.1).</summary>
public class MultivariateGaussianTests
{
    // A correlated 2-D case: Σ = [[2, 0.6], [0.6, 1]], det 1.64, Σ⁻¹ = [[1, −0.6], [−0.6, 2]] / 1.64.
    private static readonly double[] CorrelatedCovariance = [2, 0.6, 0.6, 1];

    private static Tensor Matrix(double[] values, int d) => Tensor.FromArray(values.Select(v => (float)v).ToArray(), d, d);

    /// <summary>diag(exp(logStd)) as [..., d, d], differentiable.</summary>
    private static Tensor DiagonalScale(Tensor logStd)
    {
        int d = logStd.Dim(-1);
        var identity = Tensor.Zeros(d, d);
        for (int i = 0; i < d; i++) identity[i, i] = 1f;
        return logStd.Exp().Unsqueeze(-2) * identity;
    }

    /// <summary>A random lower (or upper) scale leaf: diagonal in [0.8, 1.5], the rest (including the unread triangle) in [−0.5, 0.5].</summary>
    private static Tensor RandomScale(RandomGenerator rng, int[] shape, bool requiresGrad = true)
    {
        var s = Tensor.RandomUniform(rng, shape, -0.5f, 0.5f);
        int d = shape[^1];
        var span = s.AsSpan();
        for (int m = 0; m < s.Size / (d * d); m++)
            for (int i = 0; i < d; i++) span[m * d * d + i * d + i] = (float)(0.8 + 0.7 * rng.NextDouble());
        s.RequiresGrad = requiresGrad;
        return s;
    }

    private static double KlNormal2D(double[] meanP, double[] covP, double[] meanQ, double[] covQ)
    {
        double detP = covP[0] * covP[3] - covP[1] * covP[2], detQ = covQ[0] * covQ[3] - covQ[1] * covQ[2];
        double[] inverseQ = [covQ[3] / detQ, -covQ[1] / detQ, -covQ[2] / detQ, covQ[0] / detQ];
        double trace = inverseQ[0] * covP[0] + inverseQ[1] * covP[2] + inverseQ[2] * covP[1] + inverseQ[3] * covP[3];
        double g0 = meanQ[0] - meanP[0], g1 = meanQ[1] - meanP[1];
        double quadratic = g0 * (inverseQ[0] * g0 + inverseQ[1] * g1) + g1 * (inverseQ[2] * g0 + inverseQ[3] * g1);
        return 0.5 * (trace + quadratic - 2 + Math.Log(detQ / detP));
    }

    [Test]
    public void DiagonalScaleGivesTheDiagonalGaussian([Values(false, true)] bool upper)
    {
        var rng = GradCheck.TestRng();
        var mean = Tensor.RandomNormal(rng, [3, 4]);
        var logStd = Tensor.RandomUniform(rng, [3, 4], -1f, 1f);
        var value = Tensor.RandomNormal(rng, [3, 4]);
        var full = new MultivariateGaussian(mean, DiagonalScale(logStd), upper);
        var diagonal = new DiagGaussian(mean, logStd);
        Assert.That(full.LogProb(value).ToArray(), Is.EqualTo(diagonal.LogProb(value).ToArray()).Within(1e-4));
        Assert.That(full.Entropy().ToArray(), Is.EqualTo(diagonal.Entropy().ToArray()).Within(1e-5));
        Assert.That(full.Dimension, Is.EqualTo(4));
        Assert.That(full.Mode(), Is.SameAs(mean));
    }

    [Test]
    public void CorrelatedLogProbAndEntropyMatchHandComputedValues()
    {
        double[] mu = [1, -1], x = [0.5, 0.3];
        var p = MultivariateGaussian.FromCovariance(Tensor.FromArray([1f, -1f]), Matrix(CorrelatedCovariance, 2));
        double det = 1.64, d0 = x[0] - mu[0], d1 = x[1] - mu[1];
        double quadratic = (d0 * d0 * 1 - 2 * 0.6 * d0 * d1 + 2 * d1 * d1) / det;
        double logProb = -0.5 * quadratic - 0.5 * Math.Log(det) - Math.Log(2 * Math.PI);
        Assert.That(p.LogProb(Tensor.FromArray([0.5f, 0.3f])).Item(), Is.EqualTo(logProb).Within(1e-5));
        Assert.That(p.Entropy().Item(), Is.EqualTo(1 + Math.Log(2 * Math.PI) + 0.5 * Math.Log(det)).Within(1e-5));
        Assert.That(p.Covariance.ToArray(), Is.EqualTo(CorrelatedCovariance.Select(v => (float)v).ToArray()).Within(1e-5));
    }

    [Test]
    public void UpperScaleIsTheTransposeOfTheLowerFactor()
    {
        // Σ = Lᵀ·L with L lower, used directly as S = Lᵀ (upper), is the distribution FromCovariance(LᵀL) gives.
        var rng = GradCheck.TestRng();
        const int d = 3;
        var l = RandomScale(rng, [d, d], requiresGrad: false) * LowerMask(d);
        var mean = Tensor.RandomNormal(rng, [2, d]);
        var upper = new MultivariateGaussian(mean, l.T(), upperScale: true);
        var covariance = Tensor.MatMul(l, l, transposeA: true);
        var viaCholesky = MultivariateGaussian.FromCovariance(mean, covariance);
        Assert.That(upper.UpperScale, Is.True);
        Assert.That(upper.Covariance.ToArray(), Is.EqualTo(covariance.ToArray()).Within(1e-5));
        var value = Tensor.RandomNormal(rng, [2, d]);
        Assert.That(upper.LogProb(value).ToArray(), Is.EqualTo(viaCholesky.LogProb(value).ToArray()).Within(1e-4));
        Assert.That(upper.Entropy().ToArray(), Is.EqualTo(viaCholesky.Entropy().ToArray()).Within(1e-5));
        Assert.That(Kl.Divergence(upper, viaCholesky).ToArray(), Is.EqualTo(new[] { 0f, 0f }).Within(1e-4));
    }

    private static Tensor LowerMask(int d)
    {
        var mask = Tensor.Zeros(d, d);
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++) mask[i, j] = 1f;
        return mask;
    }

    [Test]
    public void RSampleIsMeanPlusScaleTimesNoise()
    {
        // Lower S = [[2, ·], [1, 3]] (the 7 is in the unread triangle), ε = [1, −1]: S·ε = [2, −2].
        var mean = Tensor.FromArray([0.5f, 1f, 0.5f, 1f], 2, 2);
        var noise = Tensor.FromArray([1f, -1f, 0f, 1f], 2, 2);
        var expected = new[] { 2.5f, -1f, 0.5f, 4f };
        var scale = Tensor.FromArray([2f, 7f, 1f, 3f], 2, 2);
        Assert.That(new MultivariateGaussian(mean, scale).RSample(noise).ToArray(), Is.EqualTo(expected).Within(1e-6));
        var batched = Tensor.Stack([scale, scale], 0);
        Assert.That(new MultivariateGaussian(mean, batched).RSample(noise).ToArray(), Is.EqualTo(expected).Within(1e-6));
        Assert.That(new MultivariateGaussian(mean, scale.Reshape(1, 2, 2)).RSample(noise).ToArray(), Is.EqualTo(expected).Within(1e-6));
        // Upper S = [[2, 1], [·, 3]]: S·ε = [1, −3].
        Assert.That(new MultivariateGaussian(mean, Tensor.FromArray([2f, 1f, 7f, 3f], 2, 2), upperScale: true).RSample(noise).ToArray(),
            Is.EqualTo(new[] { 1.5f, -2f, 1.5f, 4f }).Within(1e-6));
    }

    [Test]
    public void SamplesHaveTheCovariance()
    {
        var rng = GradCheck.TestRng();
        const int n = 20000;
        var p = MultivariateGaussian.FromCovariance(Tensor.Zeros(n, 2), Matrix(CorrelatedCovariance, 2));
        var s = p.Sample(rng).ToArray();
        double s00 = 0, s01 = 0, s11 = 0;
        for (int i = 0; i < n; i++)
        {
            s00 += s[2 * i] * s[2 * i];
            s01 += s[2 * i] * s[2 * i + 1];
            s11 += s[2 * i + 1] * s[2 * i + 1];
        }
        Assert.That(new[] { s00 / n, s01 / n, s11 / n }, Is.EqualTo(new[] { 2.0, 0.6, 1.0 }).Within(0.08));
    }

    [Test]
    public void KlMatchesTheDiagonalKlForDiagonalScales()
    {
        var rng = GradCheck.TestRng();
        var meanP = Tensor.RandomNormal(rng, [3, 4]);
        var meanQ = Tensor.RandomNormal(rng, [3, 4]);
        var logStdP = Tensor.RandomUniform(rng, [3, 4], -1f, 1f);
        var logStdQ = Tensor.RandomUniform(rng, [3, 4], -1f, 1f);
        var full = Kl.Divergence(new MultivariateGaussian(meanP, DiagonalScale(logStdP)), new MultivariateGaussian(meanQ, DiagonalScale(logStdQ)));
        var diagonal = Kl.Divergence(new DiagGaussian(meanP, logStdP), new DiagGaussian(meanQ, logStdQ));
        Assert.That(full.ToArray(), Is.EqualTo(diagonal.ToArray()).Within(1e-4 * 10));
    }

    [Test]
    public void KlVanishesForEqualDistributionsAndMatchesAHandComputedCorrelatedCase()
    {
        var rng = GradCheck.TestRng();
        var p = new MultivariateGaussian(Tensor.RandomNormal(rng, [2, 3]), RandomScale(rng, [2, 3, 3], requiresGrad: false));
        Assert.That(Kl.Divergence(p, p).ToArray(), Is.EqualTo(new[] { 0f, 0f }).Within(1e-5));

        double[] meanP = [1, -1], meanQ = [0.2, 0.4], covarianceQ = [1.5, -0.4, -0.4, 0.8];
        var fullP = MultivariateGaussian.FromCovariance(Tensor.FromArray([1f, -1f]), Matrix(CorrelatedCovariance, 2));
        var fullQ = MultivariateGaussian.FromCovariance(Tensor.FromArray([0.2f, 0.4f]), Matrix(covarianceQ, 2));
        Assert.That(Kl.Divergence(fullP, fullQ).Item(), Is.EqualTo(KlNormal2D(meanP, CorrelatedCovariance, meanQ, covarianceQ)).Within(1e-5));
        Assert.That(Kl.Divergence(fullQ, fullP).Item(), Is.EqualTo(KlNormal2D(meanQ, covarianceQ, meanP, CorrelatedCovariance)).Within(1e-5));
    }

    [Test]
    public void KlBroadcastsASharedScale()
    {
        // One [d, d] scale shared by a batch of means equals the same scale repeated per row.
        var rng = GradCheck.TestRng();
        var meanP = Tensor.RandomNormal(rng, [3, 2]);
        var meanQ = Tensor.RandomNormal(rng, [3, 2]);
        var scaleP = RandomScale(rng, [2, 2], requiresGrad: false);
        var scaleQ = RandomScale(rng, [3, 2, 2], requiresGrad: false);
        var shared = Kl.Divergence(new MultivariateGaussian(meanP, scaleP), new MultivariateGaussian(meanQ, scaleQ));
        var repeated = Kl.Divergence(new MultivariateGaussian(meanP, Tensor.Stack([scaleP, scaleP, scaleP], 0)), new MultivariateGaussian(meanQ, scaleQ));
        Assert.That(shared.Shape.ToArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(shared.ToArray(), Is.EqualTo(repeated.ToArray()).Within(1e-5));
        var reverse = Kl.Divergence(new MultivariateGaussian(meanQ, scaleQ), new MultivariateGaussian(meanP, scaleP));
        var reverseRepeated = Kl.Divergence(new MultivariateGaussian(meanQ, scaleQ), new MultivariateGaussian(meanP, Tensor.Stack([scaleP, scaleP, scaleP], 0)));
        Assert.That(reverse.ToArray(), Is.EqualTo(reverseRepeated.ToArray()).Within(1e-5));
    }

    [Test]
    public void JDivergenceIsHalfTheSymmetrisedKl()
    {
        var rng = GradCheck.TestRng();
        var p = new MultivariateGaussian(Tensor.RandomNormal(rng, [3, 4]), RandomScale(rng, [3, 4, 4], requiresGrad: false));
        var q = new MultivariateGaussian(Tensor.RandomNormal(rng, [3, 4]), RandomScale(rng, [4, 4], requiresGrad: false), upperScale: true);
        var j = Divergences.JDivergence(p, q).ToArray();
        var forward = Kl.Divergence(p, q).ToArray();
        var backward = Kl.Divergence(q, p).ToArray();
        for (int b = 0; b < 3; b++)
        {
            Assert.That(forward[b], Is.Not.EqualTo(backward[b]).Within(1e-6));
            Assert.That(j[b], Is.EqualTo(0.5 * (forward[b] + backward[b])).Within(1e-4 * Math.Max(1, Math.Abs(j[b]))));
        }
    }

    [Test]
    public void RadiusAndArithmeticGeometricMatchTheDiagonalVersionsForDiagonalScales()
    {
        var rng = GradCheck.TestRng();
        var meanP = Tensor.RandomNormal(rng, [3, 4]);
        var meanQ = Tensor.RandomNormal(rng, [3, 4]);
        var logStdP = Tensor.RandomUniform(rng, [3, 4], -0.5f, 0.5f);
        var logStdQ = Tensor.RandomUniform(rng, [3, 4], -0.5f, 0.5f);
        var fullP = new MultivariateGaussian(meanP, DiagonalScale(logStdP));
        var fullQ = new MultivariateGaussian(meanQ, DiagonalScale(logStdQ));
        var diagP = new DiagGaussian(meanP, logStdP);
        var diagQ = new DiagGaussian(meanQ, logStdQ);
        const MixtureApproximation average = MixtureApproximation.AverageOfVariables;
        Assert.That(Divergences.InformationRadius(fullP, fullQ, average).ToArray(), Is.EqualTo(Divergences.InformationRadius(diagP, diagQ, average).ToArray()).Within(1e-4));
        Assert.That(Divergences.ArithmeticGeometric(fullP, fullQ, average).ToArray(), Is.EqualTo(Divergences.ArithmeticGeometric(diagP, diagQ, average).ToArray()).Within(1e-4));
        Assert.That(Divergences.JDivergence(fullP, fullQ).ToArray(), Is.EqualTo(Divergences.JDivergence(diagP, diagQ).ToArray()).Within(1e-3));

        // Moment matched: the full mixture covariance adds ΔΔᵀ/4, which is diagonal when the means differ in one coordinate only.
        var oneCoordinate = meanP * Tensor.FromArray([1f, 0f, 0f, 0f]) + meanQ * Tensor.FromArray([0f, 1f, 1f, 1f]);
        fullP = new MultivariateGaussian(oneCoordinate, DiagonalScale(logStdP));
        diagP = new DiagGaussian(oneCoordinate, logStdP);
        Assert.That(Divergences.InformationRadius(fullP, fullQ).ToArray(), Is.EqualTo(Divergences.InformationRadius(diagP, diagQ).ToArray()).Within(1e-4));
        Assert.That(Divergences.ArithmeticGeometric(fullP, fullQ).ToArray(), Is.EqualTo(Divergences.ArithmeticGeometric(diagP, diagQ).ToArray()).Within(1e-4));
    }

    [Test]
    public void DivergencesVanishForEqualDistributionsAndAreSymmetric()
    {
        var rng = GradCheck.TestRng();
        var p = new MultivariateGaussian(Tensor.RandomNormal(rng, [2, 3]), RandomScale(rng, [2, 3, 3], requiresGrad: false));
        var q = new MultivariateGaussian(Tensor.RandomNormal(rng, [2, 3]), RandomScale(rng, [3, 3], requiresGrad: false));
        Assert.That(Divergences.InformationRadius(p, p).ToArray(), Is.EqualTo(new[] { 0f, 0f }).Within(1e-5));
        Assert.That(Divergences.ArithmeticGeometric(p, p).ToArray(), Is.EqualTo(new[] { 0f, 0f }).Within(1e-5));
        Assert.That(Divergences.JDivergence(p, p).ToArray(), Is.EqualTo(new[] { 0f, 0f }).Within(1e-5));
        foreach (var m in Enum.GetValues<MixtureApproximation>())
        {
            var ir = Divergences.InformationRadius(p, q, m).ToArray();
            Assert.That(Divergences.InformationRadius(q, p, m).ToArray(), Is.EqualTo(ir).Within(1e-4));
            Assert.That(Divergences.ArithmeticGeometric(q, p, m).ToArray(), Is.EqualTo(Divergences.ArithmeticGeometric(p, q, m).ToArray()).Within(1e-4));
            Assert.That(ir, Has.All.GreaterThan(0f));
        }
    }

    [Test]
    public void PaperConstructionGivesAPositiveDefiniteCovariance([Values(1, 4, 16)] int d)
    {
        // Seed 000 §4.1: L = (cᵀc) ⊙ L_I + I with L_I the lower-triangular ones, Σ = Lᵀ·L.
        var rng = GradCheck.TestRng();
        for (int trial = 0; trial < 5; trial++)
        {
            var c = Tensor.RandomUniform(rng, [1, d], -2f, 2f);
            var identity = Tensor.Zeros(d, d);
            for (int i = 0; i < d; i++) identity[i, i] = 1f;
            var l = Tensor.MatMul(c, c, transposeA: true) * LowerMask(d) + identity;
            var covariance = Tensor.MatMul(l, l, transposeA: true);
            Assert.DoesNotThrow(() => Tensor.Cholesky(covariance));
            var p = new MultivariateGaussian(Tensor.Zeros(d), l.T(), upperScale: true);
            Assert.That(p.Covariance.ToArray(), Is.EqualTo(covariance.ToArray()).Within(1e-3 * (1 + covariance.ToArray().Max(Math.Abs))));
            for (int k = 0; k < 5; k++)
            {
                var x = Tensor.RandomNormal(rng, [d, 1]);
                float quadratic = Tensor.MatMul(x, Tensor.MatMul(covariance, x), transposeA: true).Item();
                Assert.That(quadratic, Is.GreaterThan(0f));
            }
        }
    }

    [Test]
    public void ShapesAreValidated()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MultivariateGaussian(Tensor.Zeros(2, 3), Tensor.Zeros(2, 2)));
        Assert.That(ex!.Message, Does.Contain("[2, 2]").And.Contain("[..., 3, 3]"));
        Assert.Throws<ArgumentException>(() => new MultivariateGaussian(Tensor.Zeros(2, 3), Tensor.Zeros(4, 3, 3)));
        Assert.Throws<ArgumentException>(() => new MultivariateGaussian(Tensor.Scalar(1f), Tensor.Zeros(1, 1)));
        var p = new MultivariateGaussian(Tensor.Zeros(2, 3), RandomScale(new RandomGenerator(1), [3, 3], requiresGrad: false));
        var q = new MultivariateGaussian(Tensor.Zeros(3), RandomScale(new RandomGenerator(2), [3, 3], requiresGrad: false));
        Assert.Throws<ArgumentException>(() => p.LogProb(Tensor.Zeros(3)));
        Assert.Throws<ArgumentException>(() => p.RSample(Tensor.Zeros(3)));
        Assert.That(Assert.Throws<ArgumentException>(() => Kl.Divergence(p, q))!.Message, Does.Contain("[2, 3]").And.Contain("[3]"));
        Assert.Throws<ArgumentException>(() => Divergences.JDivergence(p, q));
    }

    private static readonly object[] GradientCases =
    [
        new object[] { new int[0], 1, false },
        new object[] { new[] { 2 }, 3, true },
        new object[] { new[] { 2 }, 2, false },
    ];

    [TestCaseSource(nameof(GradientCases))]
    public void LogProbEntropyAndSampleGradients(int[] batch, int d, bool sharedScale)
    {
        var rng = GradCheck.TestRng();
        int[] scaleShape = sharedScale ? [d, d] : [.. batch, d, d];
        var value = Tensor.RandomNormal(rng, [.. batch, d]);
        var noise = Tensor.RandomNormal(rng, [.. batch, d]);
        foreach (bool upper in new[] { false, true })
        {
            Tensor[] Inputs() => [GradCheck.Input(rng, [.. batch, d]), RandomScale(rng, scaleShape)];
            GradCheck.Check(x => new MultivariateGaussian(x[0], x[1], upper).LogProb(value), Inputs());
            GradCheck.Check(x => new MultivariateGaussian(value, x[0], upper).Entropy(), [RandomScale(rng, scaleShape)]);
            GradCheck.Check(x => new MultivariateGaussian(x[0], x[1], upper).RSample(noise), Inputs());
        }
    }

    [TestCaseSource(nameof(GradientCases))]
    public void DivergenceGradients(int[] batch, int d, bool sharedScale)
    {
        var rng = GradCheck.TestRng();
        int[] scaleShape = sharedScale ? [d, d] : [.. batch, d, d];
        Tensor[] Inputs() => [GradCheck.Input(rng, [.. batch, d]), RandomScale(rng, scaleShape), GradCheck.Input(rng, [.. batch, d]), RandomScale(rng, [.. batch, d, d])];
        MultivariateGaussian P(Tensor[] x) => new(x[0], x[1]);
        MultivariateGaussian Q(Tensor[] x) => new(x[2], x[3], upperScale: true);
        GradCheck.Check(x => Kl.Divergence(P(x), Q(x)), Inputs());
        GradCheck.Check(x => Divergences.JDivergence(P(x), Q(x)), Inputs());
        foreach (var m in Enum.GetValues<MixtureApproximation>())
        {
            GradCheck.Check(x => Divergences.InformationRadius(P(x), Q(x), m), Inputs());
            GradCheck.Check(x => Divergences.ArithmeticGeometric(P(x), Q(x), m), Inputs());
        }
    }

    [Test]
    public void GradientThroughThePaperConstruction()
    {
        // c → L = (cᵀc) ⊙ L_I + I → S = Lᵀ (upper) → J-divergence against a fixed Gaussian.
        var rng = GradCheck.TestRng();
        const int d = 3;
        var identity = Tensor.Zeros(d, d);
        for (int i = 0; i < d; i++) identity[i, i] = 1f;
        var mean = Tensor.RandomNormal(rng, [2, d]);
        var other = new MultivariateGaussian(Tensor.RandomNormal(rng, [2, d]), RandomScale(rng, [d, d], requiresGrad: false));
        GradCheck.Check(x =>
        {
            var l = Tensor.MatMul(x[0], x[0], transposeA: true) * LowerMask(d) + identity;
            var p = new MultivariateGaussian(mean, l.T(), upperScale: true);
            return Divergences.JDivergence(p, other) + Divergences.InformationRadius(p, other);
        }, [GradCheck.Input(rng, [1, d], -0.7f, 0.7f)]);
    }
}

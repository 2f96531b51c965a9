using RLKit.Algorithms.MixMask;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.MixMask;

public class GaussianFeaturesTests
{
    private static readonly FeatureDistribution[] Kinds = [FeatureDistribution.DiagonalGaussian, FeatureDistribution.CholeskyGaussian];
    private static readonly Similarity[] Measures = [Similarity.InformationRadius, Similarity.JDivergence, Similarity.ArithmeticGeometric];

    private static GaussianFeatures Build(FeatureDistribution kind, bool stateDependent, int width, int seed) =>
        new(kind, stateDependent, width, new RandomGenerator(seed), LayerInit.Paper, Activation.LeakyReLU());

    [Test]
    public void SamplesAndMeansHaveTheLatentShape(
        [ValueSource(nameof(Kinds))] FeatureDistribution kind, [Values] bool stateDependent, [Values(1, 5)] int batch)
    {
        var rng = new RandomGenerator(1);
        var features = Build(kind, stateDependent, 7, seed: 2);
        var mean = Tensor.RandomNormal(rng, [batch, 7]);
        var distribution = features.Forward(mean, Tensor.RandomNormal(rng, [batch, 7]));
        Assert.That(distribution.Mean.ShapeArray(), Is.EqualTo(new[] { batch, 7 }));
        var sample = distribution.Sample(rng);
        Assert.That(sample.ShapeArray(), Is.EqualTo(new[] { batch, 7 }));
        Assert.That(MixModuleTests.MaxAbsDifference(sample, mean), Is.GreaterThan(1e-3f), "a sample is not the mean");
        Assert.That(distribution.Diagonal is null, Is.EqualTo(kind == FeatureDistribution.CholeskyGaussian));
    }

    [Test]
    public void SamplingWithoutAGeneratorGivesTheMean([ValueSource(nameof(Kinds))] FeatureDistribution kind, [Values] bool stateDependent)
    {
        var rng = new RandomGenerator(3);
        var mean = Tensor.RandomNormal(rng, [3, 4]);
        var distribution = Build(kind, stateDependent, 4, seed: 1).Forward(mean, Tensor.RandomNormal(rng, [3, 4]));
        Assert.That(distribution.Sample(null).ToArray(), Is.EqualTo(mean.ToArray()));
    }

    [Test]
    public void TheSameSeedGivesTheSameDistribution([ValueSource(nameof(Kinds))] FeatureDistribution kind, [Values] bool stateDependent)
    {
        var rng = new RandomGenerator(4);
        var mean = Tensor.RandomNormal(rng, [3, 4]);
        var input = Tensor.RandomNormal(rng, [3, 4]);
        var a = Build(kind, stateDependent, 4, seed: 5).Forward(mean, input).Sample(new RandomGenerator(6));
        var b = Build(kind, stateDependent, 4, seed: 5).Forward(mean, input).Sample(new RandomGenerator(6));
        Assert.That(b.ToArray(), Is.EqualTo(a.ToArray()));
    }

    [Test]
    public void DivergencesOfEqualDistributionsAreZeroAndOfDifferentOnesPositive(
        [ValueSource(nameof(Kinds))] FeatureDistribution kind, [Values] bool stateDependent, [ValueSource(nameof(Measures))] Similarity measure)
    {
        var rng = new RandomGenerator(7);
        var features = Build(kind, stateDependent, 5, seed: 8);
        var mean = Tensor.RandomNormal(rng, [3, 5]);
        var input = Tensor.RandomNormal(rng, [3, 5]);
        var p = features.Forward(mean, input);
        var same = features.Forward(mean.Clone(), input.Clone()).Divergence(p, measure);
        Assert.That(same.ShapeArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(same.ToArray(), Is.All.EqualTo(0f).Within(1e-4f));
        var different = features.Forward(Tensor.RandomNormal(rng, [3, 5]), Tensor.RandomNormal(rng, [3, 5])).Divergence(p, measure);
        Assert.That(different.ToArray(), Is.All.GreaterThan(1e-3f));
    }

    [Test]
    public void TheCholeskyScaleIsUpperTriangularAndItsCovarianceIsLTransposeL([Values] bool stateDependent)
    {
        const int width = 6;
        var rng = GradCheck.TestRng();
        var features = Build(FeatureDistribution.CholeskyGaussian, stateDependent, width, seed: rng.NextInt(1000));
        // Large random parameters: c·cᵀ dominates I, the hard case for conditioning.
        foreach (var (_, parameter) in features.NamedParameters()) rng.FillNormal(parameter.AsSpan(), 0f, 1.5f);
        const int batch = 3;
        var input = Tensor.RandomNormal(rng, [batch, width]);
        var distribution = features.Forward(Tensor.RandomNormal(rng, [batch, width]), input).Full!;
        Assert.That(distribution.UpperScale, Is.True);
        var scale = distribution.Scale.ToArray();
        var c = features.CholeskyVector(input).ToArray();
        var covariance = distribution.Covariance.ToArray();
        int scaleRows = stateDependent ? batch : 1;
        Assert.That(distribution.Scale.Size, Is.EqualTo(scaleRows * width * width));
        // A state-dependent c = ReLU(Linear(x)) can be all zero for a row (L = I, still a valid case); the check only
        // means something if some row has a non-zero c.
        Assert.That(c.Any(x => x != 0f), Is.True, "c should not be all zero for this check to mean anything");
        for (int b = 0; b < batch; b++)
        {
            int s = stateDependent ? b : 0;
            var cb = c.AsSpan(s * width, width).ToArray();
            // L = (c·cᵀ) ⊙ L_I + I in double; Σ = LᵀL.
            var l = new double[width, width];
            for (int i = 0; i < width; i++)
                for (int j = 0; j <= i; j++)
                    l[i, j] = (double)cb[i] * cb[j] + (i == j ? 1 : 0);
            for (int i = 0; i < width; i++)
                for (int j = 0; j < width; j++)
                {
                    if (i > j) Assert.That(scale[s * width * width + i * width + j], Is.EqualTo(0f), "the scale must be upper triangular");
                    else Assert.That(scale[s * width * width + i * width + j], Is.EqualTo((float)l[j, i]).Within(1e-5f));
                    double expected = 0;
                    for (int k = 0; k < width; k++) expected += l[k, i] * l[k, j];
                    float actual = covariance[(distribution.Covariance.Rank == 3 ? b : 0) * width * width + i * width + j];
                    Assert.That(actual, Is.EqualTo(expected).Within(1e-4 * Math.Max(1, Math.Abs(expected))));
                }
            Assert.That(IsPositiveDefinite(covariance, distribution.Covariance.Rank == 3 ? b : 0, width), Is.True);
        }
    }

    [Test]
    public void TheDiagonalLogStdIsClamped([Values] bool stateDependent)
    {
        const int width = 4;
        var features = Build(FeatureDistribution.DiagonalGaussian, stateDependent, width, seed: 1);
        Tensor input;
        if (stateDependent)
        {
            // Huge inputs drive the head's outputs far past both bounds.
            input = Tensor.FromArray([100f, -100f, 50f, -50f, -100f, 100f, -50f, 50f]).Reshape(2, width);
        }
        else
        {
            new float[] { -10f, 0.5f, 5f, -1f }.CopyTo(MixMaskTesting.Parameter(features, "log_std").AsSpan());
            input = Tensor.Zeros(2, width);
        }
        var logStd = features.Forward(Tensor.Zeros(2, width), input).Diagonal!.LogStd.ToArray();
        Assert.That(logStd, Is.All.InRange(GaussianFeatures.MinLogStd, GaussianFeatures.MaxLogStd));
        if (stateDependent)
            Assert.That(logStd.Any(x => x == GaussianFeatures.MinLogStd || x == GaussianFeatures.MaxLogStd), Is.True, "some entry should hit a bound");
        else
            Assert.That(logStd, Is.EqualTo(new[] { -5f, 0.5f, 2f, -1f, -5f, 0.5f, 2f, -1f }));
    }

    [Test]
    public void TheStateIndependentLogStdStartsAtItsInitialValue()
    {
        var features = Build(FeatureDistribution.DiagonalGaussian, false, 3, seed: 1);
        Assert.That(MixMaskTesting.Parameter(features, "log_std").ToArray(), Is.All.EqualTo(GaussianFeatures.InitialLogStd));
    }

    [Test]
    public void EveryParameterReceivesAGradientThroughSamplesAndDivergences(
        [ValueSource(nameof(Kinds))] FeatureDistribution kind, [Values] bool stateDependent)
    {
        var rng = new RandomGenerator(9);
        var features = Build(kind, stateDependent, 5, seed: 2);
        var p = features.Forward(Tensor.RandomNormal(rng, [4, 5]), Tensor.RandomNormal(rng, [4, 5]));
        var q = features.Forward(Tensor.RandomNormal(rng, [4, 5]), Tensor.RandomNormal(rng, [4, 5]));
        MixMaskTesting.AssertEveryParameterGetsGradient(features, [p.Sample(rng), p.Divergence(q, Similarity.InformationRadius)], rng);
    }

    [Test]
    public void GradientsWithRespectToMeansAndInputsMatchFiniteDifferences(
        [ValueSource(nameof(Kinds))] FeatureDistribution kind, [Values] bool stateDependent, [ValueSource(nameof(Measures))] Similarity measure)
    {
        var rng = GradCheck.TestRng();
        var features = Build(kind, stateDependent, 4, seed: rng.NextInt(1000));
        // Means of P and Q, then (state-dependent only) the mechanism inputs of P and Q.
        var inputs = Enumerable.Range(0, stateDependent ? 4 : 2).Select(_ => GradCheck.Input(rng, [2, 4])).ToArray();
        GradCheck.Check(x =>
        {
            var p = features.Forward(x[0], stateDependent ? x[2] : null);
            var q = features.Forward(x[1], stateDependent ? x[3] : null);
            // The same noise on every evaluation makes the reparameterised sample a deterministic function.
            var sample = p.Sample(new RandomGenerator(42));
            return Tensor.Concat([sample, p.Divergence(q, measure).Unsqueeze(-1)], 1);
        }, inputs, h: 1e-3, rtol: 3e-2, atol: 3e-3);
    }

    [Test]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(FeatureDistribution.Deterministic, false, 4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(FeatureDistribution.DiagonalGaussian, false, 0, 1));
        var stateDependent = Build(FeatureDistribution.CholeskyGaussian, true, 4, 1);
        Assert.Throws<ArgumentException>(() => stateDependent.Forward(Tensor.Zeros(2, 4), null));
        Assert.Throws<ArgumentException>(() => stateDependent.Forward(Tensor.Zeros(2, 4), Tensor.Zeros(3, 4)));
        var diagonal = Build(FeatureDistribution.DiagonalGaussian, false, 4, 1).Forward(Tensor.Zeros(2, 4), null);
        var full = Build(FeatureDistribution.CholeskyGaussian, false, 4, 1).Forward(Tensor.Zeros(2, 4), null);
        Assert.Throws<ArgumentException>(() => diagonal.Divergence(full, Similarity.JDivergence));
        Assert.Throws<ArgumentException>(() => diagonal.Divergence(diagonal, Similarity.Cosine));
    }

    private static bool IsPositiveDefinite(float[] matrices, int index, int n)
    {
        // Cholesky in double: every pivot positive ⇔ symmetric positive definite.
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i, j] = 0.5 * (matrices[index * n * n + i * n + j] + matrices[index * n * n + j * n + i]);
        for (int j = 0; j < n; j++)
        {
            double pivot = a[j, j];
            for (int k = 0; k < j; k++) pivot -= a[j, k] * a[j, k];
            if (pivot <= 0) return false;
            a[j, j] = Math.Sqrt(pivot);
            for (int i = j + 1; i < n; i++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= a[i, k] * a[j, k];
                a[i, j] = sum / a[j, j];
            }
        }
        return true;
    }
}

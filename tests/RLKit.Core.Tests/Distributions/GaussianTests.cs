using RLKit.Distributions;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Distributions;

/// <summary>Diagonal and tanh-squashed Gaussians and their KL divergence.</summary>
public class GaussianTests
{
    private static double NormalLogDensity(double x, double mean, double logStd) =>
        -0.5 * Math.Pow((x - mean) / Math.Exp(logStd), 2) - logStd - 0.5 * Math.Log(2 * Math.PI);

    [Test]
    public void DiagGaussianLogProbEntropyAndModeMatchFormulas()
    {
        var mean = Tensor.FromArray([0.5f, -1f, 2f, 0f], 2, 2);
        var logStd = Tensor.FromArray([0.3f, -0.7f]);       // state-independent, broadcast over the batch
        var dist = new DiagGaussian(mean, logStd);
        var x = Tensor.FromArray([1f, -1.5f, 1f, 0.2f], 2, 2);
        var logp = dist.LogProb(x).ToArray();
        Assert.That(logp, Has.Length.EqualTo(2));
        Assert.That(logp[0], Is.EqualTo(NormalLogDensity(1, 0.5, 0.3) + NormalLogDensity(-1.5, -1, -0.7)).Within(1e-5));
        Assert.That(logp[1], Is.EqualTo(NormalLogDensity(1, 2, 0.3) + NormalLogDensity(0.2, 0, -0.7)).Within(1e-5));
        double entropy = 0.3 - 0.7 + 2 * 0.5 * (1 + Math.Log(2 * Math.PI));
        Assert.That(dist.Entropy().ToArray(), Is.All.EqualTo(entropy).Within(1e-5));
        Assert.That(dist.Mode(), Is.SameAs(mean));
        Assert.Throws<ArgumentException>(() => new DiagGaussian(mean, Tensor.Zeros(3)));
        Assert.Throws<ArgumentException>(() => dist.LogProb(Tensor.Zeros(2, 3)));
    }

    [Test]
    public void DiagGaussianSampleHasTheRightMomentsAndIsReparameterised()
    {
        var mean = Tensor.Full(1.5f, 4000, 1);
        mean.RequiresGrad = true;
        var logStd = Tensor.FromArray([MathF.Log(0.5f)]);
        logStd.RequiresGrad = true;
        var sample = new DiagGaussian(mean, logStd).Sample(new RandomGenerator(9));
        var values = sample.ToArray();
        double m = values.Average(v => (double)v);
        double s = Math.Sqrt(values.Average(v => (v - m) * (v - m)));
        Assert.That(m, Is.EqualTo(1.5).Within(0.05));
        Assert.That(s, Is.EqualTo(0.5).Within(0.03));
        sample.Sum().Backward();
        Assert.That(mean.Grad!.ToArray(), Is.All.EqualTo(1f));
        // d/dlogσ Σ (μ + σε) = Σ σε = Σ (x − μ)
        Assert.That(logStd.Grad!.Item(), Is.EqualTo(values.Sum(v => v - 1.5)).Within(1e-2));
    }

    [Test]
    public void DiagGaussianGradients([Values(new[] { 1, 1 }, new[] { 3, 2 }, new[] { 2, 1, 3 })] int[] shape)
    {
        var rng = GradCheck.TestRng();
        int d = shape[^1];
        GradCheck.Check(x => new DiagGaussian(x[0], x[1]).LogProb(x[2]),
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f), GradCheck.Input(rng, shape)]);
        GradCheck.Check(x => new DiagGaussian(x[0], x[1]).LogProb(x[2]),
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, [d], -0.5f, 0.5f), GradCheck.Input(rng, shape)]);
        var constantMean = Tensor.RandomNormal(rng, shape);  // the entropy does not depend on the mean
        GradCheck.Check(x => new DiagGaussian(constantMean, x[0]).Entropy(), [GradCheck.Input(rng, [d], -0.5f, 0.5f)]);
        var noise = Tensor.RandomNormal(rng, shape);
        GradCheck.Check(x => new DiagGaussian(x[0], x[1]).RSample(noise),
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f)]);
        GradCheck.Check(x => Kl.Divergence(new DiagGaussian(x[0], x[1]), new DiagGaussian(x[2], x[3])),
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f), GradCheck.Input(rng, shape), GradCheck.Input(rng, [d], -0.5f, 0.5f)]);
    }

    [Test]
    public void GaussianKlMatchesKnownValueAndMonteCarlo()
    {
        // KL(N(0, 1) ‖ N(1, 2²)) = log 2 + (1 + 1)/8 − ½.
        var p = new DiagGaussian(Tensor.Zeros(1, 1), Tensor.Zeros(1));
        var q = new DiagGaussian(Tensor.Ones(1, 1), Tensor.FromArray([MathF.Log(2f)]));
        Assert.That(Kl.Divergence(p, q).Item(), Is.EqualTo(Math.Log(2) + 0.25 - 0.5).Within(1e-6));
        Assert.That(Kl.Divergence(p, p).Item(), Is.EqualTo(0f).Within(1e-7));

        // Two dimensions against a Monte-Carlo estimate of E_p[log p − log q].
        var p2 = new DiagGaussian(Tensor.FromArray([0.3f, -0.4f], 1, 2), Tensor.FromArray([-0.2f, 0.4f]));
        var q2 = new DiagGaussian(Tensor.FromArray([-0.1f, 0.5f], 1, 2), Tensor.FromArray([0.1f, 0.2f]));
        var rng = new RandomGenerator(4);
        const int samples = 20000;
        double sum = 0;
        for (int n = 0; n < samples; n++)
        {
            double x0 = 0.3 + Math.Exp(-0.2) * rng.NextNormal(), x1 = -0.4 + Math.Exp(0.4) * rng.NextNormal();
            sum += NormalLogDensity(x0, 0.3, -0.2) + NormalLogDensity(x1, -0.4, 0.4)
                 - NormalLogDensity(x0, -0.1, 0.1) - NormalLogDensity(x1, 0.5, 0.2);
        }
        Assert.That(Kl.Divergence(p2, q2).Item(), Is.EqualTo(sum / samples).Within(0.02));
    }

    [Test]
    public void TanhGaussianLogProbMatchesChangeOfVariablesInDouble()
    {
        float[] means = [0.2f, -1f, 3f, 0f];
        float[] logStds = [0f, -0.5f, 0.4f, -1f];
        float[] preTanh = [0.5f, -2f, 6f, 0.01f];
        var dist = new TanhGaussian(Tensor.FromArray(means, 2, 2), Tensor.FromArray(logStds, 2, 2));
        var logp = dist.LogProbFromPreTanh(Tensor.FromArray(preTanh, 2, 2)).ToArray();
        for (int b = 0; b < 2; b++)
        {
            double expected = 0;
            for (int j = 0; j < 2; j++)
            {
                int k = b * 2 + j;
                double t = Math.Tanh(preTanh[k]);
                expected += NormalLogDensity(preTanh[k], means[k], logStds[k]) - Math.Log(1 - t * t);
            }
            Assert.That(logp[b], Is.EqualTo(expected).Within(1e-4 * Math.Max(1, Math.Abs(expected))), $"row {b}");
        }

        // Through the action: atanh(tanh(u)) recovers u for moderate u.
        var moderate = Tensor.FromArray([0.5f, -0.3f, 1.2f, 0.01f], 2, 2);
        var viaAction = dist.LogProb(moderate.Tanh()).ToArray();
        var viaU = dist.LogProbFromPreTanh(moderate).ToArray();
        Assert.That(viaAction, Is.EqualTo(viaU).Within(1e-3));
        Assert.That(dist.Mode().ToArray(), Is.EqualTo(means.Select(m => MathF.Tanh(m)).ToArray()).Within(1e-6));
    }

    [Test]
    public void TanhGaussianIsFiniteForSaturatedSamples()
    {
        var dist = new TanhGaussian(Tensor.FromArray([30f, -30f], 1, 2), Tensor.Zeros(2));
        var (action, logp) = dist.RSampleWithLogProb(Tensor.Zeros(1, 2));
        Assert.That(action.ToArray(), Is.EqualTo(new[] { 1f, -1f }));
        Assert.That(float.IsFinite(logp.Item()), Is.True);
        // log(1 − tanh²u) ≈ 2(log 2 − |u|) for large |u|.
        double expected = 2 * (NormalLogDensity(0, 0, 0) - 2 * (Math.Log(2) - 30));
        Assert.That(logp.Item(), Is.EqualTo(expected).Within(1e-3));
        Assert.That(float.IsFinite(dist.LogProb(action).Item()), Is.True, "boundary actions are clamped");
    }

    [Test]
    public void TanhGaussianGradients([Values(new[] { 1, 1 }, new[] { 2, 3 })] int[] shape)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(x => new TanhGaussian(x[0], x[1]).LogProbFromPreTanh(x[2]),
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f), GradCheck.Input(rng, shape, -2f, 2f)]);
        var noise = Tensor.RandomNormal(rng, shape);
        GradCheck.Check(x => new TanhGaussian(x[0], x[1]).RSampleWithLogProb(noise).LogProb,
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f)]);
        GradCheck.Check(x => new TanhGaussian(x[0], x[1]).RSampleWithLogProb(noise).Action,
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f)]);
        GradCheck.Check(x => new TanhGaussian(x[0], x[1]).LogProb(x[2]),
            [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f), GradCheck.Input(rng, shape, -0.7f, 0.7f)]);
    }
}

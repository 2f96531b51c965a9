using RLKit.Algorithms.ActionRepresentations;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.ActionRepresentations;

public class VaeLossesTests
{
    private static Tensor Row(params float[] values) => Tensor.FromArray(values, 1, values.Length);

    [Test]
    public void GaussianNllMatchesTheHandComputedValue()
    {
        // x = (1, 2), μ = (0, 1), σ² = (1, 4): ½(ln 2π + 0 + 1) + ½(ln 2π + ln 4 + 1/4) = ln 2π + ln 2 + 0.625.
        var nll = VaeLosses.GaussianNll(Row(1f, 2f), Row(0f, 1f), Row(0f, MathF.Log(4f)));
        Assert.That(nll.ShapeArray(), Is.EqualTo(new[] { 1 }));
        Assert.That(nll.Item(), Is.EqualTo(Math.Log(2 * Math.PI) + Math.Log(2) + 0.625).Within(1e-5));
    }

    [Test]
    public void KlToTheStandardNormalMatchesTheHandComputedValue()
    {
        // μ = (1, 0), σ² = (1, 2): ½(1 + 1 − 0 − 1) + ½(0 + 2 − ln 2 − 1) = 1 − ½ ln 2.
        var kl = VaeLosses.KlToStandardNormal(Row(1f, 0f), Row(0f, MathF.Log(2f)));
        Assert.That(kl.Item(), Is.EqualTo(1 - 0.5 * Math.Log(2)).Within(1e-6));
        Assert.That(VaeLosses.KlToStandardNormal(Row(0f, 0f, 0f), Row(0f, 0f, 0f)).Item(), Is.EqualTo(0f), "KL of N(0, I) to itself");
    }

    [Test]
    public void KlToAConditionalPriorMatchesTheHandComputedValue()
    {
        // KL(N(1, 1) ‖ N(0, 4)) = ln 2 + (1 + 1)/8 − ½; second dimension KL(N(0, 4) ‖ N(−1, 1)) = −ln 2 + (4 + 1)/2 − ½.
        var kl = VaeLosses.KlDiagonal(Row(1f, 0f), Row(0f, MathF.Log(4f)), Row(0f, -1f), Row(MathF.Log(4f), 0f));
        double expected = (Math.Log(2) + 0.25 - 0.5) + (-Math.Log(2) + 2.5 - 0.5);
        Assert.That(kl.Item(), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void KlToAStandardPriorAgreesWithTheSpecialCase()
    {
        var rng = new RandomGenerator(1);
        var mean = Tensor.RandomNormal(rng, [3, 5]);
        var logVar = Tensor.RandomNormal(rng, [3, 5], std: 0.5f);
        var general = VaeLosses.KlDiagonal(mean, logVar, Tensor.Zeros(3, 5), Tensor.Zeros(3, 5)).ToArray();
        var special = VaeLosses.KlToStandardNormal(mean, logVar).ToArray();
        Assert.That(general, Is.EqualTo(special).Within(1e-5f));
        Assert.That(special, Has.All.GreaterThan(0f));
    }

    [Test]
    public void MaskedMeanPoolAveragesOnlyTheRealObservations()
    {
        // Two actions × 3 slots; the first has 2 real observations, the second 3.
        var features = Tensor.FromArray([1f, 10f, 3f, 30f, 100f, 1000f, 2f, 20f, 4f, 40f, 6f, 60f], 6, 2);
        var mask = Tensor.FromArray([1f, 1f, 0f, 1f, 1f, 1f], 2, 3);
        var inverse = Tensor.FromArray([0.5f, 1f / 3], 2, 1);
        var pooled = VaeLosses.MeanPool(features, mask, inverse).ToArray();
        Assert.That(pooled, Is.EqualTo(new[] { 2f, 20f, 4f, 40f }).Within(1e-5f));
        var sums = VaeLosses.SumPerAction(Tensor.FromArray([1f, 2f, 99f, 3f, 4f, 5f], 6), mask).ToArray();
        Assert.That(sums, Is.EqualTo(new[] { 3f, 12f }));
    }

    [Test]
    public void LossGradientsMatchFiniteDifferences()
    {
        var rng = GradCheck.TestRng();
        var inputs = new[] { GradCheck.Input(rng, [2, 3]), GradCheck.Input(rng, [2, 3]), GradCheck.Input(rng, [2, 3]), GradCheck.Input(rng, [2, 3]) };
        GradCheck.Check(x => VaeLosses.GaussianNll(x[0], x[1], x[2]), inputs[..3]);
        GradCheck.Check(x => VaeLosses.KlToStandardNormal(x[0], x[1]), inputs[..2]);
        GradCheck.Check(x => VaeLosses.KlDiagonal(x[0], x[1], x[2], x[3]), inputs);
    }

    [Test]
    public void PoolingGradientsMatchFiniteDifferencesAndSkipThePadding()
    {
        var rng = GradCheck.TestRng();
        var features = GradCheck.Input(rng, [6, 4]);
        var mask = Tensor.FromArray([1f, 0f, 0f, 1f, 1f, 1f], 2, 3);
        var inverse = Tensor.FromArray([1f, 1f / 3], 2, 1);
        GradCheck.Check(x => VaeLosses.MeanPool(x[0], mask, inverse), [features]);
        features.Grad = null;
        VaeLosses.MeanPool(features, mask, inverse).Sum().Backward();
        var grad = features.Grad!.ToArray();
        Assert.That(grad.AsSpan(4, 8).ToArray(), Has.All.EqualTo(0f), "padding rows get no gradient");
        Assert.That(grad.AsSpan(0, 4).ToArray(), Has.All.EqualTo(1f));
        Assert.That(grad.AsSpan(12, 12).ToArray(), Has.All.EqualTo(1f / 3).Within(1e-7f));
    }

    [Test]
    public void TheReparameterisedSampleHasTheRequestedMomentsAndGradients()
    {
        var rng = new RandomGenerator(3);
        var mean = Tensor.Full(2f, 20000, 1);
        var logVar = Tensor.Full(MathF.Log(0.25f), 20000, 1);
        var sample = VaeLosses.Sample(mean, logVar, rng).ToArray();
        Assert.That(sample.Average(), Is.EqualTo(2.0).Within(0.02));
        Assert.That(Math.Sqrt(sample.Select(v => (v - 2.0) * (v - 2.0)).Average()), Is.EqualTo(0.5).Within(0.02));
    }
}

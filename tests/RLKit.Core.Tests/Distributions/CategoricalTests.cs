using RLKit.Distributions;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Distributions;

/// <summary>Masked categorical distributions.</summary>
public class CategoricalTests
{
    [Test]
    public void MaskedActionsAreNeverSampledAndFrequenciesMatch()
    {
        var logits = Tensor.FromArray([0f, 2f, 5f, 1f, 3f, 0f, 0f, 0f], 2, 4);
        bool[] mask = [false, true, false, true, true, false, false, false];
        var dist = new Categorical(logits, mask);
        var rng = new RandomGenerator(5);
        var counts = new int[2, 4];
        const int draws = 4000;
        for (int n = 0; n < draws; n++)
        {
            var a = dist.Sample(rng);
            counts[0, a[0]]++;
            counts[1, a[1]]++;
        }
        Assert.That(counts[0, 0] + counts[0, 2] + counts[1, 1] + counts[1, 2] + counts[1, 3], Is.Zero);
        Assert.That(counts[1, 0], Is.EqualTo(draws));
        double p1 = Math.Exp(2) / (Math.Exp(2) + Math.Exp(1));
        Assert.That(counts[0, 1] / (double)draws, Is.EqualTo(p1).Within(0.03));
        Assert.That(dist.Mode(), Is.EqualTo(new[] { 1, 0 }), "mode ignores the masked larger logit");
    }

    [Test]
    public void LogProbMatchesHandValue()
    {
        var logits = Tensor.FromArray([1f, 2f, 3f, -1f, 0f, 1f], 2, 3);
        var dist = new Categorical(logits);
        var logp = dist.LogProb([2, 0]).ToArray();
        double lse0 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        double lse1 = Math.Log(Math.Exp(-1) + Math.Exp(0) + Math.Exp(1));
        Assert.That(logp[0], Is.EqualTo(3 - lse0).Within(1e-6));
        Assert.That(logp[1], Is.EqualTo(-1 - lse1).Within(1e-6));
        Assert.That(dist.Probs.ToArray()[2], Is.EqualTo(Math.Exp(3 - lse0)).Within(1e-6));
    }

    [Test]
    public void EntropyOfUniformIsLogA([Values(1, 2, 5)] int actions)
    {
        var dist = new Categorical(Tensor.Full(0.7f, 3, actions));
        Assert.That(dist.Entropy().ToArray(), Is.All.EqualTo(Math.Log(actions)).Within(1e-6));
    }

    [Test]
    public void MaskedEntropyCountsOnlyAllowedActionsWithoutNaN()
    {
        var logits = Tensor.Zeros(2, 4);
        logits.RequiresGrad = true;
        var mask = Tensor.FromArray([1f, 0f, 1f, 0f, 0f, 0f, 1f, 0f], 2, 4);
        var dist = new Categorical(logits, mask);
        var entropy = dist.Entropy();
        Assert.That(entropy.ToArray()[0], Is.EqualTo(Math.Log(2)).Within(1e-6));
        Assert.That(entropy.ToArray()[1], Is.EqualTo(0f).Within(1e-6));
        entropy.Sum().Backward();
        Assert.That(logits.Grad!.ToArray(), Is.All.Matches<float>(float.IsFinite));
        Assert.That(dist.Probs.ToArray()[1], Is.EqualTo(0f));
    }

    [Test]
    public void InvalidInputsGiveClearErrors()
    {
        var logits = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => new Categorical(logits, [true, false, false, false, false, false]));
        Assert.That(ex!.Message, Does.Contain("row 1"));
        Assert.Throws<ArgumentException>(() => new Categorical(logits, Tensor.Ones(3, 2)));
        Assert.Throws<ArgumentException>(() => new Categorical(Tensor.Zeros(3)));
        var dist = new Categorical(logits, [true, false, true, true, true, true]);
        Assert.Throws<ArgumentOutOfRangeException>(() => dist.LogProb([0, 3]));
        Assert.That(Assert.Throws<ArgumentException>(() => dist.LogProb([1, 0]))!.Message, Does.Contain("masked"));
        Assert.Throws<ArgumentException>(() => dist.LogProb([0]));
    }

    [Test]
    public void GradientsOfLogProbEntropyAndKl([Values(1, 3)] int batch, [Values(1, 2, 5)] int actions)
    {
        var rng = GradCheck.TestRng();
        var actionIndex = new int[batch];
        for (int b = 0; b < batch; b++) actionIndex[b] = rng.NextInt(actions);
        var mask = new bool[batch * actions];
        for (int k = 0; k < mask.Length; k++) mask[k] = rng.NextDouble() < 0.6;
        for (int b = 0; b < batch; b++) mask[b * actions + actionIndex[b]] = true;

        GradCheck.Check(x => new Categorical(x[0]).LogProb(actionIndex), [GradCheck.Input(rng, [batch, actions], -2f, 2f)]);
        GradCheck.Check(x => new Categorical(x[0], mask).LogProb(actionIndex), [GradCheck.Input(rng, [batch, actions], -2f, 2f)]);
        GradCheck.Check(x => new Categorical(x[0]).Entropy(), [GradCheck.Input(rng, [batch, actions], -2f, 2f)]);
        GradCheck.Check(x => new Categorical(x[0], mask).Entropy(), [GradCheck.Input(rng, [batch, actions], -2f, 2f)]);
        GradCheck.Check(x => Kl.Divergence(new Categorical(x[0], mask), new Categorical(x[1])),
            [GradCheck.Input(rng, [batch, actions], -2f, 2f), GradCheck.Input(rng, [batch, actions], -2f, 2f)]);
    }

    [Test]
    public void CategoricalKlMatchesHandValue()
    {
        var p = new Categorical(Tensor.FromArray([0f, 1f, 2f], 1, 3));
        var q = new Categorical(Tensor.FromArray([1f, 1f, -1f], 1, 3));
        double[] lp = [0, 1, 2], lq = [1, 1, -1];
        double zp = Math.Log(lp.Sum(Math.Exp)), zq = Math.Log(lq.Sum(Math.Exp));
        double kl = 0;
        for (int a = 0; a < 3; a++) kl += Math.Exp(lp[a] - zp) * ((lp[a] - zp) - (lq[a] - zq));
        Assert.That(Kl.Divergence(p, q).Item(), Is.EqualTo(kl).Within(1e-6));
        Assert.That(Kl.Divergence(p, p).Item(), Is.EqualTo(0f).Within(1e-7));

        var masked = new Categorical(Tensor.FromArray([0f, 1f, 2f], 1, 3), [true, true, false]);
        double z = Math.Log(Math.Exp(0) + Math.Exp(1));
        double klMasked = Math.Exp(0 - z) * ((0 - z) - (1 - zq)) + Math.Exp(1 - z) * ((1 - z) - (1 - zq));
        Assert.That(Kl.Divergence(masked, q).Item(), Is.EqualTo(klMasked).Within(1e-6));
    }
}

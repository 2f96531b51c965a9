using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Common;

[TestFixture]
public sealed class PolicyHeadTests
{
    private static Tensor Latent(RandomGenerator rng, int batch, int width) => Tensor.RandomNormal(rng, [batch, width]);

    [Test]
    public void MaskedCategoricalNeverSamplesAMaskedAction()
    {
        var rng = new RandomGenerator(1);
        // Large gain: strongly peaked logits, so a masked action is often the unmasked favourite.
        var head = new MaskedCategoricalHead(8, 5, rng, gain: 5f);
        const int batch = 64;
        var mask = new bool[batch * 5];
        for (int b = 0; b < batch; b++)
        {
            int allowed = 0;
            for (int a = 0; a < 5; a++) { mask[b * 5 + a] = rng.NextSingle() < 0.4f; allowed += mask[b * 5 + a] ? 1 : 0; }
            if (allowed == 0) mask[b * 5 + b % 5] = true;
        }
        var actions = new int[batch];
        var counts = new int[5];
        using var noGrad = GradMode.NoGrad();
        for (int round = 0; round < 200; round++)
        {
            using var scope = TensorScope.Begin();
            var dist = head.Distribution(Latent(rng, batch, 8), mask);
            dist.Sample(rng, actions);
            for (int b = 0; b < batch; b++)
            {
                Assert.That(mask[b * 5 + actions[b]], Is.True, $"row {b} sampled masked action {actions[b]}");
                counts[actions[b]]++;
            }
            dist.Mode(actions);
            for (int b = 0; b < batch; b++) Assert.That(mask[b * 5 + actions[b]], Is.True, $"mode of row {b} is masked");
        }
        Assert.That(counts, Has.All.GreaterThan(0), "every action is allowed somewhere and should be sampled");
    }

    [Test]
    public void MaskedCategoricalEntropyAndLogProbIgnoreMaskedActions()
    {
        var rng = new RandomGenerator(2);
        var head = new MaskedCategoricalHead(3, 4, rng);
        using var scope = TensorScope.Begin();
        var dist = head.Distribution(Tensor.Zeros(2, 3), [true, false, true, false, true, true, true, true]);
        // Zero latent → zero logits: uniform over the allowed actions.
        Assert.That(dist.Entropy().AsSpan().ToArray(), Is.EqualTo(new[] { MathF.Log(2), MathF.Log(4) }).Within(1e-5f));
        Assert.That(dist.LogProb([2, 1]).AsSpan().ToArray(), Is.EqualTo(new[] { -MathF.Log(2), -MathF.Log(4) }).Within(1e-5f));
        Assert.That(float.IsFinite(dist.Entropy().Sum().Item()), Is.True);
    }

    [Test]
    public void MaskedCategoricalRejectsARowWithNoAllowedAction()
    {
        var head = new MaskedCategoricalHead(3, 2, new RandomGenerator(3));
        Assert.Throws<ArgumentException>(() => head.Distribution(Tensor.Zeros(1, 3), [false, false]));
    }

    [Test]
    public void CategoricalLogProbEntropyAndModeMatchHandComputedSoftmax()
    {
        var rng = new RandomGenerator(4);
        var head = new CategoricalHead(4, 3, rng, gain: 1f);
        using var scope = TensorScope.Begin();
        var latent = Latent(rng, 2, 4);
        var dist = head.Distribution(latent);
        var logits = ((CategoricalDistribution)dist).Logits.AsSpan().ToArray();
        var logProbs = dist.LogProb([0, 2]).AsSpan().ToArray();
        var entropy = dist.Entropy().AsSpan().ToArray();
        var mode = new int[2];
        dist.Mode(mode);
        for (int b = 0; b < 2; b++)
        {
            var row = logits.AsSpan(b * 3, 3).ToArray();
            double lse = Math.Log(row.Sum(l => Math.Exp(l)));
            int taken = b == 0 ? 0 : 2;
            Assert.That(logProbs[b], Is.EqualTo(row[taken] - lse).Within(1e-5));
            double h = -row.Sum(l => Math.Exp(l - lse) * (l - lse));
            Assert.That(entropy[b], Is.EqualTo(h).Within(1e-5));
            Assert.That(mode[b], Is.EqualTo(Array.IndexOf(row, row.Max())));
        }
    }

    [Test]
    public void CategoricalSamplesFollowTheProbabilities()
    {
        var rng = new RandomGenerator(5);
        var head = new CategoricalHead(1, 3, rng, gain: 1f);
        // A one-column latent of ones gives logits = weight column + bias; read the probabilities back and compare frequencies.
        using var noGrad = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        const int batch = 20_000;
        var dist = head.Distribution(Tensor.Ones(batch, 1));
        var probs = ((CategoricalDistribution)dist).LogProbs.Exp().AsSpan()[..3].ToArray();
        var actions = new int[batch];
        dist.Sample(rng, actions);
        for (int a = 0; a < 3; a++)
            Assert.That(actions.Count(x => x == a) / (double)batch, Is.EqualTo(probs[a]).Within(0.015));
    }

    [Test]
    public void CategoricalHeadRejectsAMask()
    {
        var head = new CategoricalHead(3, 2, new RandomGenerator(6));
        Assert.Throws<ArgumentException>(() => head.Distribution(Tensor.Zeros(1, 3), [true, true]));
    }

    [Test]
    public void DiagGaussianLogProbAndEntropyMatchTheFormula()
    {
        var rng = new RandomGenerator(7);
        var head = new DiagGaussianHead(3, 2, rng, gain: 1f, initialLogStd: -0.5f);
        using var scope = TensorScope.Begin();
        var latent = Latent(rng, 2, 3);
        var dist = (IContinuousActionDistribution)head.Distribution(latent);
        var mean = dist.ModeTensor().AsSpan().ToArray();
        var actions = Tensor.FromArray([0.3f, -1f, 2f, 0.1f], 2, 2);
        var logProb = dist.LogProb(actions).AsSpan().ToArray();
        double std = Math.Exp(-0.5);
        for (int b = 0; b < 2; b++)
        {
            double expected = 0;
            for (int d = 0; d < 2; d++)
            {
                double z = (actions.AsSpan()[b * 2 + d] - mean[b * 2 + d]) / std;
                expected += -0.5 * z * z - Math.Log(std) - 0.5 * Math.Log(2 * Math.PI);
            }
            Assert.That(logProb[b], Is.EqualTo(expected).Within(1e-4));
        }
        double h = 2 * (-0.5 + 0.5 + 0.5 * Math.Log(2 * Math.PI));
        Assert.That(dist.Entropy().AsSpan().ToArray(), Is.EqualTo(new[] { h, h }).Within(1e-5));
    }

    [Test]
    public void DiagGaussianLogStdIsAStateIndependentParameterThatLearns()
    {
        var rng = new RandomGenerator(8);
        var head = new DiagGaussianHead(2, 1, rng);
        Assert.That(head.Parameters(), Does.Contain(head.LogStd));
        using (var scope = TensorScope.Begin())
        {
            var dist = head.Distribution(Latent(rng, 4, 2));
            dist.Entropy().Sum().Backward();
        }
        // d(entropy)/d(log std) = 1 per row: 4 rows.
        Assert.That(head.LogStd.Grad!.AsSpan()[0], Is.EqualTo(4f).Within(1e-5f));
    }

    [Test]
    public void GaussianSamplesHaveTheHeadsMeanAndStd()
    {
        var rng = new RandomGenerator(9);
        var head = new DiagGaussianHead(1, 1, rng, gain: 1f, initialLogStd: MathF.Log(0.5f));
        using var noGrad = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        const int batch = 20_000;
        var dist = (IContinuousActionDistribution)head.Distribution(Tensor.Ones(batch, 1));
        float mean = dist.ModeTensor().AsSpan()[0];
        var samples = new float[batch];
        dist.Sample(rng, samples);
        double m = samples.Average();
        double s = Math.Sqrt(samples.Sum(x => (x - m) * (x - m)) / (batch - 1));
        Assert.That(m, Is.EqualTo(mean).Within(0.02));
        Assert.That(s, Is.EqualTo(0.5).Within(0.02));
    }

    [Test]
    public void TanhGaussianActionsStayInRangeAndLogProbMatchesReparameterisedSample()
    {
        var rng = new RandomGenerator(10);
        var head = new TanhGaussianHead(3, 2, rng);
        using var scope = TensorScope.Begin();
        var dist = (IContinuousActionDistribution)head.Distribution(Latent(rng, 16, 3) * 3f);
        var (actions, logProb) = dist.RSampleWithLogProb(rng);
        Assert.That(actions.AsSpan().ToArray(), Has.All.InRange(-1f, 1f));
        var again = dist.LogProb(actions).AsSpan().ToArray();
        var direct = logProb.AsSpan().ToArray();
        for (int b = 0; b < 16; b++)
            if (actions.AsSpan().Slice(b * 2, 2).ToArray().All(a => MathF.Abs(a) < 0.99f))
                Assert.That(again[b], Is.EqualTo(direct[b]).Within(1e-2f));
        var sampled = new float[32];
        dist.Sample(rng, sampled);
        Assert.That(sampled, Has.All.InRange(-1f, 1f));
    }

    [Test]
    public void DeterministicHeadModeIsTanhAndNoiseIsClipped()
    {
        var rng = new RandomGenerator(11);
        var head = new DeterministicHead(2, 3, rng, explorationNoise: 5f);
        using var scope = TensorScope.Begin();
        var dist = (IContinuousActionDistribution)head.Distribution(Latent(rng, 4, 2));
        var mode = new float[12];
        dist.Mode(mode);
        Assert.That(mode, Has.All.InRange(-1f, 1f));
        var noisy = new float[12];
        dist.Sample(rng, noisy);
        Assert.That(noisy, Has.All.InRange(-1f, 1f));
        Assert.That(noisy, Is.Not.EqualTo(mode));
        Assert.Throws<NotSupportedException>(() => dist.Entropy());
    }

    [Test]
    public void WrongKindOfActionSpanThrows()
    {
        var rng = new RandomGenerator(12);
        using var scope = TensorScope.Begin();
        var discrete = new CategoricalHead(2, 3, rng).Distribution(Tensor.Zeros(1, 2));
        var continuous = new DiagGaussianHead(2, 3, rng).Distribution(Tensor.Zeros(1, 2));
        Assert.Throws<NotSupportedException>(() => discrete.Mode(new float[3]));
        Assert.Throws<NotSupportedException>(() => continuous.Mode(new int[1]));
        Assert.Throws<ArgumentException>(() => discrete.Mode(new int[2]));
    }

    [Test]
    public void ActionRescalingMapsUnitRangeToTheBoxAndBack()
    {
        var box = new Box([-2f, 0f], [2f, 10f], [2]);
        float[] actions = [-1f, -1f, 0f, 1f];
        ActionRescaling.ToBox(box, actions);
        Assert.That(actions, Is.EqualTo(new[] { -2f, 0f, 0f, 10f }).Within(1e-6f));
        ActionRescaling.FromBox(box, actions);
        Assert.That(actions, Is.EqualTo(new[] { -1f, -1f, 0f, 1f }).Within(1e-6f));
    }

    [Test]
    public void PolicyHeadsPickTheHeadForTheSpace()
    {
        var rng = new RandomGenerator(13);
        Assert.That(PolicyHeads.OnPolicy(new Discrete(2), 4, rng), Is.TypeOf<CategoricalHead>());
        Assert.That(PolicyHeads.OnPolicy(new Box(-1f, 1f, 3), 4, rng), Is.TypeOf<DiagGaussianHead>());
        Assert.Throws<NotSupportedException>(() => PolicyHeads.OnPolicy(new MultiDiscrete(2, 2), 4, rng));
    }
}

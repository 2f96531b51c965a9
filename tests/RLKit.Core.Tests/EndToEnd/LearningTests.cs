using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Core.Tests.EndToEnd;

/// <summary>Small, seeded end-to-end problems that only pass if forward, backward and the optimizer agree.</summary>
public class LearningTests
{
    /// <summary>Two interleaved half-circles with Gaussian noise (scikit-learn's make_moons).</summary>
    private static (Tensor X, int[] Y) TwoMoons(RandomGenerator rng, int count, float noise)
    {
        var x = Tensor.Zeros(count, 2);
        var y = new int[count];
        var data = x.AsSpan();
        for (int i = 0; i < count; i++)
        {
            double t = Math.PI * rng.NextDouble();
            bool upper = i % 2 == 0;
            data[2 * i] = (float)(upper ? Math.Cos(t) : 1 - Math.Cos(t)) + rng.Normal(0f, noise);
            data[2 * i + 1] = (float)(upper ? Math.Sin(t) : 0.5 - Math.Sin(t)) + rng.Normal(0f, noise);
            y[i] = upper ? 0 : 1;
        }
        return (x, y);
    }

    private static double Accuracy(Tensor logits, int[] labels)
    {
        var predicted = logits.ArgMax(-1);
        return predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
    }

    [Test]
    public void MlpClassifiesTwoMoons()
    {
        var rng = new RandomGenerator(42);
        var (trainX, trainY) = TwoMoons(rng, 512, noise: 0.1f);
        var (testX, testY) = TwoMoons(rng, 1000, noise: 0.1f);
        var net = new Mlp([2, 32, 32, 2], rng, Activation.Tanh);
        var adam = new Adam(net.Parameters(), learningRate: 1e-2f);
        float firstLoss = float.NaN, lastLoss = float.NaN;
        for (int step = 0; step < 400; step++)
        {
            using var scope = TensorScope.Begin();
            var loss = Functional.CrossEntropy(net.Forward(trainX), trainY);
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
            lastLoss = loss.Item();
            if (step == 0) firstLoss = lastLoss;
        }
        double accuracy;
        using (GradMode.NoGrad()) accuracy = Accuracy(net.Forward(testX), testY);
        TestContext.Out.WriteLine($"two-moons: loss {firstLoss:F3} -> {lastLoss:F4}, test accuracy {accuracy:P2}");
        Assert.That(accuracy, Is.GreaterThanOrEqualTo(0.98));
    }

    [Test]
    public void OneLayerAttentionLearnsToCopyASequenceInReverse()
    {
        const int length = 6, vocabulary = 8, dim = 32, batch = 32;
        var rng = new RandomGenerator(7);
        var tokens = new Embedding(vocabulary, dim, rng);
        var positions = new Embedding(length, dim, rng);
        var attention = new MultiHeadAttention(dim, numHeads: 1, rng);
        var readout = new Linear(dim, vocabulary, rng);
        var parameters = tokens.Parameters().Concat(positions.Parameters()).Concat(attention.Parameters()).Concat(readout.Parameters()).ToList();
        var adam = new Adam(parameters, learningRate: 1e-2f);
        var positionIds = Enumerable.Range(0, batch * length).Select(i => i % length).ToArray();

        (int[] Input, int[] Target) Batch()
        {
            var input = new int[batch * length];
            var target = new int[batch * length];
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < length; t++)
                    input[b * length + t] = rng.NextInt(vocabulary);
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < length; t++)
                    target[b * length + t] = input[b * length + (length - 1 - t)];
            return (input, target);
        }

        // No residual path: the output at position t can only know the token at T−1−t through attention.
        Tensor Logits(int[] input)
        {
            var h = tokens.Forward(input, batch, length) + positions.Forward(positionIds, batch, length);
            return readout.Forward(attention.Forward(h)).Reshape(batch * length, vocabulary);
        }

        for (int step = 0; step < 400; step++)
        {
            using var scope = TensorScope.Begin();
            var (input, target) = Batch();
            var loss = Functional.CrossEntropy(Logits(input), target);
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
        }

        double accuracy = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            var (input, target) = Batch();
            accuracy += Accuracy(Logits(input), target) / 5;
        }
        TestContext.Out.WriteLine($"reverse-copy accuracy on fresh sequences: {accuracy:P2}");
        Assert.That(accuracy, Is.GreaterThanOrEqualTo(0.97));
    }
}

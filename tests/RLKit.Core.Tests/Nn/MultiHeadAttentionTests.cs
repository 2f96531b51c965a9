using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Nn;

public class MultiHeadAttentionTests
{
    [Test]
    public void MaskedPositionsGetExactlyZeroWeightAndRowsSumToOne()
    {
        var rng = GradCheck.TestRng();
        var mha = new MultiHeadAttention(4, 2, rng);
        int batch = 2, tq = 3, tk = 5;
        var mask = Tensor.Zeros(batch, tq, tk);
        for (int i = 0; i < mask.Size; i++) mask.AsSpan()[i] = rng.NextDouble() < 0.5 ? 1f : 0f;
        for (int b = 0; b < batch; b++) for (int q = 0; q < tq; q++) mask[b, q, (b + q) % tk] = 1f; // every row keeps one key
        var query = Tensor.RandomNormal(rng, [batch, tq, 4]);
        var memory = Tensor.RandomNormal(rng, [batch, tk, 4]);
        var y = mha.Forward(query, memory, memory, mask);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { batch, tq, 4 }));
        var weights = mha.LastAttentionWeights!;
        Assert.That(weights.ShapeArray(), Is.EqualTo(new[] { batch, 2, tq, tk }));
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < 2; h++)
                for (int q = 0; q < tq; q++)
                {
                    double sum = 0;
                    for (int k = 0; k < tk; k++)
                    {
                        if (mask[b, q, k] == 0f) Assert.That(weights[b, h, q, k], Is.EqualTo(0f));
                        else Assert.That(weights[b, h, q, k], Is.GreaterThan(0f));
                        sum += weights[b, h, q, k];
                    }
                    Assert.That(sum, Is.EqualTo(1.0).Within(1e-5));
                }

        // A value at a position no query may see does not change the output.
        var changed = memory.Clone();
        for (int b = 0; b < batch; b++)
            for (int k = 0; k < tk; k++)
            {
                bool seen = false;
                for (int q = 0; q < tq; q++) seen |= mask[b, q, k] != 0f;
                if (!seen) for (int d = 0; d < 4; d++) changed[b, k, d] = 100f;
            }
        Assert.That(mha.Forward(query, memory, changed, mask).ToArray(), Is.EqualTo(y.ToArray()).Within(1e-5f));
    }

    [Test]
    public void SingleHeadWeightsEqualScaledDotProductSoftmax()
    {
        var rng = GradCheck.TestRng();
        var mha = new MultiHeadAttention(3, 1, rng, bias: false);
        var x = Tensor.RandomNormal(rng, [1, 4, 3]);
        var projections = mha.NamedChildren().ToDictionary(kv => kv.Key, kv => (Linear)kv.Value);
        var q = projections["q_proj"].Forward(x);
        var k = projections["k_proj"].Forward(x);
        var expected = (Tensor.MatMul(q, k, transposeB: true) * (1f / MathF.Sqrt(3f))).Softmax(-1);
        var causal = Tensor.FromArray([1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1], 4, 4);
        mha.Forward(x);
        Assert.That(mha.LastAttentionWeights!.ToArray(), Is.EqualTo(expected.ToArray()).Within(1e-5f));
        mha.Forward(x, causal);
        Assert.That(mha.LastAttentionWeights![0, 0, 0, 0], Is.EqualTo(1f));
        Assert.That(mha.LastAttentionWeights![0, 0, 1, 2], Is.EqualTo(0f));
    }

    [TestCase(2, 3, 4, 4, 2, 3, 5)]
    [TestCase(1, 1, 1, 2, 1, 2, 2)]
    [TestCase(1, 2, 3, 6, 3, 1, 4)]
    public void GradCheckWrtQueryKeyValueAndParameters(int batch, int tq, int tk, int dim, int heads, int keyDim, int valueDim)
    {
        var rng = GradCheck.TestRng();
        var mha = new MultiHeadAttention(dim, heads, rng, keyDim, valueDim);
        var mask = Tensor.Ones(1, tq, tk);
        if (tk > 1) mask[0, 0, tk - 1] = 0f;
        GradCheck.Check(t => mha.Forward(t[0], t[1], t[2], mask),
            [GradCheck.Input(rng, [batch, tq, dim]), GradCheck.Input(rng, [batch, tk, keyDim]), GradCheck.Input(rng, [batch, tk, valueDim]), .. mha.Parameters()]);
    }

    [Test]
    public void BadShapesAreRejected()
    {
        var mha = new MultiHeadAttention(4, 2, new RandomGenerator(1));
        Assert.That(() => new MultiHeadAttention(5, 2, new RandomGenerator(1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => mha.Forward(Tensor.Zeros(1, 2, 3)), Throws.ArgumentException.With.Message.Contains("[batch, Tq, 4]"));
        Assert.That(() => mha.Forward(Tensor.Zeros(1, 2, 4), Tensor.Ones(2, 3)), Throws.ArgumentException.With.Message.Contains("Tq=2"));
    }
}

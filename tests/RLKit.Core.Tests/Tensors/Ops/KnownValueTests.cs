using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

public class KnownValueTests
{
    [Test]
    public void SoftmaxOfOneTwoThree()
    {
        var p = Tensor.FromArray([1f, 2f, 3f]).Softmax();
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.That(p.ToArray(), Is.EqualTo(new[] { Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z }).Within(1e-6));
        Assert.That(p.ToArray(), Is.EqualTo(new[] { 0.09003057f, 0.24472847f, 0.66524096f }).Within(1e-6));
    }

    [Test]
    public void SoftmaxAndLogSoftmaxAreStableForHugeLogits()
    {
        var x = Tensor.FromArray([1000f, 1001f, -1000f]);
        var p = x.Softmax().ToArray();
        var lp = x.LogSoftmax().ToArray();
        Assert.That(p.All(float.IsFinite) && lp.All(float.IsFinite), Is.True);
        Assert.That(lp[0], Is.EqualTo(-1.3132616f).Within(1e-5));
        Assert.That(p[2], Is.EqualTo(0f));
    }

    [Test]
    public void TanhFromExpMatchesMathTanhAndSaturates()
    {
        var values = new float[] { -100f, -20f, -3f, -0.5f, -1e-4f, 0f, 1e-4f, 0.5f, 3f, 20f, 100f };
        var y = Tensor.FromArray(values).Tanh().ToArray();
        for (int i = 0; i < values.Length; i++)
            Assert.That(y[i], Is.EqualTo(Math.Tanh(values[i])).Within(2e-7), $"tanh({values[i]})");
    }

    [Test]
    public void VectorisedExpIsAccurateAcrossTheFloatRange()
    {
        var rng = new RandomGenerator(5);
        var values = new float[4099];
        for (int i = 0; i < values.Length; i++) values[i] = rng.Uniform(-87f, 88f);
        var y = Tensor.FromArray(values).Exp().ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            double expected = Math.Exp(values[i]);
            Assert.That(Math.Abs(y[i] - expected) / expected, Is.LessThan(4e-7), $"exp({values[i]})");
        }
        var edges = Tensor.FromArray([100f, -100f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, 0f, 0f]).Exp().ToArray();
        Assert.That(edges[0], Is.EqualTo(float.PositiveInfinity));
        Assert.That(edges[1], Is.EqualTo(0f));
        Assert.That(float.IsNaN(edges[2]), Is.True);
        Assert.That(edges[3], Is.EqualTo(float.PositiveInfinity));
        Assert.That(edges[4], Is.EqualTo(0f));
        Assert.That(edges[5], Is.EqualTo(1f));
    }

    [Test]
    public void GeluMatchesErfForm()
    {
        // Reference values of x·Φ(x) (PyTorch's exact GELU).
        var y = Tensor.FromArray([-3f, -1f, 0f, 0.5f, 2f]).Gelu().ToArray();
        Assert.That(y, Is.EqualTo(new[] { -0.00404969f, -0.15865525f, 0f, 0.34573123f, 1.95449974f }).Within(2e-6));
    }

    [Test]
    public void BroadcastAddOfRowAndColumn()
    {
        var col = Tensor.FromArray([1f, 2f], 2, 1);
        var row = Tensor.FromArray([10f, 20f, 30f], 3);
        var sum = col + row;
        Assert.That(sum.ShapeArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(sum.ToArray(), Is.EqualTo(new[] { 11f, 21f, 31f, 12f, 22f, 32f }));
    }

    [Test]
    public void ReductionsOnKnownValues()
    {
        var x = Tensor.FromArray([1f, 5f, 3f, 4f, 2f, 6f], 2, 3);
        Assert.That(x.Sum(1).ToArray(), Is.EqualTo(new[] { 9f, 12f }));
        Assert.That(x.Sum(0).ToArray(), Is.EqualTo(new[] { 5f, 7f, 9f }));
        Assert.That(x.Max(1).ToArray(), Is.EqualTo(new[] { 5f, 6f }));
        Assert.That(x.ArgMax(1), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(x.ArgMax(0), Is.EqualTo(new[] { 1, 0, 1 }));
        Assert.That(x.Mean().Item(), Is.EqualTo(3.5f));
        Assert.That(x.Var(1).ToArray(), Is.EqualTo(new[] { 4f, 4f }).Within(1e-6));
        Assert.That(x.LogSumExp(1).ToArray()[0], Is.EqualTo(Math.Log(Math.Exp(1) + Math.Exp(5) + Math.Exp(3))).Within(1e-5));
    }

    [Test]
    public void MatMulSmallKnownProduct()
    {
        var a = Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var b = Tensor.FromArray(new float[,] { { 7, 8 }, { 9, 10 }, { 11, 12 } });
        Assert.That(Tensor.MatMul(a, b).ToArray(), Is.EqualTo(new[] { 58f, 64f, 139f, 154f }));
        Assert.That(Tensor.MatMul(a, a, transposeB: true).ToArray(), Is.EqualTo(new[] { 14f, 32f, 32f, 77f }));
        Assert.That(Tensor.MatMul(a, a, transposeA: true).ShapeArray(), Is.EqualTo(new[] { 3, 3 }));
    }
}

using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Nn;

public class InitTests
{
    [TestCase(5, 3, 1f)]
    [TestCase(3, 5, 1f)]
    [TestCase(4, 4, 1.41421356f)]
    [TestCase(6, 2, 0.01f)]
    [TestCase(1, 7, 2f)]
    public void OrthogonalGivesOrthonormalRowsOrColumnsTimesGain(int rows, int cols, float gain)
    {
        var w = Tensor.Zeros(rows, cols);
        Init.Orthogonal(w, GradCheck.TestRng(), gain);
        // Tall: WᵀW = gain²·I (cols × cols); wide: WWᵀ = gain²·I (rows × rows).
        bool tall = rows >= cols;
        int n = tall ? cols : rows;
        var gram = tall ? Tensor.MatMul(w, w, transposeA: true) : Tensor.MatMul(w, w, transposeB: true);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.That(gram[i, j], Is.EqualTo(i == j ? gain * gain : 0f).Within(1e-5f + 1e-5f * gain * gain), $"gram[{i}, {j}]");
    }

    [Test]
    public void OrthogonalFlattensTrailingDimensionsAndRejectsVectors()
    {
        var w = Tensor.Zeros(2, 3, 2);
        Init.Orthogonal(w, new RandomGenerator(1));
        var flat = w.Reshape(2, 6);
        var gram = Tensor.MatMul(flat, flat, transposeB: true);
        Assert.That(gram[0, 0], Is.EqualTo(1f).Within(1e-5f));
        Assert.That(gram[0, 1], Is.EqualTo(0f).Within(1e-5f));
        Assert.That(() => Init.Orthogonal(Tensor.Zeros(4), new RandomGenerator(1)), Throws.ArgumentException.With.Message.Contains("[4]"));
    }

    [Test]
    public void InitialisersAreDeterministicPerSeed()
    {
        var a = Tensor.Zeros(8, 3);
        var b = Tensor.Zeros(8, 3);
        Init.Orthogonal(a, new RandomGenerator(42));
        Init.Orthogonal(b, new RandomGenerator(42));
        Assert.That(a.ToArray(), Is.EqualTo(b.ToArray()));
    }

    [Test]
    public void UniformInitialisersRespectPyTorchBounds()
    {
        var rng = GradCheck.TestRng();
        var w = Tensor.Zeros(50, 20);
        Init.XavierUniform(w, rng, gain: 2f);
        float xavier = 2f * MathF.Sqrt(6f / 70f);
        Assert.That(w.ToArray().Max(MathF.Abs), Is.LessThanOrEqualTo(xavier).And.GreaterThan(0.8f * xavier));

        Init.KaimingUniform(w, rng, MathF.Sqrt(5f)); // PyTorch's Linear default: U(±1/√fan_in)
        Assert.That(w.ToArray().Max(MathF.Abs), Is.LessThanOrEqualTo(1f / MathF.Sqrt(20f)).And.GreaterThan(0.8f / MathF.Sqrt(20f)));

        var conv = Tensor.Zeros(8, 4, 3); // fan_in = 12, fan_out = 24
        Assert.That(Init.Fans(conv), Is.EqualTo((12, 24)));
        Init.KaimingUniform(conv, rng, 0f, FanMode.FanOut);
        Assert.That(conv.ToArray().Max(MathF.Abs), Is.LessThanOrEqualTo(MathF.Sqrt(6f / 24f)));
    }

    [Test]
    public void NormalInitialisersHaveTheRightSpread()
    {
        var rng = GradCheck.TestRng();
        var w = Tensor.Zeros(200, 100);
        Init.KaimingNormal(w, rng); // std = √(2/100)
        Assert.That(StdOf(w), Is.EqualTo(MathF.Sqrt(0.02f)).Within(0.01f));
        Init.XavierNormal(w, rng); // std = √(2/300)
        Assert.That(StdOf(w), Is.EqualTo(MathF.Sqrt(2f / 300f)).Within(0.005f));
        Init.Normal(w, rng, 1f, 0.1f);
        Assert.That(w.ToArray().Average(), Is.EqualTo(1f).Within(0.01f));
        Init.Constant(w, 0.1f);
        Assert.That(w.ToArray(), Is.All.EqualTo(0.1f));
    }

    private static float StdOf(Tensor t)
    {
        var v = t.ToArray();
        double mean = v.Average(x => (double)x);
        return (float)Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
    }
}

using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

public class ConvTests
{
    /// <summary>Direct-loop convolution, independent of im2col and GEMM.</summary>
    private static float[] NaiveConv1d(Tensor input, Tensor weight, Tensor? bias, int stride, int padding)
    {
        int batch = input.Dim(0), inChannels = input.Dim(1), length = input.Dim(2);
        int outChannels = weight.Dim(0), kernel = weight.Dim(2);
        int outLength = (length + 2 * padding - kernel) / stride + 1;
        var y = new float[batch * outChannels * outLength];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < outChannels; o++)
                for (int l = 0; l < outLength; l++)
                {
                    double sum = bias is null ? 0 : bias[o];
                    for (int c = 0; c < inChannels; c++)
                        for (int k = 0; k < kernel; k++)
                        {
                            int position = l * stride + k - padding;
                            if (position >= 0 && position < length) sum += input[b, c, position] * weight[o, c, k];
                        }
                    y[(b * outChannels + o) * outLength + l] = (float)sum;
                }
        return y;
    }

    [Test]
    public void HandComputedCase()
    {
        // One channel, kernel [1, 0, −1] (a difference filter), bias 0.5, padding 1, stride 2:
        // padded input 0 1 2 4 7 11 0 → windows start at 0, 2, 4: (0−2), (2−7), (7−0) → −2, −5, 7, plus 0.5.
        var input = Tensor.FromArray([1f, 2f, 4f, 7f, 11f], 1, 1, 5);
        var weight = Tensor.FromArray([1f, 0f, -1f], 1, 1, 3);
        var bias = Tensor.FromArray([0.5f]);
        var y = Tensor.Conv1d(input, weight, bias, stride: 2, padding: 1);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { 1, 1, 3 }));
        Assert.That(y.ToArray(), Is.EqualTo(new[] { -1.5f, -4.5f, 7.5f }));
    }

    [Test]
    public void TwoChannelsTwoOutputsHandComputed()
    {
        // x channel 0 = [1, 2, 3], channel 1 = [0, 1, 0]; kernel 2, no padding → outLength 2.
        // out 0, weights ch0 [1, 1], ch1 [0, 2]: l=0: (1 + 2) + (0·0 + 2·1) = 5; l=1: (2 + 3) + (0·1 + 2·0) = 5.
        // out 1, weights ch0 [−1, 0], ch1 [1, 0]: l=0: −1 + 0 = −1; l=1: −2 + 1 = −1.
        var input = Tensor.FromArray([1f, 2f, 3f, 0f, 1f, 0f], 1, 2, 3);
        var weight = Tensor.FromArray([1f, 1f, 0f, 2f, -1f, 0f, 1f, 0f], 2, 2, 2);
        var y = Tensor.Conv1d(input, weight);
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 5f, 5f, -1f, -1f }));
    }

    [TestCase(2, 3, 7, 4, 3, 1, 0)]
    [TestCase(1, 1, 5, 1, 1, 1, 0)]
    [TestCase(3, 2, 8, 3, 3, 2, 1)]
    [TestCase(2, 2, 5, 2, 5, 1, 2)]
    [TestCase(1, 3, 6, 2, 2, 3, 0)]
    [TestCase(2, 1, 4, 3, 3, 2, 2)]
    public void MatchesDirectLoopsAndGradients(int batch, int inChannels, int length, int outChannels, int kernel, int stride, int padding)
    {
        var rng = GradCheck.TestRng();
        var input = GradCheck.Input(rng, [batch, inChannels, length]);
        var weight = GradCheck.Input(rng, [outChannels, inChannels, kernel]);
        var bias = GradCheck.Input(rng, [outChannels]);
        var y = Tensor.Conv1d(input, weight, bias, stride, padding);
        var expected = NaiveConv1d(input, weight, bias, stride, padding);
        Assert.That(y.ToArray(), Is.EqualTo(expected).Within(1e-4f));
        GradCheck.Check(t => Tensor.Conv1d(t[0], t[1], t[2], stride, padding), [input, weight, bias]);
    }

    [Test]
    public void GradientWithoutBiasAndWithAFrozenInput()
    {
        var rng = GradCheck.TestRng();
        var weight = GradCheck.Input(rng, [3, 2, 3]);
        var input = Tensor.RandomUniform(rng, [2, 2, 6], -1f, 1f);
        GradCheck.Check(t => Tensor.Conv1d(input, t[0], null, stride: 2, padding: 1), [weight]);
        Assert.That(input.Grad, Is.Null);

        var frozenWeight = Tensor.RandomUniform(rng, [3, 2, 3], -1f, 1f);
        var x = GradCheck.Input(rng, [2, 2, 6]);
        GradCheck.Check(t => Tensor.Conv1d(t[0], frozenWeight, null, padding: 2), [x]);
    }

    [Test]
    public void ChannelMismatchNamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Conv1d(Tensor.Zeros(2, 3, 8), Tensor.Zeros(4, 2, 3)));
        Assert.That(ex!.Message, Does.Contain("conv1d").And.Contain("[2, 3, 8]").And.Contain("[4, 2, 3]"));
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv1d(Tensor.Zeros(3, 8), Tensor.Zeros(4, 3, 3)));
        Assert.That(ex!.Message, Does.Contain("conv1d").And.Contain("[3, 8]").And.Contain("[batch, channels, length]"));
        ex = Assert.Throws<ArgumentException>(() => Tensor.Conv1d(Tensor.Zeros(1, 3, 8), Tensor.Zeros(4, 3, 3), Tensor.Zeros(3)));
        Assert.That(ex!.Message, Does.Contain("bias").And.Contain("[3]").And.Contain("[4]"));
    }

    [Test]
    public void BadStridePaddingAndKernelAreClearErrors()
    {
        var x = Tensor.Zeros(1, 1, 4);
        var w = Tensor.Zeros(1, 1, 3);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv1d(x, w, stride: 0))!.ParamName, Is.EqualTo("stride"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv1d(x, w, padding: -1))!.ParamName, Is.EqualTo("padding"));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv1d(Tensor.Zeros(1, 1, 2), w));
        Assert.That(ex!.Message, Does.Contain("conv1d").And.Contain("kernel").And.Contain("[1, 1, 2]"));
    }
}

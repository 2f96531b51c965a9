using RLKit.Algorithms.Ppo;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Ppo;

[TestFixture]
public sealed class PpoLossTests
{
    // (ratio, advantage, expected loss, expected d loss / d ratio) with ε = 0.2. The loss is −min(r·A, clip(r)·A):
    // the clipped side only wins where it is the pessimistic one, and there the gradient vanishes.
    [TestCase(1.5f, 2f, -2.4f, 0f)]    // A > 0, ratio above 1 + ε: clipped at 1.2, no push further
    [TestCase(0.5f, 2f, -1.0f, -2f)]   // A > 0, ratio below 1 − ε: unclipped, keep raising the ratio
    [TestCase(1.5f, -2f, 3.0f, 2f)]    // A < 0, ratio above 1 + ε: unclipped, keep lowering the ratio
    [TestCase(0.5f, -2f, 1.6f, 0f)]    // A < 0, ratio below 1 − ε: clipped at 0.8, no push further
    [TestCase(1.1f, 2f, -2.2f, -2f)]   // inside the trust region: plain −r·A
    public void ClippedSurrogateHasPpoSignsValuesAndGradients(float r, float advantage, float expectedLoss, float expectedGrad)
    {
        var ratio = Tensor.FromArray([r], 1);
        ratio.RequiresGrad = true;
        var loss = PpoLoss.ClippedSurrogate(ratio, Tensor.FromArray([advantage], 1), 0.2f);
        Assert.That(loss.Item(), Is.EqualTo(expectedLoss).Within(1e-5f));
        loss.Backward();
        Assert.That(ratio.Grad!.AsSpan()[0], Is.EqualTo(expectedGrad).Within(1e-5f));
    }

    [Test]
    public void ClippedSurrogateAveragesOverRows()
    {
        var loss = PpoLoss.ClippedSurrogate(Tensor.FromArray([1.5f, 0.5f], 2), Tensor.FromArray([2f, -2f], 2), 0.2f);
        Assert.That(loss.Item(), Is.EqualTo((-2.4f + 1.6f) / 2).Within(1e-5f));
    }

    [Test]
    public void ValueLossIsHalfMeanSquaredErrorAndClippingIsPessimistic()
    {
        var values = Tensor.FromArray([2f, 0f], 2);
        var returns = Tensor.FromArray([1f, 1f], 2);
        var old = Tensor.FromArray([0f, 0f], 2);
        Assert.That(PpoLoss.Value(values, returns, old, null).Item(), Is.EqualTo(0.5f * (1f + 1f) / 2).Within(1e-6f));
        // Row 0: new value 2 is clipped to 0.5 → error 0.25 vs unclipped 1 → max 1; row 1: unchanged value, error 1.
        Assert.That(PpoLoss.Value(values, returns, old, 0.5f).Item(), Is.EqualTo(0.5f * (1f + 1f) / 2).Within(1e-6f));
        // A value that moved towards the return is held back: 3 → clipped 0.5, error (0.5 − 4)² beats (3 − 4)².
        var towards = PpoLoss.Value(Tensor.FromArray([3f], 1), Tensor.FromArray([4f], 1), Tensor.FromArray([0f], 1), 0.5f);
        Assert.That(towards.Item(), Is.EqualTo(0.5f * 3.5f * 3.5f).Within(1e-5f));
    }

    [Test]
    public void DiagnosticsGiveApproximateKlAndClipFraction()
    {
        float[] logRatio = [0f, MathF.Log(1.5f), MathF.Log(0.9f), MathF.Log(0.5f)];
        var (kl, clip) = PpoLoss.Diagnostics(logRatio, 0.2f);
        double expected = logRatio.Sum(l => Math.Exp(l) - 1 - l) / 4;
        Assert.That(kl, Is.EqualTo(expected).Within(1e-6));
        Assert.That(kl, Is.GreaterThan(0));
        Assert.That(clip, Is.EqualTo(0.5));
        Assert.That(PpoLoss.Diagnostics([0f, 0f], 0.2f), Is.EqualTo((0.0, 0.0)));
    }

    [Test]
    public void InvalidOptionsNameTheOptionAndRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator(new PpoOptions { ClipRange = 1.5f }));
        Assert.That(e!.ParamName, Is.EqualTo("ClipRange"));
        Assert.That(e.Message, Does.Contain("(0, 1)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator(new PpoOptions { MinibatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator(new PpoOptions { TargetKl = -1f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator(new PpoOptions { HiddenSizes = [] }));
        Assert.DoesNotThrow(() => new PpoEstimator(PpoOptions.CartPole));
    }
}

using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Optim;

/// <summary>Gradient clipping, learning-rate schedules and Polyak updates.</summary>
public class UpdateUtilityTests
{
    private static Tensor WithGrad(float[] values, float[] grad)
    {
        var p = Tensor.FromArray(values);
        p.RequiresGrad = true;
        p.Grad = Tensor.FromArray(grad);
        return p;
    }

    [Test]
    public void ClipGradNormReturnsTotalNormAndScales()
    {
        var a = WithGrad([0f, 0f], [3f, 4f]);
        var b = WithGrad([0f], [12f]);
        var noGrad = Tensor.Zeros(2);
        noGrad.RequiresGrad = true;
        double norm = GradClip.ClipGradNorm([a, b, noGrad], maxNorm: 6.5f);
        Assert.That(norm, Is.EqualTo(13.0).Within(1e-9));
        double scale = 6.5 / (13 + 1e-6);
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { (float)(3 * scale), (float)(4 * scale) }).Within(1e-6));
        Assert.That(b.Grad!.Item(), Is.EqualTo(12 * scale).Within(1e-5));
        Assert.That(GradClip.TotalNorm([a, b]), Is.EqualTo(6.5).Within(1e-5));
    }

    [Test]
    public void ClipGradNormLeavesSmallGradientsAlone()
    {
        var a = WithGrad([0f, 0f], [0.3f, 0.4f]);
        double norm = GradClip.ClipGradNorm(new List<Tensor> { a }, maxNorm: 1f);
        Assert.That(norm, Is.EqualTo(0.5).Within(1e-7));
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 0.3f, 0.4f }));
    }

    [Test]
    public void ClipGradNormOtherNormTypes()
    {
        var a = WithGrad([0f, 0f, 0f], [1f, -2f, 2f]);
        Assert.That(GradClip.TotalNorm([a], float.PositiveInfinity), Is.EqualTo(2.0));
        Assert.That(GradClip.TotalNorm([a], 1f), Is.EqualTo(5.0));
        Assert.That(GradClip.TotalNorm([a], 3f), Is.EqualTo(Math.Pow(17, 1.0 / 3)).Within(1e-12));
        GradClip.ClipGradNorm([a], 1f, float.PositiveInfinity);
        Assert.That(a.Grad!.ToArray()[1], Is.EqualTo(-1f).Within(1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGradNorm([a], -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradClip.ClipGradNorm([a], 1f, 0f));
    }

    [Test]
    public void ClipGradNormIsDoubleAccurateOnLongVectors()
    {
        var rng = new RandomGenerator(3);
        var values = new float[10_007];
        rng.FillNormal(values);
        var p = WithGrad(new float[values.Length], values);
        double expected = 0;
        foreach (float v in values) expected += (double)v * v;
        Assert.That(GradClip.TotalNorm([p]), Is.EqualTo(Math.Sqrt(expected)).Within(1e-9));
    }

    [Test]
    public void ClipGradNormCanRejectNonFiniteNorms()
    {
        var a = WithGrad([0f], [float.NaN]);
        Assert.Throws<ArithmeticException>(() => GradClip.ClipGradNorm([a], 1f, errorIfNonFinite: true));
    }

    [Test]
    public void LinearScheduleFollowsProgressRemaining()
    {
        var p = Tensor.Ones(1);
        p.RequiresGrad = true;
        var sgd = new Sgd([p], 1f);
        var linear = LrSchedule.Linear(1e-3f, 1e-4f);
        Assert.That(linear.ValueAt(1.0), Is.EqualTo(1e-3f).Within(1e-9));
        Assert.That(linear.ValueAt(0.5), Is.EqualTo(5.5e-4f).Within(1e-9));
        Assert.That(linear.ValueAt(0.0), Is.EqualTo(1e-4f).Within(1e-9));
        Assert.That(linear.ApplyAtStep(sgd, 250, 1000), Is.EqualTo(7.75e-4f).Within(1e-9));
        Assert.That(sgd.LearningRate, Is.EqualTo(7.75e-4f).Within(1e-9));

        var ramp = new LinearSchedule(1f, 0.1f, endFraction: 0.1);
        Assert.That(ramp.ValueAt(0.95), Is.EqualTo(0.55f).Within(1e-6));
        Assert.That(ramp.ValueAt(0.5), Is.EqualTo(0.1f));
        Assert.That(LrSchedule.Constant(0.3f).Apply(sgd, 0.2), Is.EqualTo(0.3f));
        Assert.That(sgd.LearningRate, Is.EqualTo(0.3f));
        Assert.Throws<ArgumentOutOfRangeException>(() => LrSchedule.Linear(1f, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSchedule(1f, 0.5f, endFraction: 0));
    }

    [Test]
    public void SoftUpdateBlendsTowardsSource()
    {
        var target = new[] { Tensor.FromArray([0f, 10f]), Tensor.FromArray([1f]) };
        var source = new[] { Tensor.FromArray([10f, 0f]), Tensor.FromArray([3f]) };
        Polyak.SoftUpdate(target, source, 0.1f);
        Assert.That(target[0].ToArray(), Is.EqualTo(new[] { 1f, 9f }).Within(1e-6));
        Assert.That(target[1].Item(), Is.EqualTo(1.2f).Within(1e-6));
        Polyak.SoftUpdate(target, source, 1f);
        Assert.That(target[0].ToArray(), Is.EqualTo(new[] { 10f, 0f }));
        Polyak.SoftUpdate(target, source, 0f);
        Assert.That(target[1].Item(), Is.EqualTo(3f));
        Assert.That(source[0].ToArray(), Is.EqualTo(new[] { 10f, 0f }));
    }

    [Test]
    public void HardUpdateCopiesAndMismatchesNameIndexAndShapes()
    {
        var target = new[] { Tensor.Zeros(2), Tensor.Zeros(2, 3) };
        var source = new[] { Tensor.FromArray([1f, 2f]), Tensor.Ones(3, 2) };
        var ex = Assert.Throws<ArgumentException>(() => Polyak.HardUpdate(target, source));
        Assert.That(ex!.Message, Does.Contain("tensor 1").And.Contain("[2, 3]").And.Contain("[3, 2]"));
        Assert.That(target[0].ToArray(), Is.EqualTo(new[] { 0f, 0f }), "nothing is written when validation fails");
        source[1] = Tensor.Ones(2, 3);
        Polyak.HardUpdate(target, source);
        Assert.That(target[0].ToArray(), Is.EqualTo(new[] { 1f, 2f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Polyak.SoftUpdate(target, source, 1.5f));
        Assert.Throws<ArgumentException>(() => Polyak.SoftUpdate(target, [source[0]], 0.5f));
    }
}

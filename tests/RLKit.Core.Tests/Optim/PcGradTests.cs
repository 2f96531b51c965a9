using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Optim;

/// <summary>PCGrad (seed 000 eq. 14) on losses with known gradients.</summary>
public class PcGradTests
{
    private static Tensor Leaf(params float[] values)
    {
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }

    [Test]
    public void ConflictingGradientsAreProjectedOntoEachOthersNormalPlane()
    {
        // L1 = w·(1, 0) + 2v, L2 = w·(−1, 1) + 3v: g1·g2 = −1 < 0.
        var w = Leaf(0.3f, -0.2f);
        var v = Leaf(0.5f);
        var l1 = (w * Tensor.FromArray([1f, 0f])).Sum() + v * 2f;
        var l2 = (w * Tensor.FromArray([-1f, 1f])).Sum() + v * 3f;
        var pcgrad = new PcGrad([w]);
        var result = pcgrad.Backward([l1.Reshape(), l2.Reshape()]);

        Assert.That(result.Conflicts, Is.EqualTo(2));
        Assert.That(result.Pairs, Is.EqualTo(2));
        // g1' = (1,0) + ½(−1,1) = (½, ½); g2' = (−1,1) + (1,0) = (0, 1).
        Assert.That(pcgrad.ProjectedGradient(0).ToArray(), Is.EqualTo(new[] { 0.5f, 0.5f }).Within(1e-6));
        Assert.That(pcgrad.ProjectedGradient(1).ToArray(), Is.EqualTo(new[] { 0f, 1f }).Within(1e-6));
        Assert.That(Dot(pcgrad.ProjectedGradient(0), pcgrad.OriginalGradient(1)), Is.GreaterThanOrEqualTo(-1e-7));
        Assert.That(Dot(pcgrad.ProjectedGradient(1), pcgrad.OriginalGradient(0)), Is.GreaterThanOrEqualTo(-1e-7));
        Assert.That(w.Grad!.ToArray(), Is.EqualTo(new[] { 0.5f, 1.5f }).Within(1e-6));
        Assert.That(v.Grad!.Item(), Is.EqualTo(5f).Within(1e-6), "parameters outside the subset get the plain sum");
    }

    [Test]
    public void NonConflictingGradientsAreUntouched()
    {
        var w = Leaf(0.3f, -0.2f);
        var l1 = (w * Tensor.FromArray([1f, 0f])).Sum();
        var l2 = (w * Tensor.FromArray([1f, 1f])).Sum();
        var pcgrad = new PcGrad([w]);
        var result = pcgrad.Backward([l1, l2]);
        Assert.That(result.Conflicts, Is.Zero);
        Assert.That(w.Grad!.ToArray(), Is.EqualTo(new[] { 2f, 1f }).Within(1e-6));
    }

    [Test]
    public void SharedGraphNonlinearLossesEndWithoutConflicts([Values] bool seeded)
    {
        // Three losses through one shared trunk; after projection no gᵢ' conflicts with any gⱼ it was projected against
        // when there are only two losses, and with three the sum still decreases every loss to first order here.
        var rng = new RandomGenerator(11);
        var trunk = Tensor.RandomNormal(rng, [3, 4]);
        trunk.RequiresGrad = true;
        var head = Tensor.RandomNormal(rng, [4]);
        head.RequiresGrad = true;
        var x = Tensor.RandomNormal(rng, [5, 3]);
        var features = Tensor.MatMul(x, trunk).Tanh();
        var y = (features * head).Sum(1);
        var l1 = y.Mean();
        var l2 = (-y).Mean() + features.Square().Mean() * 0.1f;
        var pcgrad = new PcGrad([trunk], seeded ? new RandomGenerator(3) : null);
        var result = pcgrad.Backward([l1, l2]);
        Assert.That(result.Conflicts, Is.GreaterThan(0), "the two losses pull the trunk in opposite directions");
        for (int i = 0; i < 2; i++)
            Assert.That(Dot(pcgrad.ProjectedGradient(i), pcgrad.OriginalGradient(1 - i)), Is.GreaterThanOrEqualTo(-1e-5));

        // The head is not in the subset: its gradient is the plain sum, as from back-propagating l1 + l2.
        var headGrad = head.Grad!.ToArray();
        head.Grad = null;
        trunk.Grad = null;
        var features2 = Tensor.MatMul(x, trunk).Tanh();
        var y2 = (features2 * head).Sum(1);
        ((y2.Mean() + (-y2).Mean()) + features2.Square().Mean() * 0.1f).Backward();
        Assert.That(headGrad, Is.EqualTo(head.Grad!.ToArray()).Within(1e-5));
    }

    [Test]
    public void GradientsAccumulateOntoExistingOnes()
    {
        var w = Leaf(1f, 1f);
        w.Grad = Tensor.FromArray([10f, 20f]);
        var l1 = (w * Tensor.FromArray([1f, 0f])).Sum();
        new PcGrad([w]).Backward([l1]);
        Assert.That(w.Grad!.ToArray(), Is.EqualTo(new[] { 11f, 20f }));
    }

    [Test]
    public void RejectsNonScalarLossesAndBadSubsets()
    {
        var w = Leaf(1f, 1f);
        var ex = Assert.Throws<ArgumentException>(() => new PcGrad([w]).Backward([w * 2f]));
        Assert.That(ex!.Message, Does.Contain("loss 0").And.Contain("[2]"));
        Assert.Throws<ArgumentException>(() => new PcGrad([Tensor.Ones(2)]));
        Assert.Throws<ArgumentException>(() => new PcGrad([]));
    }
}

using RLKit.Autograd;
using RLKit.Tensors;
using static RLKit.Core.Tests.Autograd.TapeTests;

namespace RLKit.Core.Tests.Autograd;

/// <summary>
/// Anomaly mode names the op that produced the first NaN or infinity, forward or backward (issue 17, defect 3).
/// </summary>
public class AnomalyTests
{
    [Test]
    public void AnInfiniteLeafGradientIsBlamedOnTheOpWhoseBackwardWroteIt()
    {
        var x = Leaf(0f, 4f);
        using (GradMode.DetectAnomaly())
        {
            var loss = x.Sqrt().Sum();
            var ex = Assert.Throws<AnomalyException>(() => loss.Backward());
            Assert.That(ex!.OpName, Is.EqualTo("sqrt"));
            Assert.That(ex.Message, Does.Contain("backward of 'sqrt'").And.Contain("Infinity")
                .And.Contain("flat index 0").And.Contain("input 0").And.Contain("leaf").And.Contain(".Grad")
                .And.Contain("[2]"));
        }
    }

    [Test]
    public void WithoutAnomalyModeTheSameBackwardLeavesInfinitySilently()
    {
        var x = Leaf(0f, 4f);
        Assert.DoesNotThrow(() => x.Sqrt().Sum().Backward());
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { float.PositiveInfinity, 0.25f }));
    }

    [Test]
    public void TheProducerIsNamedNotTheOpThatConsumesItsGradient()
    {
        var x = Leaf(3f, 0f);
        using (GradMode.DetectAnomaly())
        {
            var loss = (x * 1f).Sqrt().Sum();
            var ex = Assert.Throws<AnomalyException>(() => loss.Backward());
            Assert.That(ex!.OpName, Is.EqualTo("sqrt"));
            Assert.That(ex.Message, Does.Contain("backward of 'sqrt'").And.Contain("flat index 1")
                .And.Contain("the output of 'affine'").And.Not.Contain("backward of 'affine'"));
        }
        Assert.That(x.Grad, Is.Null, "the backward stopped before the affine op wrote anything");
    }

    [Test]
    public void TheInputIndexOfTheNonFiniteGradientIsReported()
    {
        var a = Tensor.FromArray([1f, 3e38f]);
        var b = Leaf(1e-30f, 1e-30f);
        using (GradMode.DetectAnomaly())
        {
            var loss = (a * b * 10f).Sum();   // finite forward; d/db = 10·a overflows at a = 3e38
            var ex = Assert.Throws<AnomalyException>(() => loss.Backward());
            Assert.That(ex!.OpName, Is.EqualTo("mul"));
            Assert.That(ex.Message, Does.Contain("backward of 'mul'").And.Contain("Infinity").And.Contain("flat index 1")
                .And.Contain("input 1").And.Contain("leaf"));
        }
    }

    [Test]
    public void AForwardNaNIsStillNamedByItsOp()
    {
        var x = Leaf(-1f, 4f);
        using (GradMode.DetectAnomaly())
        {
            var ex = Assert.Throws<AnomalyException>(() => (x * 2f).Sqrt());
            Assert.That(ex!.OpName, Is.EqualTo("sqrt"));
            Assert.That(ex.Message, Does.Contain("op 'sqrt' produced NaN").And.Contain("flat index 0"));
        }
    }

    [Test]
    public void ANonFiniteOutputGradientFromTheCallerIsNotBlamedOnAnOp()
    {
        var x = Leaf(1f, 2f);
        using (GradMode.DetectAnomaly())
        {
            var y = x.Exp();
            var ex = Assert.Throws<AnomalyException>(() => y.Backward(Tensor.FromArray([1f, float.NaN])));
            Assert.That(ex!.OpName, Is.EqualTo("Backward"));
            Assert.That(ex.Message, Does.Contain("output gradient passed to Backward()").And.Contain("flat index 1"));
        }
    }

    [Test]
    public void AStaleLeafGradientIsReportedAsSuchAndNotBlamedOnTheNextOp()
    {
        var x = Leaf(0f, 1f);
        x.Sqrt().Sum().Backward();   // without anomaly mode: x.Grad[0] = ∞, never zeroed
        using (GradMode.DetectAnomaly())
        {
            var loss = (x * 2f).Sum();
            var ex = Assert.Throws<AnomalyException>(() => loss.Backward());
            Assert.That(ex!.OpName, Is.EqualTo("Backward"));
            Assert.That(ex.Message, Does.Contain("already contained Infinity").And.Contain("'affine'")
                .And.Contain("ZeroGrad"));
        }
        x.ZeroGrad();
        using (GradMode.DetectAnomaly())
            Assert.DoesNotThrow(() => (x * 2f).Sum().Backward());
    }

    [Test]
    public void AFiniteGraphGivesBitIdenticalGradientsWithAndWithoutAnomalyMode()
    {
        var plain = Gradients(anomaly: false);
        var checkedRun = Gradients(anomaly: true);
        Assert.That(checkedRun, Has.Length.EqualTo(plain.Length));
        for (int p = 0; p < plain.Length; p++)
            Assert.That(checkedRun[p].Select(BitConverter.SingleToInt32Bits),
                Is.EqualTo(plain[p].Select(BitConverter.SingleToInt32Bits)), $"parameter {p}");
    }

    /// <summary>
    /// Two steps of a small network (matmul, broadcast add, tanh, softmax, a leaf used twice, accumulation into
    /// existing leaf gradients), returning every parameter's gradient.
    /// </summary>
    private static float[][] Gradients(bool anomaly)
    {
        var w = Tensor.FromArray([0.3f, -0.7f, 1.1f, 0.2f, -0.4f, 0.9f, 0.5f, -1.3f, 0.8f, 0.1f, -0.6f, 0.35f], 3, 4);
        w.RequiresGrad = true;
        var b = Leaf(0.05f, -0.1f, 0.2f, 0f);
        var scale = Leaf(1.7f);
        var input = Tensor.FromArray([0.2f, -1.5f, 0.7f, 2.1f, 0.3f, -0.9f], 2, 3);
        using (anomaly ? GradMode.DetectAnomaly() : default)
        {
            for (int step = 0; step < 2; step++)
            {
                var hidden = (Tensor.MatMul(input, w) + b).Tanh();
                var probabilities = (hidden * scale).Softmax(axis: 1);
                var loss = (probabilities.Log() * hidden).Sum() + w.Square().Sum() * 0.01f + scale.Sqrt().Sum();
                loss.Backward();
            }
        }
        return [w.Grad!.ToArray(), b.Grad!.ToArray(), scale.Grad!.ToArray()];
    }
}

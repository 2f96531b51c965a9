using RLKit.Autograd;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Autograd;

public class TapeTests
{
    /// <summary>A tensor of <paramref name="values"/> that requires gradients (shared by the autograd tests).</summary>
    internal static Tensor Leaf(params float[] values)
    {
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    [Test]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        var x = Leaf(1f, 2f);
        (x * 3f).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 6f, 6f }));
        x.ZeroGrad();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
    }

    [Test]
    public void BackwardWithExplicitOutputGradient()
    {
        var x = Leaf(1f, 2f, 3f);
        var y = x.Square();
        y.Backward(Tensor.FromArray([1f, 0f, -1f]));
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 2f, 0f, -6f }));
    }

    [Test]
    public void NonScalarBackwardWithoutGradientIsAClearError()
    {
        var x = Leaf(1f, 2f);
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2f).Backward());
        Assert.That(ex!.Message, Does.Contain("scalar").And.Contain("[2]"));
    }

    [Test]
    public void GraphIsFreedAfterBackwardUnlessRetained()
    {
        var x = Leaf(1f, 2f);
        var loss = (x.Exp() * 2f).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.That(x.Grad!.ToArray()[0], Is.EqualTo(4 * Math.E).Within(1e-5));
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.That(ex!.Message, Does.Contain("freed"));
    }

    [Test]
    public void NoGradRecordsNothingAndDetachCutsTheGraph()
    {
        var x = Leaf(1f, 2f);
        using (GradMode.NoGrad())
        {
            var y = x * 2f;
            Assert.That(y.RequiresGrad, Is.False);
            Assert.That(y.IsLeaf, Is.True);
        }
        Assert.That(GradMode.IsEnabled, Is.True);
        var z = (x.Detach() * x).Sum();
        z.Backward();
        Assert.That(x.Grad!.ToArray(), Is.EqualTo(new[] { 1f, 2f }), "only the non-detached factor carries gradient");
    }

    [Test]
    public void AnomalyModeNamesTheFirstOpThatProducesNaN()
    {
        var x = Leaf(-1f, 4f);
        using (GradMode.DetectAnomaly())
        {
            var ex = Assert.Throws<AnomalyException>(() => x.Exp().Sqrt().Affine(-1f, 0f).Log());
            Assert.That(ex!.OpName, Is.EqualTo("log"));
            Assert.That(ex.Message, Does.Contain("log").And.Contain("NaN"));
        }
        Assert.DoesNotThrow(() => x.Log(), "anomaly mode ends with its scope");
    }

    [Test]
    public void ShapeErrorsNameTheOpAndBothShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4, 5);
        var ex = Assert.Throws<ArgumentException>(() => _ = a + b);
        Assert.That(ex!.Message, Does.Contain("add").And.Contain("[2, 3]").And.Contain("[4, 5]"));
        ex = Assert.Throws<ArgumentException>(() => Tensor.MatMul(a, b));
        Assert.That(ex!.Message, Does.Contain("matmul").And.Contain("[2, 3]").And.Contain("[4, 5]"));
        ex = Assert.Throws<ArgumentException>(() => a.Reshape(7));
        Assert.That(ex!.Message, Does.Contain("reshape").And.Contain("[7]").And.Contain("[2, 3]"));
    }

    [Test]
    public void TensorScopeReleasesTemporariesAndKeepsWhatIsKept()
    {
        Tensor temp, kept;
        var parameter = Leaf(1f, 2f, 3f);
        using (var scope = TensorScope.Begin())
        {
            temp = parameter * 2f;
            kept = TensorScope.Keep((parameter * 3f).Sum());
            temp.Sum().Backward();
        }
        Assert.Throws<ObjectDisposedException>(() => temp.ToArray());
        Assert.That(kept.Item(), Is.EqualTo(18f));
        Assert.That(parameter.Grad!.ToArray(), Is.EqualTo(new[] { 2f, 2f, 2f }), "leaf gradients survive the scope");
        Assert.That(parameter.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f }));
    }

    [Test]
    public void PooledStorageIsReusedWithoutCorruptingResults()
    {
        var w = Leaf(0.5f, -0.25f, 2f, 1f);
        float[]? first = null;
        for (int step = 0; step < 5; step++)
        {
            using var scope = TensorScope.Begin();
            w.ZeroGrad();
            var y = (w.Reshape(2, 2).Tanh() * 3f).Sum();
            y.Backward();
            first ??= w.Grad!.ToArray();
            Assert.That(w.Grad!.ToArray(), Is.EqualTo(first), $"step {step}");
        }
    }

    [Test]
    public void TwoThreadsTrainingIndependentlyMatchSingleThreadedRuns()
    {
        static float[] Train(int seed)
        {
            var rng = new RandomGenerator(seed);
            var w = Tensor.RandomNormal(rng, [8, 8], 0f, 0.3f);
            w.RequiresGrad = true;
            var x = Tensor.RandomNormal(rng, [16, 8]);
            for (int step = 0; step < 200; step++)
            {
                using var scope = TensorScope.Begin();
                var loss = Tensor.MatMul(x, w).Tanh().Square().Mean();
                w.ZeroGrad();
                loss.Backward();
                var g = w.Grad!.AsReadOnlySpan();
                var p = w.AsSpan();
                for (int i = 0; i < p.Length; i++) p[i] -= 0.1f * g[i];
            }
            return w.ToArray();
        }

        var expected1 = Train(1);
        var expected2 = Train(2);
        float[]? got1 = null, got2 = null;
        var t1 = new Thread(() => got1 = Train(1));
        var t2 = new Thread(() => got2 = Train(2));
        t1.Start();
        t2.Start();
        t1.Join();
        t2.Join();
        Assert.That(got1, Is.EqualTo(expected1));
        Assert.That(got2, Is.EqualTo(expected2));
        Assert.That(expected1, Is.Not.EqualTo(expected2));
    }

    [Test]
    public void NoGradOnOneThreadDoesNotAffectAnother()
    {
        var x = Leaf(1f);
        bool otherThreadRecorded = false;
        using (GradMode.NoGrad())
        {
            var t = new Thread(() => otherThreadRecorded = (x * 2f).RequiresGrad);
            t.Start();
            t.Join();
        }
        Assert.That(otherThreadRecorded, Is.True);
    }
}

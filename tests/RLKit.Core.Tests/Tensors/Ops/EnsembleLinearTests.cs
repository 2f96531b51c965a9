using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

/// <summary>Tensor.EnsembleLinear: gradients, agreement with T separate Tensor.Linear calls, shape errors.</summary>
public class EnsembleLinearTests
{
    [TestCase(false, true)]
    [TestCase(false, false)]
    [TestCase(true, true)]
    [TestCase(true, false)]
    public void GradientsMatchFiniteDifferences(bool sharedInput, bool withBias)
    {
        var rng = GradCheck.TestRng();
        const int members = 3, rows = 4, inFeatures = 5, outFeatures = 2;
        var x = GradCheck.Input(rng, sharedInput ? [rows, inFeatures] : [members, rows, inFeatures]);
        var w = GradCheck.Input(rng, [members, outFeatures, inFeatures]);
        var b = GradCheck.Input(rng, [members, outFeatures]);
        GradCheck.Check(v => Tensor.EnsembleLinear(v[0], v[1], withBias ? v[2] : null), withBias ? [x, w, b] : [x, w]);
    }

    /// <summary>
    /// Shapes large enough for the packed, multi-threaded GEMM paths (and, with a shared input, a depth-T·out dX
    /// GEMM): every output and gradient equals that of T separate Linear ops.
    /// </summary>
    [TestCase(false, 3, 2, 4, 3)]
    [TestCase(true, 3, 2, 4, 3)]
    [TestCase(false, 4, 70, 50, 90)]
    [TestCase(true, 4, 70, 50, 90)]
    [TestCase(false, 10, 256, 256, 256)]
    [TestCase(true, 10, 100, 256, 256)]
    [TestCase(true, 2, 5, 7, 1)]
    public void MatchesSeparateLinearOps(bool sharedInput, int members, int rows, int inFeatures, int outFeatures)
    {
        var rng = new RandomGenerator(7);
        var x = GradCheck.Input(rng, sharedInput ? [rows, inFeatures] : [members, rows, inFeatures]);
        var w = GradCheck.Input(rng, [members, outFeatures, inFeatures]);
        var b = GradCheck.Input(rng, [members, outFeatures]);
        var g = Tensor.RandomUniform(rng, [members, rows, outFeatures], -1f, 1f);

        var y = Tensor.EnsembleLinear(x, w, b);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { members, rows, outFeatures }));
        y.Backward(g);

        var xs = Leaf(x.ToArray(), x.ShapeArray());   // a shared input accumulates every member's gradient, as in the ensemble
        for (int t = 0; t < members; t++)
        {
            var xt = sharedInput ? xs : Leaf(Block(x, t), rows, inFeatures);
            var wt = Leaf(Block(w, t), outFeatures, inFeatures);
            var bt = Leaf(Block(b, t), outFeatures);
            var yt = Tensor.Linear(xt, wt, bt);
            yt.Backward(Tensor.FromArray(Block(g, t), rows, outFeatures));
            Assert.That(Block(y, t), Is.EqualTo(yt.ToArray()).Within(1e-4), $"output of member {t}");
            Assert.That(Block(w.Grad!, t), Is.EqualTo(wt.Grad!.ToArray()).Within(1e-3), $"weight gradient of member {t}");
            Assert.That(Block(b.Grad!, t), Is.EqualTo(bt.Grad!.ToArray()).Within(1e-4), $"bias gradient of member {t}");
            if (!sharedInput) Assert.That(Block(x.Grad!, t), Is.EqualTo(xt.Grad!.ToArray()).Within(1e-4), $"input gradient of member {t}");
        }
        if (sharedInput) Assert.That(x.Grad!.ToArray(), Is.EqualTo(xs.Grad!.ToArray()).Within(1e-3), "shared input gradient");
    }

    /// <summary>
    /// Members large enough to parallelise on their own, in a count that does not divide among 2 or 3 threads: the
    /// whole rounds of members go one per thread and the rest parallelise internally; every output and gradient is
    /// bit for bit what one thread computes.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void ResultsDoNotDependOnTheThreadCount(bool sharedInput)
    {
        const int members = 5, rows = 130, inFeatures = 140, outFeatures = 129;
        float[][]? expected = null;
        int original = EngineSettings.MaxDegreeOfParallelism;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                EngineSettings.MaxDegreeOfParallelism = threads;
                var rng = new RandomGenerator(17);
                var x = GradCheck.Input(rng, sharedInput ? [rows, inFeatures] : [members, rows, inFeatures]);
                var w = GradCheck.Input(rng, [members, outFeatures, inFeatures]);
                var b = GradCheck.Input(rng, [members, outFeatures]);
                var y = Tensor.EnsembleLinear(x, w, b);
                y.Backward(Tensor.RandomUniform(rng, y.ShapeArray(), -1f, 1f));
                float[][] results = [y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray()];
                expected ??= results;
                for (int i = 0; i < results.Length; i++)
                    Assert.That(results[i], Is.EqualTo(expected[i]), $"result {i} (output, dX, dW, db) with {threads} threads");
            }
        }
        finally
        {
            EngineSettings.MaxDegreeOfParallelism = original;
        }
    }

    [Test]
    public void ComputesEachMembersAffineMapWithPyTorchLayout()
    {
        // Member 0: W = [[1, 2]], b = 0.5; member 1: W = [[-1, 0]], b = -1.
        var w = Tensor.FromArray([1f, 2f, -1f, 0f], 2, 1, 2);
        var b = Tensor.FromArray([0.5f, -1f], 2, 1);
        var perMember = Tensor.EnsembleLinear(Tensor.FromArray([1f, 1f, 3f, -2f], 2, 1, 2), w, b);
        Assert.That(perMember.ShapeArray(), Is.EqualTo(new[] { 2, 1, 1 }));
        Assert.That(perMember.ToArray(), Is.EqualTo(new[] { 3.5f, -4f }));
        var shared = Tensor.EnsembleLinear(Tensor.FromArray([1f, 1f, 3f, -2f], 2, 2), w, null);
        Assert.That(shared.ShapeArray(), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(shared.ToArray(), Is.EqualTo(new[] { 3f, -1f, -1f, -3f }));
    }

    [Test]
    public void ShapeErrorsNameTheShapes()
    {
        var w = Tensor.Zeros(3, 2, 4);
        var b = Tensor.Zeros(3, 2);
        Assert.That(() => Tensor.EnsembleLinear(Tensor.Zeros(5, 4), Tensor.Zeros(2, 4), null),
            Throws.ArgumentException.With.Message.Contains("[2, 4]").And.Message.Contains("[members, out_features, in_features]"));
        Assert.That(() => Tensor.EnsembleLinear(Tensor.Zeros(5, 3), w, b),
            Throws.ArgumentException.With.Message.Contains("[5, 3]").And.Message.Contains("[3, 2, 4]"));
        Assert.That(() => Tensor.EnsembleLinear(Tensor.Zeros(2, 5, 4), w, b),
            Throws.ArgumentException.With.Message.Contains("[2, 5, 4]").And.Message.Contains("[3, rows, 4]"));
        Assert.That(() => Tensor.EnsembleLinear(Tensor.Zeros(4), w, b), Throws.ArgumentException.With.Message.Contains("[4]"));
        Assert.That(() => Tensor.EnsembleLinear(Tensor.Zeros(1, 3, 5, 4), w, b), Throws.ArgumentException.With.Message.Contains("[1, 3, 5, 4]"));
        Assert.That(() => Tensor.EnsembleLinear(Tensor.Zeros(5, 4), w, Tensor.Zeros(2)),
            Throws.ArgumentException.With.Message.Contains("bias [2]").And.Message.Contains("[3, 2]"));
        Assert.That(() => Tensor.EnsembleLinear(Tensor.Zeros(5, 4), w, Tensor.Zeros(3, 3)), Throws.ArgumentException.With.Message.Contains("[3, 3]"));
        Assert.That(() => Tensor.EnsembleLinear(null!, w, b), Throws.ArgumentNullException);
    }

    /// <summary>A leaf that requires gradients, holding <paramref name="data"/>.</summary>
    internal static Tensor Leaf(float[] data, params int[] shape)
    {
        var t = Tensor.FromArray(data, shape);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Block <paramref name="index"/> along the first dimension, as a flat array.</summary>
    internal static float[] Block(Tensor t, int index)
    {
        int block = t.Size / t.Dim(0);
        return t.AsReadOnlySpan().Slice(index * block, block).ToArray();
    }
}

using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Nn;

public class GraphConvolutionTests
{
    [Test]
    public void ThreeNodeGraphMatchesHandComputedMessagePassing()
    {
        var gcn = new GraphConvolution(2, 2, new RandomGenerator(1));
        gcn.Weight.CopyFrom(Tensor.FromArray([1f, 0.5f, -0.5f, 1f], 2, 2));
        gcn.Bias!.CopyFrom(Tensor.FromArray([0.25f, -0.5f]));
        double[][] h = [[1, 0], [0, 1], [1, 1]];
        double[][] z = h.Select(x => new[] { x[0] + 0.5 * x[1], -0.5 * x[0] + x[1] }).ToArray();

        var y = gcn.Forward(Tensor.FromArray([1f, 0f, 0f, 1f, 1f, 1f], 1, 3, 2));

        // Complete graph of 3 without self-loops: every degree is 2, so Â_ij = 1/√(2·2) = 1/2 for i ≠ j.
        for (int i = 0; i < 3; i++)
            for (int o = 0; o < 2; o++)
            {
                double expected = (o == 0 ? 0.25 : -0.5);
                for (int j = 0; j < 3; j++) if (j != i) expected += 0.5 * z[j][o];
                Assert.That(y[0, i, o], Is.EqualTo(expected).Within(1e-5), $"node {i}, feature {o}");
            }
    }

    [Test]
    public void NormalizedAdjacencyIsSymmetricWithZeroDiagonalOverRealNodes()
    {
        var mask = Tensor.FromArray([1, 1, 0, 1, /**/ 0, 1, 0, 0], 2, 4);
        var a = GraphConvolution.NormalizedAdjacency(mask);
        Assert.That(a.ShapeArray(), Is.EqualTo(new[] { 2, 4, 4 }));
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                Assert.That(a[0, i, j], Is.EqualTo(a[0, j, i]));
                bool edge = i != j && i != 2 && j != 2;
                Assert.That(a[0, i, j], Is.EqualTo(edge ? 0.5f : 0f), $"row 0 ({i}, {j})");
                Assert.That(a[1, i, j], Is.EqualTo(0f), $"row 1 has one real node, so no edges ({i}, {j})");
            }
    }

    [Test]
    public void PaddingNodesDoNotReachRealNodes()
    {
        var rng = new RandomGenerator(3);
        var gcn = new GraphConvolution(3, 4, rng);
        Init.Normal(gcn.Bias!, rng, 0f, 0.5f);
        var real = Tensor.RandomNormal(rng, [1, 3, 3]);
        var padded = Tensor.Concat([real, Tensor.Full(1e6f, 1, 2, 3)], 1);
        padded.RequiresGrad = true;
        var mask = Tensor.FromArray([1, 1, 1, 0, 0], 1, 5);

        var alone = gcn.Forward(real);
        var withPadding = gcn.Forward(padded, mask);
        var realRows = withPadding.Narrow(1, 0, 3);
        Assert.That(realRows.ToArray(), Is.EqualTo(alone.ToArray()).Within(1e-5f));
        Assert.That(withPadding.Narrow(1, 3, 2).ToArray(), Is.EqualTo(Enumerable.Range(0, 2).SelectMany(_ => gcn.Bias!.ToArray())).Within(1e-6f), "isolated nodes output the bias");
        realRows.Sum().Backward();
        Assert.That(padded.Grad!.Narrow(1, 3, 2).ToArray(), Is.All.EqualTo(0f), "padding gets no gradient from real outputs");
    }

    [Test]
    public void UnbatchedNodesMatchABatchOfOne()
    {
        var rng = new RandomGenerator(4);
        var gcn = new GraphConvolution(2, 3, rng);
        var x = Tensor.RandomNormal(rng, [4, 2]);
        var mask = Tensor.FromArray([1f, 0f, 1f, 1f]);
        Assert.That(gcn.Forward(x, mask).ToArray(), Is.EqualTo(gcn.Forward(x.Unsqueeze(0), mask.Unsqueeze(0)).ToArray()));
        Assert.That(gcn.Forward(x, mask).ShapeArray(), Is.EqualTo(new[] { 4, 3 }));
    }

    [TestCase(1, 3, false)]
    [TestCase(2, 4, true)]
    [TestCase(1, 1, false)]
    public void GradCheckWrtNodesAndParameters(int batch, int n, bool withMask)
    {
        var rng = GradCheck.TestRng();
        var gcn = new GraphConvolution(3, 2, rng);
        Init.Normal(gcn.Bias!, rng, 0f, 0.5f);
        Tensor? mask = null;
        if (withMask)
        {
            mask = Tensor.Ones(batch, n);
            mask[batch - 1, n - 1] = 0f;
        }
        var x = GradCheck.Input(rng, [batch, n, 3]);
        GradCheck.Check(t => gcn.Forward(t[0], mask), [x, .. gcn.Parameters()]);
    }

    [Test]
    public void BadShapesAndSizesAreRejectedWithTheArgumentNamed()
    {
        var rng = new RandomGenerator(5);
        Assert.That(() => new GraphConvolution(0, 2, rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("inFeatures"));
        Assert.That(() => new GraphConvolution(2, 0, rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("outFeatures"));
        var gcn = new GraphConvolution(2, 2, rng);
        Assert.That(() => gcn.Forward(Tensor.Zeros(1, 3, 4)), Throws.ArgumentException.With.Property("ParamName").EqualTo("nodes").And.Message.Contains("[batch, N, 2]"));
        Assert.That(() => gcn.Forward(Tensor.Zeros(1, 3, 2), Tensor.Ones(1, 4)), Throws.ArgumentException.With.Property("ParamName").EqualTo("mask"));
        Assert.That(() => gcn.Forward(Tensor.Zeros(3, 2), Tensor.Ones(1, 3)), Throws.ArgumentException.With.Property("ParamName").EqualTo("mask"));
        Assert.That(() => GraphConvolution.NormalizedAdjacency(Tensor.Ones(3)), Throws.ArgumentException.With.Property("ParamName").EqualTo("mask"));
    }
}

using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Nn;

public class GraphAttentionTests
{
    [Test]
    public void ThreeNodeGraphMatchesHandComputedAttention()
    {
        var gat = new GraphAttention(2, 2, new RandomGenerator(1));
        double[,] w = { { 1.0, 0.5 }, { -0.5, 1.0 } };
        double[] a = [0.3, -0.2, -0.5, 0.1]; // [a_i ‖ a_j]
        gat.Weight.CopyFrom(Tensor.FromArray([1f, 0.5f, -0.5f, 1f], 2, 2));
        gat.Attention.CopyFrom(Tensor.FromArray([0.3f, -0.2f, -0.5f, 0.1f], 1, 4));
        gat.Bias!.CopyFrom(Tensor.FromArray([0.25f, -0.5f]));
        double[][] h = [[1, 0], [0, 1], [1, 1]];
        // Node 0 does not see node 2; node 2 does not see node 1.
        float[] adjacency = [1, 1, 0, 1, 1, 1, 1, 0, 1];

        var z = new double[3][];
        for (int i = 0; i < 3; i++) z[i] = [w[0, 0] * h[i][0] + w[0, 1] * h[i][1], w[1, 0] * h[i][0] + w[1, 1] * h[i][1]];
        var alpha = new double[3, 3];
        var expectedOut = new double[3, 2];
        for (int i = 0; i < 3; i++)
        {
            var e = new double[3];
            double max = double.NegativeInfinity;
            for (int j = 0; j < 3; j++)
            {
                double s = a[0] * z[i][0] + a[1] * z[i][1] + a[2] * z[j][0] + a[3] * z[j][1];
                e[j] = s > 0 ? s : 0.2 * s;
                if (adjacency[i * 3 + j] != 0) max = Math.Max(max, e[j]);
            }
            double sum = 0;
            for (int j = 0; j < 3; j++) if (adjacency[i * 3 + j] != 0) sum += Math.Exp(e[j] - max);
            for (int j = 0; j < 3; j++)
            {
                alpha[i, j] = adjacency[i * 3 + j] != 0 ? Math.Exp(e[j] - max) / sum : 0;
                expectedOut[i, 0] += alpha[i, j] * z[j][0];
                expectedOut[i, 1] += alpha[i, j] * z[j][1];
            }
            expectedOut[i, 0] += 0.25;
            expectedOut[i, 1] -= 0.5;
        }
        // The hand-picked numbers do exercise both LeakyReLU branches.
        double Raw(int i, int j) => a[0] * z[i][0] + a[1] * z[i][1] + a[2] * z[j][0] + a[3] * z[j][1];
        Assert.That(Raw(0, 0), Is.Negative);
        Assert.That(Raw(0, 1), Is.Positive);

        var nodes = Tensor.FromArray([1f, 0f, 0f, 1f, 1f, 1f], 1, 3, 2);
        var (y, weights) = gat.ForwardWithAttention(nodes, Tensor.FromArray(adjacency, 3, 3));
        Assert.That(weights.ShapeArray(), Is.EqualTo(new[] { 1, 1, 3, 3 }));
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
                Assert.That(weights[0, 0, i, j], Is.EqualTo(alpha[i, j]).Within(1e-6), $"alpha[{i}, {j}]");
            Assert.That(y[0, i, 0], Is.EqualTo(expectedOut[i, 0]).Within(1e-5));
            Assert.That(y[0, i, 1], Is.EqualTo(expectedOut[i, 1]).Within(1e-5));
        }
        Assert.That(weights[0, 0, 0, 2], Is.EqualTo(0f), "masked edge gets exactly zero weight");
        Assert.That(weights[0, 0, 2, 1], Is.EqualTo(0f));
    }

    [Test]
    public void WithoutAdjacencyTheGraphIsCompleteAndRowsSumToOne()
    {
        var rng = GradCheck.TestRng();
        var gat = new GraphAttention(3, 2, rng, heads: 2);
        var (y, weights) = gat.ForwardWithAttention(Tensor.RandomNormal(rng, [2, 4, 3]));
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { 2, 4, 4 }));
        Assert.That(weights.ShapeArray(), Is.EqualTo(new[] { 2, 2, 4, 4 }));
        Assert.That(weights.Sum(-1).ToArray(), Is.All.EqualTo(1f).Within(1e-5f));
        Assert.That(weights.ToArray(), Is.All.GreaterThan(0f));
    }

    [Test]
    public void BatchedAdjacencyMasksPerGraphAndUnbatchedInputWorks()
    {
        var rng = GradCheck.TestRng();
        var gat = new GraphAttention(2, 3, rng, heads: 3, concatHeads: false);
        var adjacency = Tensor.FromArray([1, 0, 1, 1, /**/ 1, 1, 0, 1], 2, 2, 2);
        var (y, weights) = gat.ForwardWithAttention(Tensor.RandomNormal(rng, [2, 2, 2]), adjacency);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { 2, 2, 3 }));
        for (int h = 0; h < 3; h++)
        {
            Assert.That(weights[0, h, 0, 1], Is.EqualTo(0f));
            Assert.That(weights[0, h, 0, 0], Is.EqualTo(1f));
            Assert.That(weights[1, h, 1, 0], Is.EqualTo(0f));
            Assert.That(weights[1, h, 0, 1], Is.GreaterThan(0f));
        }
        Assert.That(gat.Forward(Tensor.RandomNormal(rng, [5, 2])).ShapeArray(), Is.EqualTo(new[] { 5, 3 }));
        Assert.That(() => gat.Forward(Tensor.Zeros(1, 3, 2), Tensor.Ones(2, 2)), Throws.ArgumentException.With.Message.Contains("[N=3, N]"));
    }

    [TestCase(1, 3, 1, true)]
    [TestCase(2, 4, 2, true)]
    [TestCase(2, 3, 3, false)]
    [TestCase(1, 1, 1, true)]
    public void GradCheckWrtNodesAndParameters(int batch, int n, int heads, bool concat)
    {
        var rng = GradCheck.TestRng();
        var adjacency = Tensor.Zeros(batch, n, n);
        for (int i = 0; i < adjacency.Size; i++) adjacency.AsSpan()[i] = rng.NextDouble() < 0.6 ? 1f : 0f;
        for (int b = 0; b < batch; b++) for (int i = 0; i < n; i++) adjacency[b, i, i] = 1f;
        // The LeakyReLU on the scores has a kink at 0: redraw until every score is clear of it by more than a
        // finite-difference step (1e-2 on one input moves a score by at most ~0.04 here) can bridge.
        for (int attempt = 0; ; attempt++)
        {
            var gat = new GraphAttention(3, 2, rng, heads, concat);
            Init.Normal(gat.Bias!, rng, 0f, 0.5f);
            var x = GradCheck.Input(rng, [batch, n, 3]);
            if (MinAbsScore(gat, x) < 0.05 && attempt < 5000) continue;
            Assert.That(MinAbsScore(gat, x), Is.GreaterThanOrEqualTo(0.05), "no draw kept the scores clear of the kink");
            GradCheck.Check(t => gat.Forward(t[0], adjacency), [x, .. gat.Parameters()]);
            return;
        }
    }

    private static double MinAbsScore(GraphAttention gat, Tensor x)
    {
        int batch = x.Dim(0), n = x.Dim(1), f = gat.OutFeatures;
        double min = double.PositiveInfinity;
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < gat.Heads; h++)
            {
                var si = new double[n];
                var sj = new double[n];
                for (int node = 0; node < n; node++)
                    for (int o = 0; o < f; o++)
                    {
                        double z = 0;
                        for (int k = 0; k < gat.InFeatures; k++) z += gat.Weight[h * f + o, k] * x[b, node, k];
                        si[node] += gat.Attention[h, o] * z;
                        sj[node] += gat.Attention[h, f + o] * z;
                    }
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) min = Math.Min(min, Math.Abs(si[i] + sj[j]));
            }
        return min;
    }
}

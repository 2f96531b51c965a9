using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Nn;

public class LstmTests
{
    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    // Distinct, fixed weights so that a wrong gate order or a transposed matrix changes the numbers.
    private static float WeightIh(int row, int col) => 0.1f * (row + 1) * (col == 0 ? 1f : -0.5f);
    private static float WeightHh(int row, int col) => 0.05f * (row - 3) + 0.02f * col;
    private static float BiasIh(int row) => 0.01f * row;
    private static float BiasHh(int row) => row is >= 2 and < 4 ? 1f : -0.1f; // forget-gate bias 1, as is common

    [Test]
    public void TwoStepsWithFixedWeightsMatchHandComputedGates()
    {
        const int inputSize = 2, hidden = 2;
        var lstm = new Lstm(inputSize, hidden, new RandomGenerator(1));
        var state = lstm.StateDict();
        Fill(state["weight_ih_l0"], (r, c) => WeightIh(r, c));
        Fill(state["weight_hh_l0"], (r, c) => WeightHh(r, c));
        Fill(state["bias_ih_l0"], (r, _) => BiasIh(r));
        Fill(state["bias_hh_l0"], (r, _) => BiasHh(r));

        double[][] xs = [[0.5, -1.0], [2.0, 0.25]];
        double[] h = [0.1, -0.2], c = [0.3, 0.05];
        var outputs = new double[2][];
        for (int t = 0; t < 2; t++)
        {
            // PyTorch gate order: rows 0..H-1 input gate, H..2H-1 forget, 2H..3H-1 cell candidate, 3H..4H-1 output.
            double Pre(int row)
            {
                double s = BiasIh(row) + BiasHh(row);
                for (int k = 0; k < inputSize; k++) s += WeightIh(row, k) * xs[t][k];
                for (int k = 0; k < hidden; k++) s += WeightHh(row, k) * h[k];
                return s;
            }
            var newH = new double[hidden];
            var newC = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                double i = Sigmoid(Pre(j));
                double f = Sigmoid(Pre(hidden + j));
                double g = Math.Tanh(Pre(2 * hidden + j));
                double o = Sigmoid(Pre(3 * hidden + j));
                newC[j] = f * c[j] + i * g;
                newH[j] = o * Math.Tanh(newC[j]);
            }
            h = newH;
            c = newC;
            outputs[t] = h;
        }

        var input = Tensor.FromArray([0.5f, -1f, 2f, 0.25f], 1, 2, 2);
        var result = lstm.Forward(input, Tensor.FromArray([0.1f, -0.2f], 1, 1, 2), Tensor.FromArray([0.3f, 0.05f], 1, 1, 2));
        Assert.That(result.Output.ShapeArray(), Is.EqualTo(new[] { 1, 2, 2 }));
        Assert.That(result.Output.ToArray(), Is.EqualTo(outputs.SelectMany(o => o).ToArray()).Within(1e-6));
        Assert.That(result.Hidden.ShapeArray(), Is.EqualTo(new[] { 1, 1, 2 }));
        Assert.That(result.Hidden.ToArray(), Is.EqualTo(h).Within(1e-6));
        Assert.That(result.Cell.ToArray(), Is.EqualTo(c).Within(1e-6));
    }

    private static void Fill(Tensor t, Func<int, int, float> value)
    {
        int rows = t.Dim(0), cols = t.Rank == 2 ? t.Dim(1) : 1;
        var span = t.AsSpan();
        for (int r = 0; r < rows; r++)
            for (int col = 0; col < cols; col++) span[r * cols + col] = value(r, col);
    }

    [Test]
    public void ParameterNamesAndShapesFollowPyTorch()
    {
        var lstm = new Lstm(3, 4, new RandomGenerator(1), numLayers: 2, bidirectional: true);
        var shapes = lstm.StateDict().ToDictionary(kv => kv.Key, kv => Tensor.ShapeString(kv.Value.Shape));
        Assert.That(shapes.Keys, Is.EqualTo(new[]
        {
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
        }));
        Assert.That(shapes["weight_ih_l0"], Is.EqualTo("[16, 3]"));
        Assert.That(shapes["weight_ih_l1_reverse"], Is.EqualTo("[16, 8]"));
        Assert.That(shapes["weight_hh_l1"], Is.EqualTo("[16, 4]"));
        Assert.That(lstm.Parameters().SelectMany(p => p.ToArray()).Max(MathF.Abs), Is.LessThanOrEqualTo(0.5f));
    }

    [Test]
    public void ReverseDirectionReadsTheSequenceBackwards()
    {
        var rng = GradCheck.TestRng();
        var lstm = new Lstm(2, 3, rng, bidirectional: true);
        var forward = new Lstm(2, 3, rng);
        // A unidirectional LSTM with the reverse weights, run on the time-reversed input, must give the reverse half.
        var state = lstm.StateDict();
        forward.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight_ih_l0"] = state["weight_ih_l0_reverse"], ["weight_hh_l0"] = state["weight_hh_l0_reverse"],
            ["bias_ih_l0"] = state["bias_ih_l0_reverse"], ["bias_hh_l0"] = state["bias_hh_l0_reverse"],
        });
        var x = Tensor.RandomNormal(rng, [2, 4, 2]);
        var reversed = Tensor.Concat([x.Narrow(1, 3, 1), x.Narrow(1, 2, 1), x.Narrow(1, 1, 1), x.Narrow(1, 0, 1)], 1);
        var both = lstm.Forward(x);
        var single = forward.Forward(reversed);
        Assert.That(both.Output.ShapeArray(), Is.EqualTo(new[] { 2, 4, 6 }));
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 4; t++)
                for (int j = 0; j < 3; j++)
                    Assert.That(both.Output[b, t, 3 + j], Is.EqualTo(single.Output[b, 3 - t, j]).Within(1e-5f));
        Assert.That(both.Hidden.Narrow(0, 1, 1).ToArray(), Is.EqualTo(single.Hidden.ToArray()).Within(1e-5f));
    }

    [TestCase(1, 1, 1, 1, false)]
    [TestCase(2, 3, 2, 3, false)]
    [TestCase(1, 2, 3, 2, true)]
    public void GradCheckWrtInputsStatesAndParameters(int layers, int batch, int steps, int hidden, bool bidirectional)
    {
        var rng = GradCheck.TestRng();
        var lstm = new Lstm(2, hidden, rng, layers, bidirectional);
        int cells = layers * (bidirectional ? 2 : 1);
        var x = GradCheck.Input(rng, [batch, steps, 2]);
        var h0 = GradCheck.Input(rng, [cells, batch, hidden]);
        var c0 = GradCheck.Input(rng, [cells, batch, hidden]);
        GradCheck.Check(t =>
        {
            var r = lstm.Forward(t[0], t[1], t[2]);
            return Tensor.Concat([r.Output.Reshape(-1), r.Hidden.Reshape(-1), r.Cell.Reshape(-1)], 0);
        }, [x, h0, c0, .. lstm.Parameters()]);
    }

    [Test]
    public void BadShapesAreRejectedWithTheExpectedShape()
    {
        var lstm = new Lstm(3, 4, new RandomGenerator(1));
        Assert.That(() => lstm.Forward(Tensor.Zeros(2, 5, 2)), Throws.ArgumentException.With.Message.Contains("[batch, time, 3]"));
        Assert.That(() => lstm.Forward(Tensor.Zeros(2, 5, 3), Tensor.Zeros(1, 3, 4)), Throws.ArgumentException.With.Message.Contains("batch=2"));
    }
}

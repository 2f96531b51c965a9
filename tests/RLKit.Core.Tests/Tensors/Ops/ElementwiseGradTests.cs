using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

/// <summary>Finite-difference gradient checks for the element-wise, reduction, softmax, shape and matmul primitives.</summary>
public class ElementwiseGradTests
{
    private static readonly int[][] Shapes = [[1], [7], [3, 5], [2, 1, 4], [4, 3, 2]];

    // (a shape, b shape) pairs covering equal shapes, size-1 dimensions, rank promotion and two-sided broadcasting.
    private static readonly (int[] A, int[] B)[] BroadcastPairs =
    [
        ([3, 4], [3, 4]), ([3, 4], [4]), ([3, 4], [3, 1]), ([4], [2, 3, 4]), ([2, 1, 5], [1, 3, 1]),
        ([1], [3, 2]), ([5, 1], [1, 7]), ([3, 1, 2], [2]),
    ];

    public static IEnumerable<TestCaseData> BinaryCases()
    {
        foreach (var (a, b) in BroadcastPairs)
            foreach (var op in new[] { "add", "sub", "mul", "div", "minimum", "maximum", "pow" })
                yield return new TestCaseData(op, a, b).SetName($"Binary_{op}_{Tensor.ShapeString(a)}_{Tensor.ShapeString(b)}");
    }

    [TestCaseSource(nameof(BinaryCases))]
    public void BinaryOpsWithBroadcasting(string op, int[] shapeA, int[] shapeB)
    {
        var rng = GradCheck.TestRng();
        // Positive, well-separated operands keep div, pow and min/max away from their kinks.
        var a = GradCheck.Input(rng, shapeA, 0.5f, 1.5f);
        var b = GradCheck.Input(rng, shapeB, 0.5f, 1.5f);
        if (op is "minimum" or "maximum") SeparateFrom(a, b, rng);
        Func<Tensor[], Tensor> f = op switch
        {
            "add" => x => x[0] + x[1],
            "sub" => x => x[0] - x[1],
            "mul" => x => x[0] * x[1],
            "div" => x => x[0] / x[1],
            "minimum" => x => Tensor.Minimum(x[0], x[1]),
            "maximum" => x => Tensor.Maximum(x[0], x[1]),
            _ => x => Tensor.Pow(x[0], x[1]),
        };
        GradCheck.Check(f, [a, b]);
    }

    private static void SeparateFrom(Tensor a, Tensor b, RandomGenerator rng)
    {
        // Put a into [0.5, 0.9] ∪ [1.6, 2.0] and b into [1, 1.5]: no ties within the finite-difference step.
        var span = a.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = rng.NextDouble() < 0.5 ? rng.Uniform(0.5f, 0.9f) : rng.Uniform(1.6f, 2f);
        var bs = b.AsSpan();
        for (int i = 0; i < bs.Length; i++) bs[i] = rng.Uniform(1f, 1.5f);
    }

    public static IEnumerable<TestCaseData> UnaryCases()
    {
        foreach (var shape in Shapes)
            foreach (var op in new[] { "neg", "exp", "log", "sqrt", "abs", "pow3", "pow_half", "clamp", "relu", "leaky_relu", "elu", "tanh", "sigmoid", "softplus", "gelu", "affine", "square" })
                yield return new TestCaseData(op, shape).SetName($"Unary_{op}_{Tensor.ShapeString(shape)}");
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryOps(string op, int[] shape)
    {
        var rng = GradCheck.TestRng();
        bool positive = op is "log" or "sqrt" or "pow_half";
        // Kinked ops get inputs at least 0.1 from the kink, wider than the finite-difference step.
        var x = positive ? GradCheck.Input(rng, shape, 0.5f, 2f) : GradCheck.AwayFromZero(rng, shape, 0.1f);
        if (op == "clamp")
        {
            var s = x.AsSpan();
            for (int i = 0; i < s.Length; i++) if (Math.Abs(Math.Abs(s[i]) - 0.5f) < 0.05f) s[i] += 0.1f;
        }
        Func<Tensor[], Tensor> f = op switch
        {
            "neg" => v => v[0].Neg(),
            "exp" => v => v[0].Exp(),
            "log" => v => v[0].Log(),
            "sqrt" => v => v[0].Sqrt(),
            "abs" => v => v[0].Abs(),
            "pow3" => v => v[0].Pow(3f),
            "pow_half" => v => v[0].Pow(0.5f),
            "clamp" => v => v[0].Clamp(-0.5f, 0.5f),
            "relu" => v => v[0].Relu(),
            "leaky_relu" => v => v[0].LeakyRelu(0.2f),
            "elu" => v => v[0].Elu(1.3f),
            "tanh" => v => v[0].Tanh(),
            "sigmoid" => v => v[0].Sigmoid(),
            "softplus" => v => v[0].Softplus(),
            "gelu" => v => v[0].Gelu(),
            "affine" => v => v[0].Affine(-1.7f, 0.3f),
            _ => v => v[0].Square(),
        };
        GradCheck.Check(f, [x]);
    }

    public static IEnumerable<TestCaseData> AxisCases()
    {
        foreach (var shape in new[] { new[] { 5 }, new[] { 3, 4 }, new[] { 2, 3, 5 }, new[] { 1, 4, 1 } })
            for (int axis = -shape.Length; axis < shape.Length; axis++)
                foreach (bool keep in new[] { false, true })
                    yield return new TestCaseData(shape, axis, keep).SetName($"Axis_{Tensor.ShapeString(shape)}_{axis}_{keep}");
    }

    [TestCaseSource(nameof(AxisCases))]
    public void ReductionsAndSoftmax(int[] shape, int axis, bool keepDim)
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, shape, -2f, 2f);
        GradCheck.Check(v => v[0].Sum(axis, keepDim), [x]);
        GradCheck.Check(v => v[0].Mean(axis, keepDim), [x]);
        GradCheck.Check(v => v[0].Max(axis, keepDim), [Distinct(rng, shape)]);
        GradCheck.Check(v => v[0].LogSumExp(axis, keepDim), [x]);
        if (x.Dim(axis) > 1) GradCheck.Check(v => v[0].Var(axis, unbiased: true, keepDim), [x]);
        GradCheck.Check(v => v[0].Softmax(axis), [x]);
        GradCheck.Check(v => v[0].LogSoftmax(axis), [x]);
    }

    /// <summary>Shuffled values 0.1 apart: no two within the finite-difference step, so max has no ties.</summary>
    private static Tensor Distinct(RandomGenerator rng, int[] shape)
    {
        var x = Tensor.Zeros(shape);
        var span = x.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = 0.1f * i - 0.05f * span.Length;
        rng.Shuffle(span);
        x.RequiresGrad = true;
        return x;
    }

    [Test]
    public void WholeTensorReductions()
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, [3, 4, 2]);
        GradCheck.Check(v => v[0].Sum(), [x]);
        GradCheck.Check(v => v[0].Mean(), [x]);
        GradCheck.Check(v => v[0].Max(), [Distinct(rng, [3, 4, 2])]);
        GradCheck.Check(v => v[0].Var(), [x]);
    }

    [Test]
    public void ShapeOps()
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, [2, 3, 4]);
        // A non-uniform follow-up op makes a wrong index mapping visible to the check.
        GradCheck.Check(v => v[0].Reshape(4, -1).Exp(), [x]);
        GradCheck.Check(v => v[0].Permute(2, 0, 1).Exp(), [x]);
        GradCheck.Check(v => v[0].Transpose(0, 2).Exp(), [x]);
        GradCheck.Check(v => v[0].Unsqueeze(1).Squeeze(1).Exp(), [x]);
        GradCheck.Check(v => v[0].Flatten().Exp(), [x]);
        var m = GradCheck.Input(rng, [3, 5]);
        GradCheck.Check(v => v[0].T().Exp(), [m]);
    }

    public static IEnumerable<TestCaseData> MatMulCases()
    {
        int[][] sizes = [[1, 1, 1], [3, 5, 2], [4, 1, 7], [2, 6, 3]];
        foreach (var s in sizes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (var batch in new[] { "none", "both", "a", "b" })
                        yield return new TestCaseData(s[0], s[1], s[2], ta, tb, batch).SetName($"MatMul_{s[0]}x{s[1]}x{s[2]}_ta{ta}_tb{tb}_{batch}");
    }

    [TestCaseSource(nameof(MatMulCases))]
    public void MatMulAllVariants(int m, int k, int n, bool transposeA, bool transposeB, string batch)
    {
        var rng = GradCheck.TestRng();
        int[] aCore = transposeA ? [k, m] : [m, k];
        int[] bCore = transposeB ? [n, k] : [k, n];
        int[] lead = [2];
        var a = GradCheck.Input(rng, batch is "both" or "a" ? [.. lead, .. aCore] : aCore);
        var b = GradCheck.Input(rng, batch is "both" or "b" ? [.. lead, .. bCore] : bCore);
        GradCheck.Check(v => Tensor.MatMul(v[0], v[1], transposeA, transposeB), [a, b]);
    }

    [TestCase(new[] { 5, 3 }, 4, true)]
    [TestCase(new[] { 1, 3 }, 1, true)]
    [TestCase(new[] { 2, 3, 7 }, 2, false)]
    [TestCase(new[] { 3 }, 5, true)]
    public void FusedLinear(int[] inputShape, int outFeatures, bool withBias)
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, inputShape);
        var w = GradCheck.Input(rng, [outFeatures, inputShape[^1]]);
        var b = GradCheck.Input(rng, [outFeatures]);
        GradCheck.Check(v => Tensor.Linear(v[0], v[1], withBias ? v[2] : null), withBias ? [x, w, b] : [x, w]);
        var reference = Tensor.MatMul(x.Reshape(-1, inputShape[^1]), w, transposeB: true) + (withBias ? b : Tensor.Zeros(outFeatures));
        Assert.That(Tensor.Linear(x, w, withBias ? b : null).ToArray(), Is.EqualTo(reference.ToArray()).Within(1e-5));
    }

    [Test]
    public void MatMulWithTwoBatchDimensions()
    {
        var rng = GradCheck.TestRng();
        var a = GradCheck.Input(rng, [2, 3, 4, 5]);
        var b = GradCheck.Input(rng, [2, 3, 5, 2]);
        GradCheck.Check(v => Tensor.MatMul(v[0], v[1]), [a, b]);
    }

    [Test]
    public void GradientAccumulatesAcrossUsesOfOneInput()
    {
        var rng = GradCheck.TestRng();
        var x = GradCheck.Input(rng, [3, 3]);
        GradCheck.Check(v => v[0] * v[0].Tanh() + Tensor.MatMul(v[0], v[0]), [x]);
    }
}

using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors.Ops;

public class FunctionalTests
{
    // GradCheck builds its projection with Tensor.FromArray(w, shape), which turns the empty shape of a
    // scalar into [1]; scalar losses are checked as one-element vectors instead.
    private static Tensor AsVector(Tensor scalar) => scalar.Reshape(1);

    // ---------------------------------------------------------------- layer norm

    [Test]
    public void LayerNormOutputHasMeanZeroAndVarianceOne()
    {
        var rng = GradCheck.TestRng();
        var x = Tensor.RandomNormal(rng, [4, 7], mean: 3f, std: 2f);
        var y = Functional.LayerNorm(x, 7, null, null).ToArray();
        for (int row = 0; row < 4; row++)
        {
            var values = y.AsSpan(row * 7, 7).ToArray();
            double mean = values.Average();
            double variance = values.Select(v => (v - mean) * (v - mean)).Average();
            Assert.That(mean, Is.EqualTo(0).Within(1e-5));
            Assert.That(variance, Is.EqualTo(1).Within(1e-3));
        }
    }

    [Test]
    public void LayerNormAppliesGammaAndBeta()
    {
        var x = Tensor.FromArray([1f, 3f], 1, 2);
        var y = Functional.LayerNorm(x, 2, Tensor.FromArray([2f, 3f]), Tensor.FromArray([10f, 20f]), eps: 0f + 1e-12f);
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 8f, 23f }).Within(1e-4f));
    }

    [TestCase(new[] { 3, 5 })]
    [TestCase(new[] { 2, 3, 4 })]
    [TestCase(new[] { 1, 3 })]
    [TestCase(new[] { 6 })]
    public void LayerNormGradient(int[] shape)
    {
        var rng = GradCheck.TestRng();
        int n = shape[^1];
        GradCheck.Check(t => Functional.LayerNorm(t[0], n, t[1], t[2]),
            [GradCheck.Input(rng, shape, -2f, 2f), GradCheck.Input(rng, [n], 0.5f, 1.5f), GradCheck.Input(rng, [n])]);
    }

    [Test]
    public void LayerNormShapeErrorsNameBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Functional.LayerNorm(Tensor.Zeros(2, 4), 3, null, null));
        Assert.That(ex!.Message, Does.Contain("layer_norm").And.Contain("[2, 4]").And.Contain("3"));
        ex = Assert.Throws<ArgumentException>(() => Functional.LayerNorm(Tensor.Zeros(2, 4), 4, Tensor.Zeros(3), null));
        Assert.That(ex!.Message, Does.Contain("gamma").And.Contain("[3]").And.Contain("[2, 4]"));
    }

    // ---------------------------------------------------------------- batch norm

    [Test]
    public void BatchNormTrainingNormalisesAndUpdatesRunningStats()
    {
        var x = Tensor.FromArray([1f, 10f, 3f, 20f, 5f, 60f], 3, 2); // channel 0: 1, 3, 5; channel 1: 10, 20, 60
        var runningMean = Tensor.Zeros(2);
        var runningVar = Tensor.Ones(2);
        var y = Functional.BatchNorm(x, runningMean, runningVar, null, null, training: true, momentum: 0.1f, eps: 0f + 1e-12f);
        var channel0 = new[] { y[0, 0], y[1, 0], y[2, 0] };
        float std0 = MathF.Sqrt(8f / 3f); // biased variance of 1, 3, 5
        Assert.That(channel0, Is.EqualTo(new[] { -2f / std0, 0f, 2f / std0 }).Within(1e-4f));
        // running = 0.9·old + 0.1·batch, with the unbiased variance (4 and 700).
        Assert.That(runningMean.ToArray(), Is.EqualTo(new[] { 0.3f, 3f }).Within(1e-5f));
        Assert.That(runningVar.ToArray(), Is.EqualTo(new[] { 0.9f + 0.4f, 0.9f + 70f }).Within(1e-3f));
    }

    [Test]
    public void BatchNormEvalUsesRunningStats()
    {
        var x = Tensor.FromArray([2f, 4f, 6f, 8f], 1, 2, 2);
        var runningMean = Tensor.FromArray([1f, 2f]);
        var runningVar = Tensor.FromArray([4f, 16f]);
        var gamma = Tensor.FromArray([1f, 2f]);
        var beta = Tensor.FromArray([0f, 1f]);
        var y = Functional.BatchNorm(x, runningMean, runningVar, gamma, beta, training: false, eps: 1e-12f);
        Assert.That(y.ToArray(), Is.EqualTo(new[] { 0.5f, 1.5f, 2f * 1f + 1f, 2f * 1.5f + 1f }).Within(1e-5f));
        Assert.That(runningMean.ToArray(), Is.EqualTo(new[] { 1f, 2f }), "eval must not touch running stats");
    }

    [TestCase(new[] { 4, 3 }, true)]
    [TestCase(new[] { 3, 2, 5 }, true)]
    [TestCase(new[] { 2, 1, 3 }, true)]
    [TestCase(new[] { 3, 2, 5 }, false)]
    [TestCase(new[] { 5, 1 }, false)]
    public void BatchNormGradient(int[] shape, bool training)
    {
        var rng = GradCheck.TestRng();
        int channels = shape[1];
        var runningMean = Tensor.RandomUniform(rng, [channels], -0.5f, 0.5f);
        var runningVar = Tensor.RandomUniform(rng, [channels], 0.5f, 1.5f);
        GradCheck.Check(t => Functional.BatchNorm(t[0], runningMean, runningVar, t[1], t[2], training),
            [GradCheck.Input(rng, shape, -2f, 2f), GradCheck.Input(rng, [channels], 0.5f, 1.5f), GradCheck.Input(rng, [channels])]);
    }

    [Test]
    public void BatchNormBadInputsAreClearErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros(1, 3), null, null, null, null, training: true));
        Assert.That(ex!.Message, Does.Contain("batch_norm").And.Contain("more than one value"));
        ex = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros(4, 3), Tensor.Zeros(2), Tensor.Zeros(2), null, null, training: true));
        Assert.That(ex!.Message, Does.Contain("runningMean").And.Contain("[2]").And.Contain("[4, 3]"));
        Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros(4, 3), Tensor.Zeros(3), null, null, null, training: true));
        Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros(4), null, null, null, null, training: true));
    }

    // ---------------------------------------------------------------- dropout

    [Test]
    public void DropoutZeroesAboutPAndScalesTheRest()
    {
        var x = Tensor.Ones(4000);
        var y = Functional.Dropout(x, 0.25f, training: true, new RandomGenerator(7)).ToArray();
        int zeros = y.Count(v => v == 0f);
        Assert.That(zeros / 4000.0, Is.EqualTo(0.25).Within(0.03));
        Assert.That(y.Where(v => v != 0f), Is.All.EqualTo(1f / 0.75f).Within(1e-6f));
    }

    [Test]
    public void DropoutIsIdentityInEvalOrWithPZero()
    {
        var x = Tensor.Ones(3);
        Assert.That(Functional.Dropout(x, 0.5f, training: false, new RandomGenerator(1)), Is.SameAs(x));
        Assert.That(Functional.Dropout(x, 0f, training: true, new RandomGenerator(1)), Is.SameAs(x));
    }

    [Test]
    public void DropoutGradient()
    {
        var rng = GradCheck.TestRng();
        // A fresh generator with one seed per call keeps the mask fixed across the finite differences.
        GradCheck.Check(t => Functional.Dropout(t[0], 0.4f, training: true, new RandomGenerator(99)), [GradCheck.Input(rng, [3, 5])]);
    }

    [TestCase(-0.1f)]
    [TestCase(1f)]
    [TestCase(float.NaN)]
    public void DropoutRejectsBadProbability(float p)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Dropout(Tensor.Ones(2), p, true, new RandomGenerator(1)));
        Assert.That(ex!.ParamName, Is.EqualTo("p"));
        Assert.That(ex.Message, Does.Contain("dropout").And.Contain("[0, 1)"));
    }

    // ---------------------------------------------------------------- losses

    [Test]
    public void MseLossValuesForEachReduction()
    {
        var pred = Tensor.FromArray([1f, 2f, 4f]);
        var target = Tensor.FromArray([1f, 0f, 1f]);
        Assert.That(Functional.MseLoss(pred, target).Item(), Is.EqualTo(13f / 3f).Within(1e-6f));
        Assert.That(Functional.MseLoss(pred, target, Reduction.Sum).Item(), Is.EqualTo(13f));
        Assert.That(Functional.MseLoss(pred, target, Reduction.None).ToArray(), Is.EqualTo(new[] { 0f, 4f, 9f }));
    }

    [TestCase(new[] { 4 })]
    [TestCase(new[] { 3, 1 })]
    [TestCase(new[] { 2, 3, 5 })]
    public void MseLossGradient(int[] shape)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => AsVector(Functional.MseLoss(t[0], t[1])), [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape)]);
        GradCheck.Check(t => Functional.MseLoss(t[0], t[1], Reduction.None), [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape)]);
    }

    [Test]
    public void LossShapeMismatchNamesBothShapes()
    {
        foreach (var loss in new Func<Tensor, Tensor, Tensor>[]
                 {
                     (p, t) => Functional.MseLoss(p, t),
                     (p, t) => Functional.HuberLoss(p, t),
                     (p, t) => Functional.SmoothL1Loss(p, t),
                 })
        {
            var ex = Assert.Throws<ArgumentException>(() => loss(Tensor.Zeros(2, 3), Tensor.Zeros(3)));
            Assert.That(ex!.Message, Does.Contain("loss").And.Contain("[2, 3]").And.Contain("[3]"));
        }
    }

    [TestCase(0.5f, 1f, 0.125f)]   // inside: 0.5·d²
    [TestCase(-0.5f, 1f, 0.125f)]
    [TestCase(3f, 1f, 2.5f)]       // outside: δ·(|d| − δ/2)
    [TestCase(-3f, 2f, 4f)]
    [TestCase(1.5f, 2f, 1.125f)]
    [TestCase(2f, 2f, 2f)]         // at the boundary both branches agree
    public void HuberLossValuesOnBothSidesOfDelta(float difference, float delta, float expected)
    {
        var loss = Functional.HuberLoss(Tensor.FromArray([difference + 1f]), Tensor.FromArray([1f]), delta);
        Assert.That(loss.Item(), Is.EqualTo(expected).Within(1e-5f));
    }

    [TestCase(1f)]
    [TestCase(0.3f)]
    [TestCase(2.5f)]
    public void HuberLossGradient(float delta)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => AsVector(Functional.HuberLoss(t[0], t[1], delta, Reduction.Sum)),
            [GradCheck.Input(rng, [3, 4], -3f, 3f), GradCheck.Input(rng, [3, 4], -3f, 3f)]);
    }

    [TestCase(0.5f, 1f, 0.125f)]
    [TestCase(3f, 1f, 2.5f)]
    [TestCase(0.2f, 0.5f, 0.04f)]   // 0.5·0.04 / 0.5
    [TestCase(-2f, 0.5f, 1.75f)]    // 2 − 0.25
    [TestCase(-2f, 0f, 2f)]         // plain L1
    public void SmoothL1LossValues(float difference, float beta, float expected)
    {
        var loss = Functional.SmoothL1Loss(Tensor.FromArray([difference]), Tensor.FromArray([0f]), beta);
        Assert.That(loss.Item(), Is.EqualTo(expected).Within(1e-5f));
    }

    [Test]
    public void SmoothL1EqualsHuberOverBeta()
    {
        var rng = GradCheck.TestRng();
        var pred = Tensor.RandomUniform(rng, [10], -3f, 3f);
        var target = Tensor.RandomUniform(rng, [10], -3f, 3f);
        var smooth = Functional.SmoothL1Loss(pred, target, 1.5f, Reduction.None).ToArray();
        var huber = Functional.HuberLoss(pred, target, 1.5f, Reduction.None).ToArray();
        Assert.That(smooth, Is.EqualTo(huber.Select(h => h / 1.5f).ToArray()).Within(1e-5f));
    }

    [TestCase(1f)]
    [TestCase(0.4f)]
    public void SmoothL1LossGradient(float beta)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => AsVector(Functional.SmoothL1Loss(t[0], t[1], beta)),
            [GradCheck.Input(rng, [2, 5], -2f, 2f), GradCheck.Input(rng, [2, 5], -2f, 2f)]);
    }

    [Test]
    public void HuberAndSmoothL1RejectBadParameters()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.HuberLoss(Tensor.Zeros(1), Tensor.Zeros(1), 0f));
        Assert.That(ex!.ParamName, Is.EqualTo("delta"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.SmoothL1Loss(Tensor.Zeros(1), Tensor.Zeros(1), -1f));
        Assert.That(ex!.ParamName, Is.EqualTo("beta"));
    }

    // ---------------------------------------------------------------- cross-entropy

    [TestCase(1, 2)]
    [TestCase(3, 5)]
    [TestCase(4, 7)]
    public void CrossEntropyOfUniformLogitsIsLogC(int batch, int classes)
    {
        var rng = GradCheck.TestRng();
        var logits = Tensor.Full(rng.Uniform(-3f, 3f), batch, classes);
        var targets = Enumerable.Range(0, batch).Select(_ => rng.NextInt(classes)).ToArray();
        Assert.That(Functional.CrossEntropy(logits, targets).Item(), Is.EqualTo(MathF.Log(classes)).Within(1e-5f));
    }

    [Test]
    public void CrossEntropyKnownValues()
    {
        var logits = Tensor.FromArray([0f, 1f, 2f, 3f, 0f, 0f], 2, 3);
        var perSample = Functional.CrossEntropy(logits, [2, 0], Reduction.None).ToArray();
        double lse0 = Math.Log(1 + Math.E + Math.Exp(2));
        double lse1 = Math.Log(Math.Exp(3) + 2);
        Assert.That(perSample[0], Is.EqualTo(lse0 - 2).Within(1e-5));
        Assert.That(perSample[1], Is.EqualTo(lse1 - 3).Within(1e-5));
        Assert.That(Functional.CrossEntropy(logits, [2, 0], Reduction.Sum).Item(), Is.EqualTo(lse0 - 2 + lse1 - 3).Within(1e-5));
    }

    [TestCase(1, 3)]
    [TestCase(4, 5)]
    [TestCase(3, 1)]
    public void CrossEntropyGradient(int batch, int classes)
    {
        var rng = GradCheck.TestRng();
        var targets = Enumerable.Range(0, batch).Select(_ => rng.NextInt(classes)).ToArray();
        GradCheck.Check(t => AsVector(Functional.CrossEntropy(t[0], targets)), [GradCheck.Input(rng, [batch, classes], -2f, 2f)]);
    }

    [Test]
    public void CrossEntropyBadTargetsAreClearErrors()
    {
        var logits = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.CrossEntropy(logits, [0, 3]));
        Assert.That(ex!.Message, Does.Contain("cross_entropy").And.Contain("targets[1] = 3").And.Contain("0..2"));
        var count = Assert.Throws<ArgumentException>(() => Functional.CrossEntropy(logits, [0]));
        Assert.That(count!.Message, Does.Contain("cross_entropy").And.Contain("[2, 3]"));
    }

    // ---------------------------------------------------------------- similarity / normalisation

    [Test]
    public void CosineSimilarityKnownValues()
    {
        var a = Tensor.FromArray([1f, 0f, 1f, 1f, 2f, 0f, 0f, 0f], 4, 2);
        var b = Tensor.FromArray([3f, 0f, -1f, -1f, 0f, 5f, 1f, 1f], 4, 2);
        var y = Functional.CosineSimilarity(a, b).ToArray();
        Assert.That(y, Is.EqualTo(new[] { 1f, -1f, 0f, 0f }).Within(1e-6f));
        Assert.That(y.All(float.IsFinite), "a zero vector must give 0, not NaN");
    }

    [TestCase(new[] { 3, 4 }, new[] { 3, 4 }, -1)]
    [TestCase(new[] { 3, 4 }, new[] { 3, 4 }, 0)]
    [TestCase(new[] { 2, 3 }, new[] { 3 }, -1)]
    [TestCase(new[] { 1, 5 }, new[] { 4, 5 }, 1)]
    [TestCase(new[] { 2, 1, 3 }, new[] { 2, 4, 3 }, 2)]
    public void CosineSimilarityGradient(int[] aShape, int[] bShape, int axis)
    {
        var rng = GradCheck.TestRng();
        // h = 3e-3: cosine curves like 1/|a|² for short rows, where the default step's truncation error exceeds the
        // tolerance although the analytic gradient is right.
        GradCheck.Check(t => Functional.CosineSimilarity(t[0], t[1], axis), [GradCheck.Input(rng, aShape), GradCheck.Input(rng, bShape)], h: 3e-3);
    }

    [Test]
    public void CosineSimilarityGradientIsFiniteAtZero()
    {
        var a = Tensor.Zeros(1, 3);
        a.RequiresGrad = true;
        Functional.CosineSimilarity(a, Tensor.Ones(1, 3)).Sum().Backward();
        Assert.That(a.Grad!.ToArray().All(float.IsFinite));
    }

    [Test]
    public void L2NormalizeGivesUnitNorms()
    {
        var rng = GradCheck.TestRng();
        var y = Functional.L2Normalize(Tensor.RandomNormal(rng, [3, 6]), axis: 1).ToArray();
        for (int row = 0; row < 3; row++)
            Assert.That(Math.Sqrt(y.AsSpan(row * 6, 6).ToArray().Sum(v => v * v)), Is.EqualTo(1).Within(1e-5));
        Assert.That(Functional.L2Normalize(Tensor.Zeros(2)).ToArray(), Is.EqualTo(new[] { 0f, 0f }));
    }

    [TestCase(new[] { 3, 4 }, -1)]
    [TestCase(new[] { 3, 4 }, 0)]
    [TestCase(new[] { 5 }, 0)]
    [TestCase(new[] { 2, 3, 1 }, 1)]
    public void L2NormalizeGradient(int[] shape, int axis)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => Functional.L2Normalize(t[0], axis), [GradCheck.AwayFromZero(rng, shape, 0.2f)]);
    }

    // ---------------------------------------------------------------- bilinear

    [Test]
    public void BilinearMatchesTheDefinition()
    {
        var rng = GradCheck.TestRng();
        var x1 = Tensor.RandomUniform(rng, [3, 2], -1f, 1f);
        var x2 = Tensor.RandomUniform(rng, [3, 4], -1f, 1f);
        var weight = Tensor.RandomUniform(rng, [5, 2, 4], -1f, 1f);
        var bias = Tensor.RandomUniform(rng, [5], -1f, 1f);
        var y = Functional.Bilinear(x1, x2, weight, bias);
        Assert.That(y.ShapeArray(), Is.EqualTo(new[] { 3, 5 }));
        for (int b = 0; b < 3; b++)
            for (int o = 0; o < 5; o++)
            {
                double sum = bias[o];
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 4; j++)
                        sum += x1[b, i] * weight[o, i, j] * x2[b, j];
                Assert.That(y[b, o], Is.EqualTo(sum).Within(1e-5));
            }
    }

    [TestCase(3, 2, 4, 5)]
    [TestCase(1, 1, 1, 1)]
    [TestCase(2, 3, 1, 2)]
    public void BilinearGradient(int batch, int in1, int in2, int outputs)
    {
        var rng = GradCheck.TestRng();
        GradCheck.Check(t => Functional.Bilinear(t[0], t[1], t[2], t[3]),
            [GradCheck.Input(rng, [batch, in1]), GradCheck.Input(rng, [batch, in2]), GradCheck.Input(rng, [outputs, in1, in2]), GradCheck.Input(rng, [outputs])]);
        GradCheck.Check(t => Functional.Bilinear(t[0], t[1], t[2]),
            [GradCheck.Input(rng, [batch, in1]), GradCheck.Input(rng, [batch, in2]), GradCheck.Input(rng, [outputs, in1, in2])]);
    }

    [Test]
    public void BilinearShapeErrorNamesTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Functional.Bilinear(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4), Tensor.Zeros(5, 3, 2)));
        Assert.That(ex!.Message, Does.Contain("bilinear").And.Contain("[2, 4]").And.Contain("[5, 3, 2]"));
    }
}

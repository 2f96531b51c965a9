using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Dnc;

/// <summary>DnC's KL penalty against hand computation: values, which policy the gradient reaches, and the states it averages over.</summary>
public class DncRegularisationTests
{
    /// <summary>KL(N(μp, σp²) ‖ N(μq, σq²)) of one dimension, in double.</summary>
    private static double Kl(double meanP, double logStdP, double meanQ, double logStdQ)
    {
        double varianceP = Math.Exp(2 * logStdP), varianceQ = Math.Exp(2 * logStdQ);
        return logStdQ - logStdP + (varianceP + (meanP - meanQ) * (meanP - meanQ)) / (2 * varianceQ) - 0.5;
    }

    private static Tensor Leaf(float[] values, params int[] shape)
    {
        var t = Tensor.FromArray(values, shape);
        t.RequiresGrad = true;
        return t;
    }

    [Test]
    public void TwoOneDimensionalPoliciesGiveTheHandComputedKlBothWays()
    {
        // π0 = N(0.5, 1), π1 = N(-0.3, 2²) at one state: KL(π0‖π1) = ln 2 + (1 + 0.64)/8 − ½, KL(π1‖π0) = −ln 2 + (4 + 0.64)/2 − ½.
        var mean = Leaf([0.5f, -0.3f], 2, 1, 1);
        var logStd = Leaf([0f, MathF.Log(2f)], 2, 1, 1);
        var pairs = DncRegularisation.PairwiseKl(mean, logStd).ToArray();   // [j, i] = KL(π_j ‖ π_i)
        Assert.That(pairs, Is.EqualTo(new[] { 0.0, Math.Log(2) + 1.64 / 8 - 0.5, -Math.Log(2) + 4.64 / 2 - 0.5, 0.0 }).Within(1e-5));
    }

    [Test]
    public void ThreePoliciesOnTwoStatesAverageTheKlOverStatesAndActionDimensions()
    {
        var rng = new RandomGenerator(5);
        var mean = GradCheck.Input(rng, [3, 2, 2]);
        var logStd = GradCheck.Input(rng, [3, 2, 2], -1f, 0.5f);
        var pairs = DncRegularisation.PairwiseKl(mean, logStd).ToArray();
        float[] m = mean.ToArray(), s = logStd.ToArray();
        var expected = new double[9];
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 3; i++)
            {
                double sum = 0;
                for (int e = 0; e < 4; e++) sum += Kl(m[j * 4 + e], s[j * 4 + e], m[i * 4 + e], s[i * 4 + e]);
                expected[j * 3 + i] = sum / 4;   // the reference's mean over states and action dimensions
            }
        Assert.That(pairs, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void AKlTermMovesOnlyThePolicyBeingRegularised()
    {
        // KL(π1 ‖ π0), π0's term: the gradient reaches π0 (∂/∂μ0 = (μ0 − μ1)/σ0², ∂/∂log σ0 = 1 − (σ1² + (μ1 − μ0)²)/σ0²) and not π1.
        var mean = Leaf([0.5f, -0.3f], 2, 1, 1);
        var logStd = Leaf([0f, MathF.Log(2f)], 2, 1, 1);
        DncRegularisation.PairwiseKl(mean, logStd).Narrow(0, 1, 1).Narrow(1, 0, 1).Sum().Backward();
        Assert.Multiple(() =>
        {
            Assert.That(mean.Grad!.ToArray(), Is.EqualTo(new[] { 0.8f, 0f }).Within(1e-5f));
            Assert.That(logStd.Grad!.ToArray(), Is.EqualTo(new[] { 1f - 4.64f, 0f }).Within(1e-5f));
        });
    }

    [Test]
    public void TheSummedPenaltysGradientIsEachPolicysOwnColumnWithTheOthersHeldFixed()
    {
        // Σ over all pairs, π_j detached: the gradient for π_i is ∂/∂π_i Σ_j KL(π_j ‖ π_i) — summed over j, averaged over 2 states × 2 dims.
        var rng = new RandomGenerator(8);
        var mean = GradCheck.Input(rng, [3, 2, 2]);
        var logStd = GradCheck.Input(rng, [3, 2, 2], -1f, 0.5f);
        DncRegularisation.PairwiseKl(mean, logStd).Sum().Backward();
        float[] m = mean.ToArray(), s = logStd.ToArray();
        var meanGrad = new double[12];
        var logStdGrad = new double[12];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int e = 0; e < 4; e++)
                {
                    double varianceI = Math.Exp(2 * s[i * 4 + e]), gap = m[j * 4 + e] - m[i * 4 + e];
                    meanGrad[i * 4 + e] += -gap / varianceI / 4;
                    logStdGrad[i * 4 + e] += (1 - (Math.Exp(2 * s[j * 4 + e]) + gap * gap) / varianceI) / 4;
                }
        Assert.Multiple(() =>
        {
            Assert.That(mean.Grad!.ToArray(), Is.EqualTo(meanGrad).Within(1e-4));
            Assert.That(logStd.Grad!.ToArray(), Is.EqualTo(logStdGrad).Within(1e-4));
        });
    }

    [Test]
    public void PenaltyOnTheActorsReachesOnlyTheRegularisedPolicysWeights()
    {
        var model = new MultiTaskSacModel(3, new Box(-1f, 1f, [2]), 2, new DncOptions { HiddenSizes = [5] }, new RandomGenerator(2));
        var observations = GradCheck.Input(new RandomGenerator(3), [2, 4, 3]);
        var (mean, logStd) = model.Gaussian(model.Actor.Forward(DncRegularisation.SharedStates(observations)));
        DncRegularisation.PairwiseKl(mean, logStd).Narrow(0, 1, 1).Narrow(1, 0, 1).Sum().Backward();   // π0's term against π1
        foreach (var (name, parameter) in model.Actor.NamedParameters())
        {
            var grad = parameter.Grad!.ToArray();
            int member = grad.Length / 2;
            Assert.That(grad.Skip(member), Has.All.EqualTo(0f), $"{name}: π1 is held fixed in π0's term");
            Assert.That(grad.Take(member).Any(g => g != 0f), Is.True, $"{name}: π0 is regularised");
        }
    }

    [Test]
    public void PenaltyIsBetaTimesTheSumOverOrderedPairsOnBOverTStatesPerTask()
    {
        var model = new MultiTaskSacModel(3, new Box(-1f, 1f, [2]), 3, new DncOptions { HiddenSizes = [5] }, new RandomGenerator(2));
        var observations = GradCheck.Input(new RandomGenerator(3), [3, 7, 3]);
        var states = DncRegularisation.SharedStates(observations);
        var (penalty, meanKl) = DncRegularisation.Penalty(model, observations, 0.5f);
        var (mean, logStd) = model.Gaussian(model.Actor.Forward(states));
        double sum = DncRegularisation.PairwiseKl(mean, logStd).Sum().Item();

        var rows = observations.ToArray();
        var expectedStates = Enumerable.Range(0, 3).SelectMany(t => rows.Skip(t * 21).Take(6)).ToArray();   // ⌊7/3⌋ = 2 rows of each task
        Assert.Multiple(() =>
        {
            Assert.That(states.ShapeArray(), Is.EqualTo(new[] { 6, 3 }));
            Assert.That(states.ToArray(), Is.EqualTo(expectedStates));
            Assert.That(sum, Is.GreaterThan(0));
            Assert.That(penalty.Item(), Is.EqualTo(0.5 * sum).Within(1e-6));
            Assert.That(meanKl, Is.EqualTo(sum / 6).Within(1e-6));
        });
    }

    [Test]
    public void MismatchedShapesAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => DncRegularisation.PairwiseKl(Tensor.Zeros(2, 3, 1), Tensor.Zeros(2, 3, 2)));
        Assert.That(e!.Message, Does.Contain("[T, N, |A|]"));
    }
}

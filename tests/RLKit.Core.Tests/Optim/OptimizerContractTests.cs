using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Optim;

/// <summary>Validation, checkpoint state and allocation behaviour shared by the optimizers.</summary>
public class OptimizerContractTests
{
    private static Tensor[] MlpShapedParameters(RandomGenerator rng)
    {
        int[][] shapes = [[64, 4], [64], [64, 64], [64], [2, 64], [2]];
        var result = new Tensor[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            var p = Tensor.AllocatePersistent(shapes[i]);
            rng.FillNormal(p.AsSpan(), 0f, 0.1f);
            p.RequiresGrad = true;
            p.Grad = Tensor.AllocatePersistent(shapes[i]);
            result[i] = p;
        }
        return result;
    }

    private static Optimizer[] AllOptimizers(Func<Tensor[]> parameters) =>
    [
        new Sgd(parameters(), 0.01f, momentum: 0.9f, nesterov: true, weightDecay: 1e-3f),
        new Adam(parameters(), weightDecay: 1e-3f, amsgrad: true),
        new AdamW(parameters()),
        new RAdam(parameters(), weightDecay: 1e-3f),
        new RmsProp(parameters(), momentum: 0.5f, centered: true, weightDecay: 1e-3f),
    ];

    private static void FillGrads(IReadOnlyList<Tensor> parameters, RandomGenerator rng)
    {
        foreach (var p in parameters) rng.FillNormal(p.Grad!.AsSpan());
    }

    [Test]
    public void SteadyStateStepAllocatesNothing()
    {
        var rng = new RandomGenerator(1);
        foreach (var optimizer in AllOptimizers(() => MlpShapedParameters(rng)))
        {
            FillGrads(optimizer.Parameters, rng);
            optimizer.Step();
            optimizer.Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) optimizer.Step();
            optimizer.ZeroGrad();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.Zero, optimizer.GetType().Name);
        }
    }

    [Test]
    public void StateDictRoundTripResumesIdentically()
    {
        var rng = new RandomGenerator(2);
        var first = AllOptimizers(() => MlpShapedParameters(new RandomGenerator(7)));
        var second = AllOptimizers(() => MlpShapedParameters(new RandomGenerator(7)));
        for (int k = 0; k < first.Length; k++)
        {
            var a = first[k];
            var b = second[k];
            for (int s = 0; s < 3; s++)
            {
                FillGrads(a.Parameters, rng);
                a.Step();
            }
            // b takes a's parameters and state, then both take the same next steps.
            for (int i = 0; i < a.Parameters.Count; i++) b.Parameters[i].CopyFrom(a.Parameters[i]);
            a.LearningRate *= 0.5f;
            var state = a.StateDict();
            Assert.That(state.ContainsKey("step"), Is.True);
            b.LoadStateDict(state);
            Assert.That(b.LearningRate, Is.EqualTo(a.LearningRate));
            Assert.That(b.StepCount(0), Is.EqualTo(3));
            for (int s = 0; s < 2; s++)
            {
                var seed = rng.NextUInt64();
                FillGrads(a.Parameters, new RandomGenerator(seed));
                FillGrads(b.Parameters, new RandomGenerator(seed));
                a.Step();
                b.Step();
            }
            for (int i = 0; i < a.Parameters.Count; i++)
                Assert.That(b.Parameters[i].ToArray(), Is.EqualTo(a.Parameters[i].ToArray()), $"{a.GetType().Name} parameter {i}");
        }
    }

    [Test]
    public void StateDictNamesStateByParameterIndex()
    {
        var p = MlpShapedParameters(new RandomGenerator(3));
        var state = new Adam(p, amsgrad: true).StateDict();
        Assert.That(state.Keys, Does.Contain("exp_avg.3").And.Contain("exp_avg_sq.5").And.Contain("max_exp_avg_sq.0").And.Contain("lr"));
        Assert.That(state["exp_avg.2"].ShapeArray(), Is.EqualTo(new[] { 64, 64 }));
    }

    [Test]
    public void LoadStateDictRejectsMismatchedStateWithoutChangingAnything()
    {
        var p = MlpShapedParameters(new RandomGenerator(4));
        var adam = new Adam(p);
        var state = new Dictionary<string, Tensor>(adam.StateDict());
        state["exp_avg.1"] = Tensor.Zeros(3);
        var ex = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(state));
        Assert.That(ex!.Message, Does.Contain("exp_avg.1").And.Contain("[3]").And.Contain("[64]"));
        state.Remove("exp_avg.1");
        ex = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(state));
        Assert.That(ex!.Message, Does.Contain("exp_avg.1"));
    }

    [Test]
    public void StepCountsBeyondFloatPrecisionSurviveTheStateDict()
    {
        var p = MlpShapedParameters(new RandomGenerator(5));
        var adam = new Adam(p);
        var state = new Dictionary<string, Tensor>(adam.StateDict());
        long big = (1L << 30) + 12345;
        var steps = Tensor.Zeros(p.Length, 2);
        steps.AsSpan()[0] = big >> 24;
        steps.AsSpan()[1] = big & ((1 << 24) - 1);
        state["step"] = steps;
        adam.LoadStateDict(state);
        Assert.That(adam.StepCount(0), Is.EqualTo(big));
        var back = adam.StateDict()["step"].ToArray();
        Assert.That(back[0] * (double)(1 << 24) + back[1], Is.EqualTo((double)big));
    }

    [Test]
    public void InvalidOptionsNameTheOptionAndItsRange()
    {
        Tensor[] P() => MlpShapedParameters(new RandomGenerator(6));
        var cases = new (Func<object> Create, string Name, string Range)[]
        {
            (() => new Adam(P(), learningRate: 0f), "LearningRate", "(0, ∞)"),
            (() => new Adam(P(), beta1: 1f), "beta1", "[0, 1)"),
            (() => new Adam(P(), beta2: -0.1f), "beta2", "[0, 1)"),
            (() => new AdamW(P(), epsilon: 0f), "epsilon", "(0, ∞)"),
            (() => new AdamW(P(), weightDecay: -1f), "weightDecay", "[0, ∞)"),
            (() => new RAdam(P(), beta2: float.NaN), "beta2", "[0, 1)"),
            (() => new RmsProp(P(), alpha: 1f), "alpha", "[0, 1)"),
            (() => new RmsProp(P(), momentum: -0.5f), "momentum", "[0, 1)"),
            (() => new Sgd(P(), learningRate: float.PositiveInfinity), "LearningRate", "(0, ∞)"),
            (() => new Sgd(P(), dampening: 2f), "dampening", "[0, 1]"),
        };
        foreach (var (create, name, range) in cases)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => create());
            Assert.That(ex!.ParamName, Is.EqualTo(name));
            Assert.That(ex.Message, Does.Contain(range));
        }
        Assert.Throws<ArgumentException>(() => new Sgd(P(), momentum: 0f, nesterov: true));
    }

    [Test]
    public void ParametersMustBeDistinctLeavesRequiringGrad()
    {
        var p = Tensor.Ones(3);
        var ex = Assert.Throws<ArgumentException>(() => new Adam([p]));
        Assert.That(ex!.Message, Does.Contain("does not require gradients"));
        p.RequiresGrad = true;
        Assert.That(Assert.Throws<ArgumentException>(() => new Adam([p * 2f]))!.Message, Does.Contain("not a leaf"));
        Assert.That(Assert.Throws<ArgumentException>(() => new Adam([p, p]))!.Message, Does.Contain("more than once"));
        Assert.Throws<ArgumentException>(() => new Adam([]));
    }
}

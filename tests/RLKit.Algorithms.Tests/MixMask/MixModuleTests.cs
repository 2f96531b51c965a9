using RLKit.Algorithms.MixMask;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.MixMask;

public class MixModuleTests
{
    private static readonly MixKind[] Kinds = Enum.GetValues<MixKind>();

    private static MixModule Build(MixKind kind, int width, int seed, Activation? activation = null, int blocks = 3) =>
        MixModules.Create(new MixOptions { Kind = kind, Blocks = blocks }, width, new RandomGenerator(seed), activation ?? Activation.LeakyReLU(), LayerInit.Paper);

    [Test]
    public void OutputsHaveTheInputShapeForEveryKind(
        [ValueSource(nameof(Kinds))] MixKind kind, [Values(1, 5)] int batch)
    {
        const int width = 7;
        var rng = new RandomGenerator(3);
        var module = Build(kind, width, seed: 1);
        var (policy, value) = module.Forward(Tensor.RandomNormal(rng, [batch, width]), Tensor.RandomNormal(rng, [batch, width]));
        Assert.That(policy.ShapeArray(), Is.EqualTo(new[] { batch, width }));
        Assert.That(value.ShapeArray(), Is.EqualTo(new[] { batch, width }));
        Assert.That(policy.ToArray().Concat(value.ToArray()).All(float.IsFinite), Is.True);
    }

    [Test]
    public void TheSameSeedGivesTheSameModule([ValueSource(nameof(Kinds))] MixKind kind)
    {
        var rng = new RandomGenerator(4);
        var xPolicy = Tensor.RandomNormal(rng, [3, 5]);
        var xValue = Tensor.RandomNormal(rng, [3, 5]);
        var (p1, v1) = Build(kind, 5, seed: 9).Forward(xPolicy, xValue);
        var (p2, v2) = Build(kind, 5, seed: 9).Forward(xPolicy, xValue);
        var (p3, _) = Build(kind, 5, seed: 10).Forward(xPolicy, xValue);
        Assert.That(p2.ToArray(), Is.EqualTo(p1.ToArray()));
        Assert.That(v2.ToArray(), Is.EqualTo(v1.ToArray()));
        Assert.That(p3.ToArray(), Is.Not.EqualTo(p1.ToArray()), "a different seed should give different weights");
    }

    [Test]
    public void EachSideDependsOnBothLatents([ValueSource(nameof(Kinds))] MixKind kind)
    {
        // The point of a mix: x̂_π reads x_v and x̂_v reads x_π.
        var rng = new RandomGenerator(5);
        var module = Build(kind, 6, seed: 2);
        var xPolicy = Tensor.RandomNormal(rng, [4, 6]);
        var xValue = Tensor.RandomNormal(rng, [4, 6]);
        var (p, v) = module.Forward(xPolicy, xValue);
        var (pOtherValue, _) = module.Forward(xPolicy, Tensor.RandomNormal(rng, [4, 6]));
        var (_, vOtherPolicy) = module.Forward(Tensor.RandomNormal(rng, [4, 6]), xValue);
        Assert.That(MaxAbsDifference(p, pOtherValue), Is.GreaterThan(1e-5f));
        Assert.That(MaxAbsDifference(v, vOtherPolicy), Is.GreaterThan(1e-5f));
    }

    [Test]
    public void EveryParameterReceivesAGradient([ValueSource(nameof(Kinds))] MixKind kind)
    {
        var rng = new RandomGenerator(6);
        var module = Build(kind, 7, seed: 3);
        var (p, v) = module.Forward(Tensor.RandomNormal(rng, [5, 7]), Tensor.RandomNormal(rng, [5, 7]));
        MixMaskTesting.AssertEveryParameterGetsGradient(module, [p, v], rng);
    }

    [Test]
    public void GradientsWithRespectToTheInputsMatchFiniteDifferences([ValueSource(nameof(Kinds))] MixKind kind)
    {
        var rng = GradCheck.TestRng();
        // Tanh keeps the optional activation smooth; the Mixer's fixed ReLUs get a small step instead.
        var module = Build(kind, 4, seed: rng.NextInt(1000), Activation.Tanh, blocks: 2);
        var inputs = new[] { GradCheck.Input(rng, [2, 4]), GradCheck.Input(rng, [2, 4]) };
        GradCheck.Check(x =>
        {
            var (p, v) = module.Forward(x[0], x[1]);
            return Tensor.Concat([p, v], 1);
        }, inputs, h: kind == MixKind.Mixer ? 1e-3 : 1e-2);
    }

    [Test]
    public void CrossAttentionOutputsAreConvexCombinationsOfTheirOwnSidesValues()
    {
        // x̂_π attends over W_v·x_π (query from x_v), x̂_v over W_v·x_v: each output feature lies between the
        // smallest and largest projected value of its own side.
        const int width = 6;
        var rng = new RandomGenerator(11);
        var module = Build(MixKind.CrossAttention, width, seed: 5);
        foreach (var (_, parameter) in module.NamedParameters()) rng.FillNormal(parameter.AsSpan(), 0f, 1f);
        var xPolicy = Tensor.RandomNormal(rng, [4, width]);
        var xValue = Tensor.RandomNormal(rng, [4, width], 3f, 1f);
        var (policy, value) = module.Forward(xPolicy, xValue);
        AssertWithinOwnValues(module, "policy", xPolicy, policy);
        AssertWithinOwnValues(module, "value", xValue, value);
    }

    private static void AssertWithinOwnValues(MixModule module, string side, Tensor ownLatent, Tensor output)
    {
        int width = ownLatent.Dim(1);
        var projection = new Linear(width, width, new RandomGenerator(0));
        projection.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = MixMaskTesting.Parameter(module, $"{side}.value.weight"),
            ["bias"] = MixMaskTesting.Parameter(module, $"{side}.value.bias"),
        });
        var values = projection.Forward(ownLatent).ToArray();
        var outputs = output.ToArray();
        for (int b = 0; b < ownLatent.Dim(0); b++)
        {
            var row = values.Skip(b * width).Take(width).ToArray();
            for (int i = 0; i < width; i++)
                Assert.That(outputs[b * width + i], Is.InRange(row.Min() - 1e-4f, row.Max() + 1e-4f), $"{side} row {b} feature {i}");
        }
    }

    [Test]
    public void ConvInEvaluationModeWorksRowByRow()
    {
        var rng = new RandomGenerator(7);
        var module = Build(MixKind.Conv, 7, seed: 4);
        // A few training passes move the running statistics away from their initial (0, 1).
        for (int i = 0; i < 3; i++) module.Forward(Tensor.RandomNormal(rng, [8, 7], 1f, 2f), Tensor.RandomNormal(rng, [8, 7], -1f, 0.5f));
        module.Eval();
        var xPolicy = Tensor.RandomNormal(rng, [3, 7]);
        var xValue = Tensor.RandomNormal(rng, [3, 7]);
        var (batchPolicy, batchValue) = module.Forward(xPolicy, xValue);
        for (int row = 0; row < 3; row++)
        {
            var (p, v) = module.Forward(xPolicy.Narrow(0, row, 1), xValue.Narrow(0, row, 1));
            Assert.That(p.ShapeArray(), Is.EqualTo(new[] { 1, 7 }));
            Assert.That(p.ToArray(), Is.EqualTo(batchPolicy.Narrow(0, row, 1).ToArray()).Within(1e-5f));
            Assert.That(v.ToArray(), Is.EqualTo(batchValue.Narrow(0, row, 1).ToArray()).Within(1e-5f));
        }
    }

    [Test]
    public void TheFactoryBuildsTheRequestedKindAndBlocks()
    {
        var rng = new RandomGenerator(8);
        Assert.That(MixModules.Create(Mix.Mlp(), 4, rng, Activation.ReLU, LayerInit.Paper), Is.TypeOf<MlpMix>());
        Assert.That(((MixerMix)MixModules.Create(Mix.Mixer(blocks: 2), 4, rng, Activation.ReLU, LayerInit.Paper)).Blocks, Is.EqualTo(2));
        Assert.That(((ConvMix)MixModules.Create(Mix.Conv(blocks: 4, kernelSize: 5), 4, rng, Activation.ReLU, LayerInit.Orthogonal)).Blocks, Is.EqualTo(4));
        Assert.That(MixModules.Create(Mix.CrossAttention(), 4, rng, Activation.ReLU, LayerInit.Paper), Is.TypeOf<CrossAttentionMix>());
        Assert.Throws<ArgumentOutOfRangeException>(() => MixModules.Create(Mix.Mlp(), 0, rng, Activation.ReLU, LayerInit.Paper));
        Assert.Throws<ArgumentOutOfRangeException>(() => MixModules.Create(Mix.Conv(kernelSize: 4), 4, rng, Activation.ReLU, LayerInit.Paper));
    }

    [Test]
    public void MismatchedLatentsAreRejected([ValueSource(nameof(Kinds))] MixKind kind)
    {
        var module = Build(kind, 4, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => module.Forward(Tensor.Zeros(2, 4), Tensor.Zeros(3, 4)));
        Assert.That(ex!.Message, Does.Contain("[batch, 4]"));
        Assert.Throws<ArgumentException>(() => module.Forward(Tensor.Zeros(2, 5), Tensor.Zeros(2, 5)));
    }

    internal static float MaxAbsDifference(Tensor a, Tensor b) => a.ToArray().Zip(b.ToArray(), (x, y) => MathF.Abs(x - y)).Max();
}

/// <summary>Shared helper of the mix/mask tests: a parameter-gradient check (finite differences use <see cref="GradCheck"/>).</summary>
internal static class MixMaskTesting
{
    /// <summary>
    /// Backward of a random-weighted sum of <paramref name="outputs"/> (a plain sum would hide the layers before a
    /// LayerNorm or BatchNorm, whose outputs sum to a constant) reaches every parameter with a non-zero gradient.
    /// </summary>
    public static void AssertEveryParameterGetsGradient(Module module, Tensor[] outputs, RandomGenerator rng)
    {
        module.ZeroGrad();
        Tensor? loss = null;
        foreach (var output in outputs)
        {
            var term = (output * Tensor.RandomNormal(rng, output.ShapeArray())).Sum();
            loss = loss is null ? term : loss + term;
        }
        loss!.Backward();
        foreach (var (name, parameter) in module.NamedParameters())
        {
            Assert.That(parameter.Grad, Is.Not.Null, $"{name} received no gradient");
            Assert.That(parameter.Grad!.ToArray().Any(g => g != 0f), Is.True, $"{name}'s gradient is all zero");
        }
    }

    /// <summary>The registered parameter called <paramref name="name"/> (full dotted name).</summary>
    public static Tensor Parameter(Module module, string name) => module.NamedParameters().Single(p => p.Key == name).Value;
}

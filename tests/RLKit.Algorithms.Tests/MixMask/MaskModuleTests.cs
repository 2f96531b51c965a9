using RLKit.Algorithms.MixMask;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.MixMask;

public class MaskModuleTests
{
    private static readonly MaskKind[] Kinds = Enum.GetValues<MaskKind>();

    private static MaskModule Build(MaskKind kind, int width, int seed, Activation? activation = null) =>
        MaskModules.Create(new MaskOptions { Kind = kind }, width, new RandomGenerator(seed), activation ?? Activation.LeakyReLU(), LayerInit.Paper);

    [Test]
    public void OutputsHaveTheInputShapeForEveryKind([ValueSource(nameof(Kinds))] MaskKind kind, [Values(1, 5)] int batch)
    {
        const int width = 7;
        var module = Build(kind, width, seed: 1);
        var (policy, value) = module.Forward(Tensor.RandomNormal(new RandomGenerator(2), [batch, width]));
        Assert.That(policy.ShapeArray(), Is.EqualTo(new[] { batch, width }));
        Assert.That(value.ShapeArray(), Is.EqualTo(new[] { batch, width }));
        Assert.That(policy.ToArray().Concat(value.ToArray()).All(float.IsFinite), Is.True);
    }

    [Test]
    public void TheSameSeedGivesTheSameModule([ValueSource(nameof(Kinds))] MaskKind kind)
    {
        var shared = Tensor.RandomNormal(new RandomGenerator(3), [3, 5]);
        var (p1, v1) = Build(kind, 5, seed: 9).Forward(shared);
        var (p2, v2) = Build(kind, 5, seed: 9).Forward(shared);
        var (p3, _) = Build(kind, 5, seed: 10).Forward(shared);
        Assert.That(p2.ToArray(), Is.EqualTo(p1.ToArray()));
        Assert.That(v2.ToArray(), Is.EqualTo(v1.ToArray()));
        Assert.That(p3.ToArray(), Is.Not.EqualTo(p1.ToArray()), "a different seed should give different weights");
    }

    [Test]
    public void TheTwoSidesDiffer([ValueSource(nameof(Kinds))] MaskKind kind)
    {
        var (p, v) = Build(kind, 6, seed: 4).Forward(Tensor.RandomNormal(new RandomGenerator(5), [4, 6]));
        Assert.That(MixModuleTests.MaxAbsDifference(p, v), Is.GreaterThan(1e-4f));
    }

    [Test]
    public void EveryParameterReceivesAGradient([ValueSource(nameof(Kinds))] MaskKind kind)
    {
        var rng = new RandomGenerator(6);
        var module = Build(kind, 7, seed: 3);
        var (p, v) = module.Forward(Tensor.RandomNormal(rng, [5, 7]));
        MixMaskTesting.AssertEveryParameterGetsGradient(module, [p, v], rng);
    }

    [Test]
    public void GradientsWithRespectToTheInputMatchFiniteDifferences([ValueSource(nameof(Kinds))] MaskKind kind)
    {
        var rng = GradCheck.TestRng();
        var module = Build(kind, 4, seed: rng.NextInt(1000), Activation.Tanh);
        GradCheck.Check(x =>
        {
            var (p, v) = module.Forward(x[0]);
            return Tensor.Concat([p, v], 1);
        }, [GradCheck.Input(rng, [2, 4])]);
    }

    [Test]
    public void TheSharedAttentionValueWeightsAreTheInvertedRenormalisedPolicyWeights()
    {
        const int width = 5;
        var rng = GradCheck.TestRng();
        var module = (SharedAttentionMask)Build(MaskKind.SharedAttention, width, seed: rng.NextInt(1000));
        // Larger weights than the paper init make the attention peaked, so 1 − a is far from uniform.
        foreach (var (_, parameter) in module.NamedParameters())
            rng.FillNormal(parameter.AsSpan(), 0f, 1f);
        var shared = Tensor.RandomNormal(rng, [3, width]);
        var (a, aValue) = module.AttentionWeights(shared);
        var policyWeights = a.ToArray();
        var valueWeights = aValue.ToArray();
        for (int i = 0; i < policyWeights.Length; i++)
            Assert.That(valueWeights[i], Is.EqualTo((1f - policyWeights[i]) / (width - 1)).Within(1e-6f));
        for (int row = 0; row < policyWeights.Length / width; row++)
        {
            Assert.That(policyWeights.Skip(row * width).Take(width).Sum(), Is.EqualTo(1f).Within(1e-5f));
            Assert.That(valueWeights.Skip(row * width).Take(width).Sum(), Is.EqualTo(1f).Within(1e-5f));
        }

        // The value side reads the same projected values u: Σ_j (1 − a_ij)·u_j/(H − 1) = (Σ_j u_j − x_π,i)/(H − 1).
        var (policy, value) = module.Forward(shared);
        var u = new Linear(width, width, new RandomGenerator(0));
        u.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = MixMaskTesting.Parameter(module, "attention.value.weight"),
            ["bias"] = MixMaskTesting.Parameter(module, "attention.value.bias"),
        });
        var values = u.Forward(shared).ToArray();
        var p = policy.ToArray();
        var v = value.ToArray();
        for (int b = 0; b < 3; b++)
        {
            float total = values.Skip(b * width).Take(width).Sum();
            for (int i = 0; i < width; i++)
                Assert.That(v[b * width + i], Is.EqualTo((total - p[b * width + i]) / (width - 1)).Within(1e-4f));
        }
    }

    [Test]
    public void TheSharedAttentionNeedsTwoFeatures()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Build(MaskKind.SharedAttention, 1, seed: 1));
        Assert.DoesNotThrow(() => Build(MaskKind.SelfAttention, 1, seed: 1).Forward(Tensor.Ones(2, 1)));
    }

    [Test]
    public void TheLatentQueryIsOneParameterReadByBothSides()
    {
        var module = (LatentQueryMask)Build(MaskKind.LatentQuery, 6, seed: 2);
        Assert.That(module.NamedParameters().Count(p => p.Key.Contains("latent_query")), Is.EqualTo(1));
        Assert.That(module.LatentQuery.ToArray(), Is.All.EqualTo(1f), "initialised to ones as in the reference code");

        var rng = new RandomGenerator(3);
        var shared = Tensor.RandomNormal(rng, [4, 6]);
        var (p, v) = module.Forward(shared);
        // Each side alone sends gradient into the one latent query.
        module.ZeroGrad();
        (p * Tensor.RandomNormal(rng, [4, 6])).Sum().Backward();
        Assert.That(module.LatentQuery.Grad!.ToArray().Any(g => g != 0f), Is.True, "policy side");
        module.ZeroGrad();
        (module.Forward(shared).Value * Tensor.RandomNormal(rng, [4, 6])).Sum().Backward();
        Assert.That(module.LatentQuery.Grad!.ToArray().Any(g => g != 0f), Is.True, "value side");

        rng.FillNormal(module.LatentQuery.AsSpan(), 0f, 3f);
        var (p2, v2) = module.Forward(shared);
        Assert.That(MixModuleTests.MaxAbsDifference(p, p2), Is.GreaterThan(1e-5f));
        Assert.That(MixModuleTests.MaxAbsDifference(v, v2), Is.GreaterThan(1e-5f));
    }

    [Test]
    public void TheFactoryBuildsTheRequestedKind()
    {
        var rng = new RandomGenerator(8);
        Assert.That(MaskModules.Create(Mask.Mlp(), 4, rng, Activation.ReLU, LayerInit.Paper), Is.TypeOf<MlpMask>());
        Assert.That(MaskModules.Create(Mask.SelfAttention(), 4, rng, Activation.ReLU, LayerInit.Paper), Is.TypeOf<SelfAttentionMask>());
        Assert.That(MaskModules.Create(Mask.LatentQuery(), 4, rng, Activation.ReLU, LayerInit.Orthogonal), Is.TypeOf<LatentQueryMask>());
        Assert.That(MaskModules.Create(Mask.SharedAttention(), 4, rng, Activation.ReLU, LayerInit.Paper), Is.TypeOf<SharedAttentionMask>());
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskModules.Create(Mask.Mlp(), -1, rng, Activation.ReLU, LayerInit.Paper));
        var ex = Assert.Throws<ArgumentException>(() => MaskModules.Create(Mask.Mlp(), 4, rng, Activation.ReLU, LayerInit.Paper).Forward(Tensor.Zeros(2, 3)));
        Assert.That(ex!.Message, Does.Contain("[batch, 4]"));
    }
}

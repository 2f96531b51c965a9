using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.MixMask;

/// <summary>
/// The mix-and-mask network against the reference code's MLPMixMask_Network (domhuh/mixmaskac, mixmask.py): a LayerNorm
/// after each side's mask and after each side's mixer, none elsewhere.
/// </summary>
public class MixAndMaskLayoutTests
{
    private static SharedFeatureNetwork Network(int observationSize, int width, int actions, bool layerNorm) =>
        new(observationSize, (latent, rng) => PolicyHeads.OnPolicy(new Discrete(actions), latent, rng), new RandomGenerator(5),
            new SharedFeatureOptions { HiddenSize = width, Mix = Mix.Mlp(), Mask = Mask.Mlp(), MixAndMaskLayerNorm = layerNorm });

    // The reference network for CartPole (4 observations, 2 actions, width 128): each RLKit parameter, the reference
    // module it stands for, and that module's PyTorch shape ([out, in] for Linear weights).
    private static readonly (string RLKit, string Reference, int[] Shape)[] ReferenceLayout =
    [
        ("backbone.weight", "backbone.weight", [128, 4]),
        ("backbone.bias", "backbone.bias", [128]),
        ("mask.policy.weight", "mask.0.0.weight", [128, 128]),
        ("mask.policy.bias", "mask.0.0.bias", [128]),
        ("mask_policy_norm.weight", "mask.0.2.weight (LayerNorm)", [128]),
        ("mask_policy_norm.bias", "mask.0.2.bias (LayerNorm)", [128]),
        ("mask.value.weight", "mask.1.0.weight", [128, 128]),
        ("mask.value.bias", "mask.1.0.bias", [128]),
        ("mask_value_norm.weight", "mask.1.2.weight (LayerNorm)", [128]),
        ("mask_value_norm.bias", "mask.1.2.bias (LayerNorm)", [128]),
        ("actor_bridge.weight", "actor.2.weight", [128, 128]),
        ("actor_bridge.bias", "actor.2.bias", [128]),
        ("critic_bridge.weight", "critic.2.weight", [128, 128]),
        ("critic_bridge.bias", "critic.2.bias", [128]),
        ("mix.policy.weight", "mixer.0.0.weight", [128, 256]),
        ("mix.policy.bias", "mixer.0.0.bias", [128]),
        ("mix_policy_norm.weight", "mixer.0.2.weight (LayerNorm)", [128]),
        ("mix_policy_norm.bias", "mixer.0.2.bias (LayerNorm)", [128]),
        ("mix.value.weight", "mixer.1.0.weight", [128, 256]),
        ("mix.value.bias", "mixer.1.0.bias", [128]),
        ("mix_value_norm.weight", "mixer.1.2.weight (LayerNorm)", [128]),
        ("mix_value_norm.bias", "mixer.1.2.bias (LayerNorm)", [128]),
        ("policy.logits.weight", "actor.4.0.weight", [2, 128]),
        ("policy.logits.bias", "actor.4.0.bias", [2]),
        ("value.weight", "critic.4.weight", [1, 128]),
        ("value.bias", "critic.4.bias", [1]),
    ];

    [Test]
    public void ParametersMatchTheReferenceLayoutOneForOne()
    {
        var network = Network(observationSize: 4, width: 128, actions: 2, layerNorm: true);
        var actual = network.NamedParameters().ToDictionary(p => p.Key, p => p.Value.ShapeArray());
        Assert.That(actual.Keys, Is.EquivalentTo(ReferenceLayout.Select(p => p.RLKit)), "the network has exactly the reference's parameters");
        foreach (var (name, reference, shape) in ReferenceLayout)
            Assert.That(actual[name], Is.EqualTo(shape), $"{name} stands for the reference's {reference}");
        // 4·128+128 + 2·(128·128+128+2·128) + 2·(128·128+128) + 2·(256·128+128+2·128) + 128·2+2 + 128+1
        Assert.That(actual.Values.Sum(s => s.Aggregate(1, (a, b) => a * b)), Is.EqualTo(133_891));
    }

    [Test]
    public void TheLayerNormsStartAtOneAndZeroAsTheReferenceInitialisationLeavesThem()
    {
        // The reference's init_weights touches only nn.Linear: LayerNorm keeps PyTorch's weight 1 and bias 0.
        var network = Network(observationSize: 4, width: 128, actions: 2, layerNorm: true);
        foreach (var (name, tensor) in network.NamedParameters().Where(p => p.Key.Contains("_norm.", StringComparison.Ordinal)))
            Assert.That(tensor.ToArray(), Has.All.EqualTo(name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f), name);
    }

    [Test]
    public void WithoutTheOptionTheNetworkHasNoLayerNorm()
    {
        var network = Network(observationSize: 4, width: 128, actions: 2, layerNorm: false);
        Assert.That(network.NamedParameters().Select(p => p.Key), Has.None.Contains("_norm."));
        Assert.That(network.NamedParameters().Count(), Is.EqualTo(ReferenceLayout.Length - 8));
    }

    [Test]
    public void OnlyTheMixAndMaskNetworkIsNormalised()
    {
        // In the reference code the base mix (MLPMix_Network) and base mask (MLPMask_Network) have no LayerNorm.
        foreach (var options in new[] { new SharedFeatureOptions { Mix = Mix.Mlp() }, new SharedFeatureOptions { Mask = Mask.Mlp() } })
        {
            var network = new SharedFeatureNetwork(4, (latent, rng) => PolicyHeads.OnPolicy(new Discrete(2), latent, rng), new RandomGenerator(1), options);
            Assert.That(network.NamedParameters().Select(p => p.Key), Has.None.Contains("_norm."), options.ToString());
        }
    }

    // Width 2, one observation x = 1, every linear layer set by hand (LayerNorms at their initial 1 and 0):
    //   backbone  W = [[1], [2]]                        s = lrelu([1, 2]) = [1, 2]
    //   mask π    W = I          → [1, 2]  → LN → [−c, c]      mask v  W = [[0, 1], [1, 0]] → [2, 1] → LN → [c, −c]
    //             where LN([a, b]) = ±d/√(d² + 1e-5), d = |a − b|/2, so c = 0.5/√(0.25 + 1e-5)
    //   bridge π  W = I → lrelu([−c, c]) = [−0.01c, c]          bridge v  W = I → lrelu([c, −c]) = [c, −0.01c]
    //   mix π     reads [x_π, x_v] = [−0.01c, c, c, −0.01c]; W picks entries 1 and 3 → [−0.01c, c] → lrelu → [−1e-4·c, c] → LN → [−e, e]
    //   mix v     W picks entries 2 and 4 → [c, −0.01c] → lrelu → [c, −1e-4·c] → LN → [e, −e],  e = d′/√(d′² + 1e-5), d′ = (1 + 1e-4)·c/2
    //   value     W = [[2, 3]], b = 0.5 → 2e − 3e + 0.5 = 0.5 − e
    //   policy    W = I, b = 0 → logits [−e, e] → log π(1) = −log(1 + exp(−2e))
    [Test]
    public void AKnownInputGivesTheForwardValueComputedByHand()
    {
        var network = Network(observationSize: 1, width: 2, actions: 2, layerNorm: true);
        var parameters = network.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        void Set(string name, params float[] values)
        {
            Assert.That(parameters[name].Size, Is.EqualTo(values.Length), name);
            values.CopyTo(parameters[name].AsSpan());
        }
        Set("backbone.weight", 1, 2); Set("backbone.bias", 0, 0);
        Set("mask.policy.weight", 1, 0, 0, 1); Set("mask.policy.bias", 0, 0);
        Set("mask.value.weight", 0, 1, 1, 0); Set("mask.value.bias", 0, 0);
        Set("actor_bridge.weight", 1, 0, 0, 1); Set("actor_bridge.bias", 0, 0);
        Set("critic_bridge.weight", 1, 0, 0, 1); Set("critic_bridge.bias", 0, 0);
        Set("mix.policy.weight", 1, 0, 0, 0, 0, 0, 1, 0); Set("mix.policy.bias", 0, 0);
        Set("mix.value.weight", 0, 1, 0, 0, 0, 0, 0, 1); Set("mix.value.bias", 0, 0);
        Set("policy.logits.weight", 1, 0, 0, 1); Set("policy.logits.bias", 0, 0);
        Set("value.weight", 2, 3); Set("value.bias", 0.5f);

        double c = 0.5 / Math.Sqrt(0.25 + 1e-5);
        double half = (1 + 1e-4) * c / 2;
        double e = half / Math.Sqrt(half * half + 1e-5);
        network.Eval();
        var (policy, value) = network.Forward(Tensor.FromArray([1f]).Reshape(1, 1));
        Assert.That(value.Item(), Is.EqualTo(0.5 - e).Within(1e-5));
        Assert.That(policy.LogProb([1]).Item(), Is.EqualTo(-Math.Log(1 + Math.Exp(-2 * e))).Within(1e-5));

        // The same weights without the LayerNorms: mask π = bridge π = [1, 2], mask v = bridge v = [2, 1], mix v picks
        // [x_π,2, x_v,2] = [2, 1], value = 2·2 + 3·1 + 0.5.
        var plain = Network(observationSize: 1, width: 2, actions: 2, layerNorm: false);
        foreach (var (name, tensor) in plain.NamedParameters()) tensor.CopyFrom(parameters[name]);
        plain.Eval();
        Assert.That(plain.Forward(Tensor.FromArray([1f]).Reshape(1, 1)).Value.Item(), Is.EqualTo(7.5).Within(1e-5));
    }

    [Test]
    public void TheDepthMatchedBaselineHasTheMixNetworksLayersAndParametersButNoCoupling()
    {
        SharedFeatureNetwork Build(SharedFeatureOptions options) =>
            new(4, (latent, rng) => PolicyHeads.OnPolicy(new Discrete(2), latent, rng), new RandomGenerator(9), options);
        var mix = Build(new SharedFeatureOptions { Mix = Mix.Mlp() });
        var depth = Build(new SharedFeatureOptions { DepthMatched = true });
        var separated = Build(new SharedFeatureOptions());
        int Count(SharedFeatureNetwork n) => n.Parameters().Sum(p => p.Size);
        Assert.That(Count(depth), Is.EqualTo(Count(mix)));
        Assert.That(Count(depth) - Count(separated), Is.EqualTo(2 * (256 * 128 + 128)), "one Linear(2H, H) per side");
        Assert.That(depth.NamedParameters().Select(p => p.Value.ShapeArray()).OrderBy(s => string.Join(",", s)).Select(s => string.Join(",", s)),
                    Is.EqualTo(mix.NamedParameters().Select(p => p.Value.ShapeArray()).OrderBy(s => string.Join(",", s)).Select(s => string.Join(",", s))),
                    "the same layer shapes as the mix network");

        // No coupling: changing the critic's parameters leaves the policy unchanged, and the actor's the value.
        var observations = Tensor.RandomNormal(new RandomGenerator(2), [5, 4]);
        var (policyBefore, valueBefore) = depth.Forward(observations);
        float[] logProbBefore = policyBefore.LogProb([0, 1, 0, 1, 1]).ToArray(), values = valueBefore.ToArray();
        foreach (var (name, tensor) in depth.NamedParameters().Where(p => p.Key.StartsWith("critic", StringComparison.Ordinal)))
            tensor.AsSpan().Fill(0.3f);
        var (policyAfter, valueAfter) = depth.Forward(observations);
        Assert.That(policyAfter.LogProb([0, 1, 0, 1, 1]).ToArray(), Is.EqualTo(logProbBefore), "the policy reads nothing of the critic");
        Assert.That(valueAfter.ToArray(), Is.Not.EqualTo(values), "the critic's parameters do reach the value");
    }

    [Test]
    public void TheDepthMatchedBaselineRejectsAMechanismNamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => new SharedFeatureOptions { DepthMatched = true, Mix = Mix.Mlp() }.Validate());
        Assert.That(error!.ParamName, Is.EqualTo("DepthMatched"));
    }
}

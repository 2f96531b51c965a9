using RLKit.Algorithms.MixMask;
using RLKit.Algorithms.Ppo;

namespace RLKit.Onnx.Tests;

/// <summary>
/// Mix &amp; Mask networks (seed 000) exported and run in ONNX Runtime: every mix, every mask, the skip connections, the
/// mix-and-mask layout, the baselines, auxiliary and Gaussian mechanisms; outputs within 1e-5 of RLKit's at batch 1 and 1000.
/// </summary>
public sealed class MixMaskExportTests
{
    private static IEnumerable<TestCaseData> Networks()
    {
        yield return Case("separated baseline", e => e);
        yield return Case("shared backbone", e => e.WithSharedBackbone());
        yield return Case("mix MLP", e => e.WithMix(Mix.Mlp()));
        yield return Case("mix MLP-Mixer, dense skip", e => e.WithMix(Mix.Mixer(blocks: 2, skip: SkipConnection.Dense)));
        yield return Case("mix Conv (batch norm)", e => e.WithMix(Mix.Conv(blocks: 2, kernelSize: 3)));
        yield return Case("mix cross-attention, residual", e => e.WithMix(Mix.CrossAttention(skip: SkipConnection.Residual)));
        yield return Case("mix Gaussian, state-dependent", e => e.WithMix(Mix.Mlp(distribution: FeatureDistribution.DiagonalGaussian, stateDependentCovariance: true)));
        yield return Case("mix auxiliary", e => e.WithMix(Mix.Mlp(auxiliary: true)));
        yield return Case("mask MLP, dense skip", e => e.WithMask(Mask.Mlp(skip: SkipConnection.Dense)));
        yield return Case("mask self-attention", e => e.WithMask(Mask.SelfAttention()));
        yield return Case("mask latent query, residual", e => e.WithMask(Mask.LatentQuery(skip: SkipConnection.Residual)));
        yield return Case("mask shared attention", e => e.WithMask(Mask.SharedAttention()));
        yield return Case("mask Cholesky Gaussian", e => e.WithMask(Mask.Mlp(distribution: FeatureDistribution.CholeskyGaussian)));
        yield return Case("mix and mask", e => e.WithMix(Mix.Mlp()).WithMask(Mask.Mlp()));
        yield return Case("mix and mask without LayerNorms", e => ((ISharedFeatureEstimator<PpoEstimator>)e).WithSharedFeatures(new SharedFeatureOptions { HiddenSize = 8, Mix = Mix.Mlp(), Mask = Mask.Mlp(), MixAndMaskLayerNorm = false }));
        yield return Case("depth-matched separated", e => ((ISharedFeatureEstimator<PpoEstimator>)e).WithSharedFeatures(new SharedFeatureOptions { HiddenSize = 8, DepthMatched = true }));
    }

    private static TestCaseData Case(string name, Func<PpoEstimator, PpoEstimator> configure) =>
        new TestCaseData(configure).SetArgDisplayNames(name);

    [TestCaseSource(nameof(Networks))]
    public void MatchesRLKit(Func<PpoEstimator, PpoEstimator> configure)
    {
        var agent = TinyAgents.MixMask(configure);
        Assert.That(agent.Network, Is.TypeOf<SharedFeatureNetwork>());
        AgentExportTests.CheckOnPolicy(agent);
    }
}

using RLKit.Algorithms.MixMask;
using RLKit.Envs;
using RLKit.Hosting;

namespace RLKit.Snippets.Readme;

internal static class MixMask
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var estimator = rl.Agents.A2c(MixMaskA2c.PaperOptions(seed: 1) with { LearningRate = 1e-3f })   // see below for the rate
            .WithMix(Mix.CrossAttention(), Similarity.Cosine, temperature: 1e-4f, decay: 0.5f)
            .WithMask(Mask.Mlp())
            .WithScalarization()
            .WithPcGrad();
        // end snippet
    }
}

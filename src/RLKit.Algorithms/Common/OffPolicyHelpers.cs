using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>Pieces every off-policy actor-critic loop here shares.</summary>
internal static class OffPolicyHelpers
{
    /// <summary>target ← (1 − τ)·target + τ·source over the two modules' parameters (Polyak averaging).</summary>
    public static void SoftUpdate(Module target, Module source, float tau) =>
        Polyak.SoftUpdate(target.Parameters().ToList(), source.Parameters().ToList(), tau);

    /// <summary>
    /// The entropy-temperature loss −α·(log π + H̄) averaged over the batch, with log π treated as a constant
    /// (Haarnoja et al. 2018b, eq. 18). When the policy's entropy −log π is below the target H̄, the loss's gradient
    /// with respect to log α is negative, so a descent step raises α.
    /// </summary>
    public static Tensor TemperatureLoss(Tensor logAlpha, Tensor logProbs, float targetEntropy) =>
        (logAlpha.Exp() * (logProbs.Detach() + targetEntropy)).Mean() * -1f;

    /// <summary>A fresh trainable log α = <paramref name="initialLogAlpha"/>, shape [1].</summary>
    public static Tensor NewLogAlpha(float initialLogAlpha)
    {
        var logAlpha = Tensor.FromArray([initialLogAlpha], 1);
        logAlpha.RequiresGrad = true;
        return logAlpha;
    }
}

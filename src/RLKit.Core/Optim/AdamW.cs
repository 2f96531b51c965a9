using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) with PyTorch's <c>torch.optim.AdamW</c> semantics: the weights are
/// first shrunk by θ ← θ(1 − γλ) (decoupled weight decay, default λ = 1e-2), then updated by Adam
/// without any L2 term in the gradient.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Leaf tensors that require gradients.</param>
    /// <param name="learningRate">γ, in (0, ∞).</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, in (0, ∞).</param>
    /// <param name="weightDecay">Decoupled decay λ, in [0, ∞); PyTorch's default 1e-2.</param>
    /// <param name="amsgrad">Use the running maximum of v (AMSGrad).</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range.</exception>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                 float epsilon = 1e-8f, float weightDecay = 1e-2f, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad)
    {
    }

    private protected override bool DecoupledWeightDecay => true;
}

using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay,
/// with PyTorch's <c>torch.optim.SGD</c> semantics:
/// g ← g + λθ; b ← g on the first step, else b ← μb + (1 − τ)g; g ← g + μb (Nesterov) or g ← b; θ ← θ − γg.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[]? _momentumBuffers;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Leaf tensors that require gradients.</param>
    /// <param name="learningRate">γ, in (0, ∞); PyTorch's default 1e-3.</param>
    /// <param name="momentum">μ, in [0, 1).</param>
    /// <param name="dampening">τ, in [0, 1].</param>
    /// <param name="weightDecay">L2 coefficient λ, in [0, ∞).</param>
    /// <param name="nesterov">Nesterov momentum; needs momentum &gt; 0 and dampening = 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range.</exception>
    /// <exception cref="ArgumentException">If Nesterov is requested without momentum or with dampening.</exception>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float momentum = 0f, float dampening = 0f,
               float weightDecay = 0f, bool nesterov = false)
        : base(parameters, learningRate)
    {
        RequireUnitInterval(momentum, nameof(momentum), "SGD momentum");
        if (!(dampening >= 0 && dampening <= 1))
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "The SGD dampening must lie in [0, 1].");
        RequireNonNegative(weightDecay, nameof(weightDecay), "SGD weight decay");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"SGD: Nesterov momentum needs momentum > 0 and dampening = 0 (got momentum {momentum}, dampening {dampening}).", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        if (momentum != 0f) _momentumBuffers = AddState("momentum_buffer");
    }

    /// <summary>Momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>Dampening τ of the gradient added to the momentum buffer.</summary>
    public float Dampening { get; }

    /// <summary>L2 weight decay λ (added to the gradient).</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    private protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, long step)
    {
        int n = parameter.Length;
        var g = WithL2(gradient, parameter, WeightDecay, ScratchA.AsSpan(0, n));
        if (_momentumBuffers is not null)
        {
            var buffer = _momentumBuffers[index].AsSpan();
            if (step == 1) g.CopyTo(buffer);
            else
            {
                TensorPrimitives.Multiply(buffer, Momentum, buffer);
                TensorPrimitives.FusedMultiplyAdd(g, 1f - Dampening, buffer, buffer);
            }
            if (Nesterov)
            {
                var look = ScratchB.AsSpan(0, n);
                TensorPrimitives.FusedMultiplyAdd(buffer, Momentum, g, look);
                g = look;
            }
            else g = buffer;
        }
        TensorPrimitives.FusedMultiplyAdd(g, -LearningRate, parameter, parameter);
    }
}

using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>
/// RMSprop with PyTorch's <c>torch.optim.RMSprop</c> semantics:
/// g ← g + λθ; s ← αs + (1 − α)g²; centered: ḡ ← αḡ + (1 − α)g and d = √(s − ḡ²) + ε, else d = √s + ε
/// (ε added after the square root); with momentum b ← μb + g/d and θ ← θ − γb, else θ ← θ − γg/d.
/// </summary>
/// <remarks>PyTorch's defaults (γ = 1e-2, α = 0.99, ε = 1e-8) differ from TensorFlow's and SB3's (ε = 1e-5 inside the root).</remarks>
public sealed class RmsProp : Optimizer
{
    private readonly Tensor[] _squareAvg;
    private readonly Tensor[]? _gradAvg;
    private readonly Tensor[]? _momentumBuffers;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Leaf tensors that require gradients.</param>
    /// <param name="learningRate">γ, in (0, ∞).</param>
    /// <param name="alpha">Smoothing constant α, in [0, 1).</param>
    /// <param name="epsilon">ε, in (0, ∞).</param>
    /// <param name="weightDecay">L2 coefficient λ, in [0, ∞).</param>
    /// <param name="momentum">μ, in [0, 1).</param>
    /// <param name="centered">Normalise by the estimated variance (s − ḡ²) instead of the raw second moment.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range.</exception>
    public RmsProp(IEnumerable<Tensor> parameters, float learningRate = 1e-2f, float alpha = 0.99f, float epsilon = 1e-8f,
                   float weightDecay = 0f, float momentum = 0f, bool centered = false)
        : base(parameters, learningRate)
    {
        RequireUnitInterval(alpha, nameof(alpha), "RMSprop alpha");
        RequirePositive(epsilon, nameof(epsilon), "RMSprop epsilon");
        RequireNonNegative(weightDecay, nameof(weightDecay), "RMSprop weight decay");
        RequireUnitInterval(momentum, nameof(momentum), "RMSprop momentum");
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _squareAvg = AddState("square_avg");
        if (centered) _gradAvg = AddState("grad_avg");
        if (momentum > 0) _momentumBuffers = AddState("momentum_buffer");
    }

    /// <summary>Smoothing constant α of the squared-gradient average.</summary>
    public float Alpha { get; }

    /// <summary>ε added after the square root.</summary>
    public float Epsilon { get; }

    /// <summary>L2 weight decay λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Momentum μ (0 for none).</summary>
    public float Momentum { get; }

    /// <summary>Whether the centered variant is used.</summary>
    public bool Centered { get; }

    private protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, long step)
    {
        int n = parameter.Length;
        var g = WithL2(gradient, parameter, WeightDecay, ScratchA.AsSpan(0, n));
        var s = _squareAvg[index].AsSpan();
        var denominator = ScratchB.AsSpan(0, n);
        TensorPrimitives.Multiply(g, 1f - Alpha, denominator);
        TensorPrimitives.Multiply(s, Alpha, s);
        TensorPrimitives.FusedMultiplyAdd(denominator, g, s, s);

        if (_gradAvg is not null)
        {
            var mean = _gradAvg[index].AsSpan();
            TensorPrimitives.Lerp(mean, g, 1f - Alpha, mean);
            TensorPrimitives.Multiply(mean, mean, denominator);
            TensorPrimitives.Subtract(s, denominator, denominator);
            TensorPrimitives.Sqrt(denominator, denominator);
        }
        else TensorPrimitives.Sqrt(s, denominator);
        TensorPrimitives.Add(denominator, Epsilon, denominator);

        if (_momentumBuffers is not null)
        {
            var buffer = _momentumBuffers[index].AsSpan();
            TensorPrimitives.Divide(g, denominator, denominator);
            TensorPrimitives.MultiplyAdd(buffer, Momentum, denominator, buffer);
            TensorPrimitives.FusedMultiplyAdd(buffer, -LearningRate, parameter, parameter);
        }
        else
        {
            TensorPrimitives.Divide(g, denominator, denominator);
            TensorPrimitives.FusedMultiplyAdd(denominator, -LearningRate, parameter, parameter);
        }
    }
}

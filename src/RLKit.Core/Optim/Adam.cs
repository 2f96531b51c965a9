using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>
/// Adam with PyTorch's <c>torch.optim.Adam</c> semantics (optional L2 weight decay added to the gradient,
/// optional AMSGrad):
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − γ·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε),
/// with ε added after the square root of the bias-corrected second moment.
/// </summary>
public class Adam : Optimizer
{
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;
    private readonly Tensor[]? _maxExpAvgSq;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Leaf tensors that require gradients.</param>
    /// <param name="learningRate">γ, in (0, ∞).</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, in (0, ∞).</param>
    /// <param name="weightDecay">L2 coefficient λ (g ← g + λθ), in [0, ∞).</param>
    /// <param name="amsgrad">Use the running maximum of v (AMSGrad).</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range.</exception>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                float epsilon = 1e-8f, float weightDecay = 0f, bool amsgrad = false)
        : base(parameters, learningRate)
    {
        RequireUnitInterval(beta1, nameof(beta1), $"{GetType().Name} beta1");
        RequireUnitInterval(beta2, nameof(beta2), $"{GetType().Name} beta2");
        RequirePositive(epsilon, nameof(epsilon), $"{GetType().Name} epsilon");
        RequireNonNegative(weightDecay, nameof(weightDecay), $"{GetType().Name} weight decay");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Amsgrad = amsgrad;
        _expAvg = AddState("exp_avg");
        _expAvgSq = AddState("exp_avg_sq");
        if (amsgrad) _maxExpAvgSq = AddState("max_exp_avg_sq");
    }

    /// <summary>Decay β₁ of the first-moment average.</summary>
    public float Beta1 { get; }

    /// <summary>Decay β₂ of the second-moment average.</summary>
    public float Beta2 { get; }

    /// <summary>ε added to the denominator after the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Weight decay λ: L2 added to the gradient for <see cref="Adam"/>, decoupled for <see cref="AdamW"/>.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether the AMSGrad variant is used.</summary>
    public bool Amsgrad { get; }

    /// <summary>True when weight decay is decoupled from the gradient (AdamW).</summary>
    private protected virtual bool DecoupledWeightDecay => false;

    [MethodImpl(HotPath.Optimized)]
    private protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, long step)
    {
        int n = parameter.Length;
        ReadOnlySpan<float> g;
        if (DecoupledWeightDecay)
        {
            if (WeightDecay != 0f) TensorPrimitives.Multiply(parameter, 1f - LearningRate * WeightDecay, parameter);
            g = gradient;
        }
        else g = WithL2(gradient, parameter, WeightDecay, ScratchA.AsSpan(0, n));

        var m = _expAvg[index].AsSpan();
        var v = _expAvgSq[index].AsSpan();
        TensorPrimitives.Lerp(m, g, 1f - Beta1, m);
        var temp = ScratchB.AsSpan(0, n);
        TensorPrimitives.Multiply(g, 1f - Beta2, temp);
        TensorPrimitives.Multiply(v, Beta2, v);
        TensorPrimitives.FusedMultiplyAdd(temp, g, v, v);

        ReadOnlySpan<float> second = v;
        if (_maxExpAvgSq is not null)
        {
            var max = _maxExpAvgSq[index].AsSpan();
            TensorPrimitives.Max(max, v, max);
            second = max;
        }

        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));

        // γ·m̂/(√v̂ + ε) = (γ·c/(1 − β₁ᵗ))·m/(√v + ε·c) with c = √(1 − β₂ᵗ): the same value in two fewer passes.
        TensorPrimitives.Sqrt(second, temp);
        TensorPrimitives.Add(temp, (float)(Epsilon * correction2Sqrt), temp);
        TensorPrimitives.Divide(m, temp, temp);
        TensorPrimitives.FusedMultiplyAdd(temp, (float)(-LearningRate * correction2Sqrt / biasCorrection1), parameter, parameter);
    }
}

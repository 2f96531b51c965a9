using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>
/// Rectified Adam (Liu et al. 2020) with PyTorch's <c>torch.optim.RAdam</c> semantics. With
/// ρ∞ = 2/(1 − β₂) − 1 and ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ): when ρₜ &gt; 5 the step is
/// θ ← θ − γ·m̂·r·√(1 − β₂ᵗ)/(√v + ε) with r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)); otherwise the
/// un-adapted momentum step θ ← θ − γ·m̂. Note that, as in PyTorch, ε is added to √v before the bias
/// correction here (unlike <see cref="Adam"/>).
/// </summary>
public sealed class RAdam : Optimizer
{
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">Leaf tensors that require gradients.</param>
    /// <param name="learningRate">γ, in (0, ∞).</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, in (0, ∞).</param>
    /// <param name="weightDecay">λ, in [0, ∞): L2 added to the gradient, or decoupled when <paramref name="decoupledWeightDecay"/>.</param>
    /// <param name="decoupledWeightDecay">Shrink the weights by (1 − γλ) instead of adding λθ to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range.</exception>
    public RAdam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
                 float epsilon = 1e-8f, float weightDecay = 0f, bool decoupledWeightDecay = false)
        : base(parameters, learningRate)
    {
        RequireUnitInterval(beta1, nameof(beta1), "RAdam beta1");
        RequireUnitInterval(beta2, nameof(beta2), "RAdam beta2");
        RequirePositive(epsilon, nameof(epsilon), "RAdam epsilon");
        RequireNonNegative(weightDecay, nameof(weightDecay), "RAdam weight decay");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
        _expAvg = AddState("exp_avg");
        _expAvgSq = AddState("exp_avg_sq");
    }

    /// <summary>Decay β₁ of the first-moment average.</summary>
    public float Beta1 { get; }

    /// <summary>Decay β₂ of the second-moment average.</summary>
    public float Beta2 { get; }

    /// <summary>ε added to √v.</summary>
    public float Epsilon { get; }

    /// <summary>Weight decay λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether the weight decay is decoupled (AdamW style).</summary>
    public bool DecoupledWeightDecay { get; }

    private protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, long step)
    {
        int n = parameter.Length;
        ReadOnlySpan<float> g = gradient;
        if (DecoupledWeightDecay)
        {
            if (WeightDecay != 0f) TensorPrimitives.Multiply(parameter, 1f - LearningRate * WeightDecay, parameter);
        }
        else g = WithL2(gradient, parameter, WeightDecay, ScratchA.AsSpan(0, n));

        var m = _expAvg[index].AsSpan();
        var v = _expAvgSq[index].AsSpan();
        TensorPrimitives.Lerp(m, g, 1f - Beta1, m);
        var temp = ScratchB.AsSpan(0, n);
        TensorPrimitives.Multiply(g, 1f - Beta2, temp);
        TensorPrimitives.Multiply(v, Beta2, v);
        TensorPrimitives.FusedMultiplyAdd(temp, g, v, v);

        double beta2Power = Math.Pow(Beta2, step);
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - beta2Power;
        double rhoInf = 2 / (1 - (double)Beta2) - 1;
        double rhoT = rhoInf - 2 * step * beta2Power / biasCorrection2;
        double stepSize = LearningRate / biasCorrection1;

        if (rhoT > 5)
        {
            double rect = Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            float scale = (float)(stepSize * rect * Math.Sqrt(biasCorrection2));
            TensorPrimitives.Sqrt(v, temp);
            TensorPrimitives.Add(temp, Epsilon, temp);
            TensorPrimitives.Divide(m, temp, temp);
            TensorPrimitives.FusedMultiplyAdd(temp, -scale, parameter, parameter);
        }
        else
        {
            TensorPrimitives.FusedMultiplyAdd(m, (float)-stepSize, parameter, parameter);
        }
    }
}

using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Algorithms.MixMask;

/// <summary>
/// How an actor-critic estimator turns its losses into gradients. The default sums them and back-propagates; with a
/// <see cref="SharedFeatureNetwork"/> it adds the mechanisms' penalties (or contrastive losses), standardises the
/// policy and value objectives when asked (distributional scalarisation), and projects conflicting gradients on the
/// shared-feature parameters when asked (PCGrad, eq. 14). A2C and PPO both train through it.
/// </summary>
internal sealed class SharedFeatureObjective
{
    private readonly SharedFeatureNetwork? _network;
    private readonly SharedFeatureOptions? _options;
    private readonly DistributionalScalarizer? _policyScale;
    private readonly DistributionalScalarizer? _valueScale;
    private readonly PcGrad? _pcGrad;
    private float _mixTemperature;
    private float _maskTemperature;

    /// <summary>The objective for <paramref name="network"/>: the plain sum unless it is a <see cref="SharedFeatureNetwork"/>.</summary>
    public SharedFeatureObjective(Common.ActorCriticModel network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is not SharedFeatureNetwork shared) return;
        _network = shared;
        _options = shared.Options;
        _mixTemperature = _options.Mix?.Temperature ?? 0f;
        _maskTemperature = _options.Mask?.Temperature ?? 0f;
        if (_options.Scalarization is { } scalarization)
        {
            _policyScale = new DistributionalScalarizer(scalarization);
            _valueScale = new DistributionalScalarizer(scalarization);
        }
        if (_options.PcGrad)
        {
            var sharedParameters = shared.SharedFeatureParameters();
            if (sharedParameters.Count == 0)
                throw new ArgumentException("SharedFeatureOptions.PcGrad projects gradients on shared-feature parameters, but separated networks have none; add a Mix, a Mask or SharedBackbone = true.", nameof(network));
            _pcGrad = new PcGrad(sharedParameters);
        }
        shared.ResetMomentumCopies();
    }

    /// <summary>The current mix temperature α_s (decays after every update).</summary>
    public float MixTemperature => _mixTemperature;

    /// <summary>The current mask temperature α_D (decays after every update).</summary>
    public float MaskTemperature => _maskTemperature;

    /// <summary>
    /// Back-propagates policy + value + rest (the entropy term and any other auxiliary loss), plus the mechanisms'
    /// terms on <paramref name="observations"/>, and records the parts in <paramref name="losses"/>. Gradients are
    /// added to the parameters' current ones (call ZeroGrad first).
    /// </summary>
    public void Backward(Tensor policyLoss, Tensor valueLoss, Tensor rest, Tensor observations, IDictionary<string, double> losses)
    {
        if (_network is null)
        {
            (policyLoss + valueLoss + rest).Backward();
            return;
        }
        var (mixTerm, maskTerm) = _network.Penalties(observations);
        bool contrastive = _options!.Contrastive is not null;
        if (mixTerm is not null)
        {
            losses[contrastive ? "mix_contrastive" : "mix_distance"] = mixTerm.Item();
            // Maximising the similarity S = −distance (eq. 6) is minimising +α·distance.
            rest += contrastive ? mixTerm : mixTerm * _mixTemperature;
        }
        if (maskTerm is not null)
        {
            losses[contrastive ? "mask_contrastive" : "mask_distance"] = maskTerm.Item();
            // Maximising the divergence D (eq. 12) is minimising −α·D.
            rest += contrastive ? maskTerm : maskTerm * -_maskTemperature;
        }
        if (_policyScale is not null)
        {
            policyLoss = _policyScale.Standardize(policyLoss);
            valueLoss = _valueScale!.Standardize(valueLoss);
            losses["scaled_policy"] = policyLoss.Item();
            losses["scaled_value"] = valueLoss.Item();
        }
        if (_pcGrad is not null)
        {
            var result = _pcGrad.Backward([policyLoss, valueLoss, rest]);
            losses["pcgrad_conflicts"] = result.Conflicts;
        }
        else
        {
            (policyLoss + valueLoss + rest).Backward();
        }
    }

    /// <summary>After every optimizer step: the contrastive momentum copies follow the mechanisms.</summary>
    public void AfterStep() => _network?.UpdateMomentumCopies();

    /// <summary>After every update (rollout): the temperatures decay, α ← τ·α, and the scalarisers count the update.</summary>
    public void AfterUpdate()
    {
        if (_options is null) return;
        _mixTemperature *= _options.Mix?.TemperatureDecay ?? 1f;
        _maskTemperature *= _options.Mask?.TemperatureDecay ?? 1f;
        _policyScale?.EndUpdate();
        _valueScale?.EndUpdate();
    }
}

/// <summary>
/// Distributional scalarisation of one objective (seed 000 §4.3): J is modelled as N(μ, σ²) fitted on its first
/// value, σ² = |J| and μ = J − z·σ (the untrained objective sits at a high z-score), and the optimised objective is
/// (J − μ)/σ. With a refit interval the model is re-fitted from the objectives of each interval, at a lower z-score.
/// </summary>
/// <remarks>The reference code divides by σ² rather than σ; we standardise as the paper's text says.</remarks>
internal sealed class DistributionalScalarizer
{
    private readonly ScalarizationOptions _options;
    private readonly List<double> _window = new();
    private int _updatesSinceFit;

    public DistributionalScalarizer(ScalarizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Whether the model has been fitted (on the first objective seen).</summary>
    public bool IsFitted { get; private set; }

    /// <summary>The fitted mean μ.</summary>
    public double Mean { get; private set; }

    /// <summary>The fitted standard deviation σ.</summary>
    public double StandardDeviation { get; private set; } = 1;

    /// <summary>(J − μ)/σ, fitting the model on the first call.</summary>
    public Tensor Standardize(Tensor objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        double value = objective.Item();
        if (!IsFitted)
        {
            StandardDeviation = SafeStd(Math.Sqrt(Math.Abs(value)));
            Mean = value - _options.ZScore * StandardDeviation;
            IsFitted = true;
        }
        // Only a non-stationary model reads the interval's objectives; a stationary one must not keep them all.
        if (_options.RefitInterval > 0) _window.Add(value);
        return (objective - (float)Mean) * (float)(1 / StandardDeviation);
    }

    /// <summary>Counts an update and re-fits at the end of each interval (non-stationary mode).</summary>
    public void EndUpdate()
    {
        if (_options.RefitInterval == 0 || ++_updatesSinceFit < _options.RefitInterval || _window.Count == 0) return;
        double mean = _window.Average();
        double std = _window.Count > 1
            ? Math.Sqrt(_window.Sum(v => (v - mean) * (v - mean)) / (_window.Count - 1))
            : Math.Sqrt(Math.Abs(mean));
        StandardDeviation = SafeStd(std);
        Mean = mean - _options.RefitZScore * StandardDeviation;
        _window.Clear();
        _updatesSinceFit = 0;
    }

    // A zero or non-finite σ would blow the objective up; fall back to no scaling.
    private static double SafeStd(double std) => double.IsFinite(std) && std > 1e-8 ? std : 1;
}

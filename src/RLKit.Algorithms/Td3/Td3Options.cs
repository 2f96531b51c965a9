using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Td3;

/// <summary>
/// Twin Delayed DDPG (Fujimoto et al. 2018), with CleanRL's <c>td3_continuous_action.py</c> defaults: twin critics, a
/// delayed actor and target policy smoothing on top of <see cref="DeterministicPolicyGradientOptions"/>.
/// </summary>
public sealed record Td3Options : DeterministicPolicyGradientOptions
{
    /// <summary>Critic updates per actor and target update (the policy delay d), ≥ 1. Default 2.</summary>
    public int PolicyDelay { get; init; } = 2;

    /// <summary>
    /// Target policy smoothing: add clipped noise to the target actor's actions in the critic target. Default true;
    /// SAVO turns it off.
    /// </summary>
    public bool TargetPolicySmoothing { get; init; } = true;

    /// <summary>Target smoothing noise σ, as a fraction of the action half-range, in [0, ∞). Default 0.2.</summary>
    public float TargetNoiseStd { get; init; } = 0.2f;

    /// <summary>Target smoothing noise clip c, as a fraction of the action half-range, in [0, ∞). Default 0.5.</summary>
    public float TargetNoiseClip { get; init; } = 0.5f;

    internal override int CriticUpdatesPerActorUpdate => PolicyDelay;

    internal override (float Std, float Clip)? TargetSmoothing => TargetPolicySmoothing ? (TargetNoiseStd, TargetNoiseClip) : null;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        const string record = nameof(Td3Options);
        OptionRules.AtLeast(PolicyDelay, 1, record, nameof(PolicyDelay));
        OptionRules.NonNegative(TargetNoiseStd, record, nameof(TargetNoiseStd));
        OptionRules.NonNegative(TargetNoiseClip, record, nameof(TargetNoiseClip));
    }
}

using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Ddpg;

/// <summary>
/// Deep Deterministic Policy Gradient (Lillicrap et al. 2016), with CleanRL's <c>ddpg_continuous_action.py</c> defaults:
/// one critic, a deterministic actor, Polyak-averaged targets, no target smoothing.
/// </summary>
public sealed record DdpgOptions : DeterministicPolicyGradientOptions
{
    /// <summary>Critic updates per actor and target update, ≥ 1. Default 2 (CleanRL's policy_frequency).</summary>
    public int PolicyFrequency { get; init; } = 2;

    internal override int CriticUpdatesPerActorUpdate => PolicyFrequency;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        OptionRules.AtLeast(PolicyFrequency, 1, nameof(DdpgOptions), nameof(PolicyFrequency));
    }
}

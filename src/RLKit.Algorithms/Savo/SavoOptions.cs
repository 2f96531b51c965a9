using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// SAVO-TD3 (seed 003 ch. 4) and the actor architectures it is compared with, on TD3's loop. Defaults follow the
/// thesis (§4.4.5, Table C.1's MuJoCo column): k = 3 actor-surrogates, DeepSet + FiLM conditioning, learned surrogates,
/// no target policy smoothing, Ornstein–Uhlenbeck exploration noise on every actor, lr 3e-4, γ 0.99, batch 256,
/// buffer 5e5, [256, 256] networks. Validated once, when the estimator is created.
/// </summary>
/// <remarks>
/// The ablations of Fig. 4.7b are options: <see cref="LearnedSurrogates"/> = false ("SAVO − approximation"),
/// <see cref="ConditionOnPreviousActions"/> = false ("SAVO − previous actions"), <see cref="TargetPolicySmoothing"/>
/// = true ("SAVO + action smoothing") and <see cref="Architecture"/> = "joint" ("SAVO + joint action").
/// </remarks>
public sealed record SavoOptions : DeterministicPolicyGradientOptions
{
    /// <summary>The largest k accepted: beyond it each step evaluates more proposals than a search would.</summary>
    public const int MaxActorCount = 32;

    /// <summary>Creates the options with the thesis's defaults.</summary>
    public SavoOptions()
    {
        BufferSize = 500_000;
        ExplorationNoise = ExplorationNoiseKind.OrnsteinUhlenbeck;
    }

    /// <summary>
    /// The actor architecture by name (<see cref="ActorArchitectures"/>): "savo" (default), "single", "wolpertinger",
    /// "ensemble", "cem", "greedy", "greedy-ac" or "joint".
    /// </summary>
    public string Architecture { get; init; } = ActorArchitectures.Savo;

    /// <summary>
    /// k, in [1, <see cref="MaxActorCount"/>]: SAVO's successive actors ν_0 … ν_{k−1}, the ensemble's actors, the joint
    /// actor's parts, Wolpertinger's candidates. Ignored by "single", "cem", "greedy" and "greedy-ac". Default 3.
    /// </summary>
    public int ActorCount { get; init; } = 3;

    /// <summary>SAVO: ν_i ascends a learned, smooth Ψ̂_i (eq. 4.8–4.9); false ascends Ψ_i itself (eq. 4.7). Default true.</summary>
    public bool LearnedSurrogates { get; init; } = true;

    /// <summary>SAVO: actors ν_i and surrogates Ψ̂_i read a_&lt;i through a DeepSet summary and FiLM. Default true.</summary>
    public bool ConditionOnPreviousActions { get; init; } = true;

    /// <summary>Width of the DeepSet summary of the previous actions, ≥ 1. Default 64.</summary>
    public int SummarySize { get; init; } = 64;

    /// <summary>Critic updates per actor, surrogate and target update (TD3's policy delay d), ≥ 1. Default 2.</summary>
    public int PolicyDelay { get; init; } = 2;

    /// <summary>
    /// TD3's target policy smoothing (clipped noise on the target action). Default false: §4.4.5 item 1 removes it,
    /// since near actions can differ sharply in value on a non-convex landscape.
    /// </summary>
    public bool TargetPolicySmoothing { get; init; }

    /// <summary>Target smoothing noise σ, as a fraction of the action half-range, in [0, ∞). Default 0.2.</summary>
    public float TargetNoiseStd { get; init; } = 0.2f;

    /// <summary>Target smoothing noise clip c, as a fraction of the action half-range, in [0, ∞). Default 0.5.</summary>
    public float TargetNoiseClip { get; init; } = 0.5f;

    /// <summary>Wolpertinger: σ of the Gaussian samples around the actor, as a fraction of the half-range, finite and &gt; 0. Default 0.2.</summary>
    public float SampleStd { get; init; } = 0.2f;

    /// <summary>CEM: samples per round, ≥ 2. Default 64 (QT-Opt).</summary>
    public int CemPopulation { get; init; } = 64;

    /// <summary>CEM: elites refitted per round, in [1, <see cref="CemPopulation"/>]. Default 6 (QT-Opt).</summary>
    public int CemElites { get; init; } = 6;

    /// <summary>CEM: rounds, ≥ 1. Default 2 (QT-Opt).</summary>
    public int CemIterations { get; init; } = 2;

    /// <summary>Greedy: N, actions the proposal policy samples per state for the actor's update, in [1, 4096]. Default 30 (Neumann et al. 2018).</summary>
    public int GreedySamples { get; init; } = 30;

    /// <summary>Greedy: ρ, the top fraction of the samples the actor and proposal policy learn from, in (0, 1]. Default 0.1 (Neumann et al. 2018).</summary>
    public float GreedyPercentile { get; init; } = 0.1f;

    /// <summary>
    /// Greedy: α ≥ 0, the entropy weight that keeps the proposal policy broad. Default 0.01 (Neumann et al. sweep
    /// 10⁻³ … 10; the thesis does not report its value).
    /// </summary>
    public float GreedyEntropy { get; init; } = 0.01f;

    internal override int CriticUpdatesPerActorUpdate => PolicyDelay;

    internal override (float Std, float Clip)? TargetSmoothing => TargetPolicySmoothing ? (TargetNoiseStd, TargetNoiseClip) : null;

    /// <summary>The candidates per state the architecture proposes.</summary>
    internal int CandidateCount => ActorArchitectures.All[Architecture].UsesCandidateCount ? ActorCount : 1;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        const string record = nameof(SavoOptions);
        OptionRules.Require(Architecture, Architecture is not null && ActorArchitectures.All.ContainsKey(Architecture),
                            $"one of {string.Join(", ", ActorArchitectures.Names)}", record, nameof(Architecture));
        OptionRules.InRange(ActorCount, 1, MaxActorCount, record, nameof(ActorCount));
        OptionRules.AtLeast(SummarySize, 1, record, nameof(SummarySize));
        OptionRules.AtLeast(PolicyDelay, 1, record, nameof(PolicyDelay));
        OptionRules.NonNegative(TargetNoiseStd, record, nameof(TargetNoiseStd));
        OptionRules.NonNegative(TargetNoiseClip, record, nameof(TargetNoiseClip));
        OptionRules.Positive(SampleStd, record, nameof(SampleStd));
        OptionRules.AtLeast(CemPopulation, 2, record, nameof(CemPopulation));
        OptionRules.InRange(CemElites, 1, CemPopulation, record, nameof(CemElites));
        OptionRules.AtLeast(CemIterations, 1, record, nameof(CemIterations));
        OptionRules.InRange(GreedySamples, 1, 4096, record, nameof(GreedySamples));
        OptionRules.Require(GreedyPercentile, GreedyPercentile is > 0f and <= 1f, "in (0, 1]", record, nameof(GreedyPercentile));
        OptionRules.NonNegative(GreedyEntropy, record, nameof(GreedyEntropy));
    }
}

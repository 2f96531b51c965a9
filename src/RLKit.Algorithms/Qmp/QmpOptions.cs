using RLKit.Algorithms.MultiTaskSac;
using RLKit.Training;

namespace RLKit.Algorithms.Qmp;

/// <summary>
/// Hyperparameters of <see cref="QmpEstimator"/>: the multi-task SAC harness (<see cref="MultiTaskSacOptions"/>, Table 1 of
/// seed 002) with Q-switch mixture-of-policies behaviour. <see cref="Mixer"/> names the <see cref="IBehaviorMixer"/> that
/// picks, at every step of task i, whose proposal to execute: "q-switch" (QMP), "uniform" (QMP-Uniform), "domain"
/// (QMP-Domain, with <see cref="DomainWeights"/>) or "softmax" (a softmax Q-switch with <see cref="SoftmaxTemperature"/>).
/// QMP on a multi-head network is <see cref="MultiTaskSacOptions.Sharing"/> = <see cref="TaskParameterSharing.Multihead"/>.
/// </summary>
/// <remarks>
/// Apply a Table 1 column with <c>MultiTaskSacOptions.Preset(new QmpOptions { Sharing = … }, MultiTaskSacPreset.Maze)</c>;
/// for multi-head QMP on the maze the preset also delays the mixture by 100 updates, as the paper's run did (0 elsewhere).
/// </remarks>
public sealed record QmpOptions : MultiTaskSacOptions
{
    /// <summary>The built-in or user mixer's name (default "q-switch"); non-empty. Built-ins: "q-switch", "uniform", "domain", "softmax".</summary>
    public string Mixer { get; init; } = BehaviorMixers.QSwitch;

    /// <summary>
    /// Updates at the start of training during which every task acts with its own policy before the mixture takes over
    /// (the paper: 0, except 100 for multi-head QMP on the maze), ≥ 0. The first update (filling the buffers to the
    /// minimum size) counts as one.
    /// </summary>
    public int MixtureWarmup { get; init; }

    /// <summary>The temperature τ of the "softmax" mixer, which picks policy j with probability ∝ exp(Q_i(s, ā_j)/τ); finite and &gt; 0 (default 1).</summary>
    public float SoftmaxTemperature { get; init; } = 1f;

    /// <summary>
    /// The "domain" mixer's fixed task-similarity weights: row i holds T non-negative weights (at least one positive) with
    /// which task i picks each policy, normalised per row when used. Required for "domain"; must be T × T for the task set.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<float>>? DomainWeights { get; init => field = OptionList.FromNested(value); }

    /// <inheritdoc/>
    protected override MultiTaskSacOptions ApplyPreset(MultiTaskSacPreset preset)
    {
        var options = (QmpOptions)base.ApplyPreset(preset);
        return options with { MixtureWarmup = preset == MultiTaskSacPreset.Maze && Sharing == TaskParameterSharing.Multihead ? 100 : 0 };
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        const string record = nameof(QmpOptions);
        OptionRules.Require(Mixer, !string.IsNullOrWhiteSpace(Mixer), "a mixer's name, e.g. one of " + string.Join(", ", BehaviorMixers.Names), record, nameof(Mixer));
        OptionRules.AtLeast(MixtureWarmup, 0, record, nameof(MixtureWarmup));
        OptionRules.Positive(SoftmaxTemperature, record, nameof(SoftmaxTemperature));
        if (DomainWeights is { } weights)
        {
            bool valid = weights.Count > 0 && weights.All(row => row is not null && row.Count == weights.Count
                                                                 && row.All(w => float.IsFinite(w) && w >= 0f) && row.Any(w => w > 0f));
            OptionRules.Require(Describe(weights), valid, "a square matrix of finite weights ≥ 0 with a positive weight in every row", record, nameof(DomainWeights));
        }
        OptionRules.Require(null, Mixer != BehaviorMixers.Domain || DomainWeights is not null, "set (T × T) for the \"domain\" mixer", record, nameof(DomainWeights));
    }

    /// <summary>Checks <see cref="DomainWeights"/> against the number of tasks of a fit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the weights are given but are not <paramref name="tasks"/> × <paramref name="tasks"/>.</exception>
    internal void RequireDomainWeightsFor(int tasks)
    {
        if (DomainWeights is { } weights)
            OptionRules.Require(Describe(weights), weights.Count == tasks, $"{tasks} × {tasks}, one row and column per task of the task set",
                                nameof(QmpOptions), nameof(DomainWeights));
    }

    private static string Describe(IReadOnlyList<IReadOnlyList<float>> weights) =>
        $"{weights.Count} rows of {string.Join("/", weights.Select(row => row?.Count ?? 0).Distinct())}";
}

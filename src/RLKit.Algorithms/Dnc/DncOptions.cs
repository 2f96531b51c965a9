using RLKit.Algorithms.MultiTaskSac;
using RLKit.Training;

namespace RLKit.Algorithms.Dnc;

/// <summary>
/// Hyperparameters of <see cref="DncEstimator"/>: Divide-and-Conquer RL (Ghosh et al. 2018) as the QMP paper (seed 002)
/// runs it for multi-task learning — the multi-task SAC harness with separate task policies (Table 1, the Separated
/// settings; <see cref="MultiTaskSacOptions"/>), a KL penalty pulling every task policy towards the others, and, for
/// <see cref="DncMode.Full"/>, distillation into a central policy at <see cref="DistillationCount"/> points of training.
/// </summary>
/// <remarks>
/// <para>The KL term added to task i's actor loss is β·Σ_{j≠i} E_s[KL(π_j(·|s) ‖ π_i(·|s))], with β =
/// <see cref="KlCoefficient"/>, the expectation over states drawn from every task's buffer, and the KL of the pre-tanh
/// Gaussians (tanh is a bijection, so it equals the squashed policies' KL) averaged over the action dimensions, as the
/// reference code (clvrai/qmp, <c>dnc_sac.py</c>) computes it. π_j is held fixed in task i's term.</para>
/// <para>Apply a Table 1 column with <c>MultiTaskSacOptions.Preset(new DncOptions { Mode = … }, MultiTaskSacPreset.Maze)</c>:
/// set <see cref="Mode"/> first, because the preset also sets the paper's β for the mode (A.3.4: 1e-3, except 1e-4 for
/// regularisation-only on the maze).</para>
/// <para>Options are validated once, when the estimator is created or a checkpoint is read; an invalid value throws an
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.</para>
/// </remarks>
public sealed record DncOptions : MultiTaskSacOptions
{
    /// <summary>DnC with distillation (the default) or the KL regularisation alone.</summary>
    public DncMode Mode { get; init; } = DncMode.Full;

    /// <summary>
    /// β, the weight of each pair's KL penalty, finite and ≥ 0 (0 turns the regularisation off). Default 1e-3, the
    /// paper's value for DnC on both environments and for regularisation-only on the reacher (1e-4 on the maze).
    /// </summary>
    public float KlCoefficient { get; init; } = 1e-3f;

    /// <summary>
    /// How many times a <see cref="DncMode.Full"/> run distils its task policies into the central policy, ≥ 1 (the paper:
    /// 10 over the course of training). Distillation k runs after the first update at which the budget's progress
    /// reaches k/(count + 1), so the distillations are evenly spaced and the task policies train on after the last one.
    /// An update that passes several points distils once, so a budget of fewer than count + 1 updates distils fewer times
    /// (each update reports "distillations", the count so far).
    /// </summary>
    public int DistillationCount { get; init; } = 10;

    /// <summary>
    /// Gradient steps of the central policy in each distillation, ≥ 1 (the paper: 500 "distillation epochs"); each step
    /// draws ⌊<see cref="MultiTaskSacOptions.BatchSize"/>/T⌋ transitions (at least 1) from every task's buffer.
    /// </summary>
    public int DistillationSteps { get; init; } = 500;

    /// <summary>True for <see cref="DncMode.Full"/>: the model keeps the central policy, saved under "central.".</summary>
    internal override bool HasCentralPolicy => Mode == DncMode.Full;

    /// <inheritdoc/>
    protected override MultiTaskSacOptions ApplyPreset(MultiTaskSacPreset preset)
    {
        var options = (DncOptions)base.ApplyPreset(preset);
        bool mazeRegularisationOnly = preset == MultiTaskSacPreset.Maze && Mode == DncMode.RegularisationOnly;
        return options with { KlCoefficient = mazeRegularisationOnly ? 1e-4f : 1e-3f };
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        const string record = nameof(DncOptions);
        OptionRules.Require(Sharing, Sharing == TaskParameterSharing.Separate,
                            $"{nameof(TaskParameterSharing.Separate)} (DnC keeps one separate policy per task, and the central policy's weights replace each of them)",
                            record, nameof(Sharing));
        OptionRules.Defined(Mode, record, nameof(Mode));
        OptionRules.NonNegative(KlCoefficient, record, nameof(KlCoefficient));
        OptionRules.AtLeast(DistillationCount, 1, record, nameof(DistillationCount));
        OptionRules.AtLeast(DistillationSteps, 1, record, nameof(DistillationSteps));
    }
}

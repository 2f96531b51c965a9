using RLKit.Algorithms.MultiTaskSac;
using RLKit.Environments;
using RLKit.Training;

namespace RLKit.Algorithms.Dnc;

/// <summary>
/// Divide-and-Conquer RL (DnC; Ghosh et al. 2018) as the QMP paper (seed 002) adapts it to multi-task learning: one SAC
/// policy per task on the multi-task SAC harness (Table 1's Separated settings), every task policy regularised towards
/// the others by β·Σ_{j≠i} E_s[KL(π_j ‖ π_i)], and — for <see cref="DncMode.Full"/> — the task policies distilled into a
/// central policy at <see cref="DncOptions.DistillationCount"/> evenly spaced points of the budget, after each of which
/// every task policy restarts from the central policy. <see cref="DncMode.RegularisationOnly"/> is the paper's "DnC
/// (regularization only)".
/// </summary>
/// <remarks>
/// <para>Fit it on a task set, <c>Fit(taskSet, budget)</c>. The result is a <see cref="MultiTaskSacAgent"/> (algorithm
/// "dnc") whose <c>Act(task, …)</c> uses task t's policy, the policy the paper evaluates. A full DnC agent also acts
/// without a task id, with the central policy (initialised as a copy of task 0's policy, as in the reference, and
/// trained only by the distillations); a regularisation-only agent has no central policy.</para>
/// <para>Distillation k runs after the first update at which the budget's progress reaches k/(count + 1), with the
/// budget's progress as <see cref="TrainingMonitor.Progress"/> measures it (steps, else episodes, else time). Each takes
/// <see cref="DncOptions.DistillationSteps"/> Adam steps of the central policy on −log π_c(a|s) of the actions stored in
/// every task's buffer (⌊B/T⌋ transitions per task per step), then copies its weights into every task policy; critics,
/// temperatures and the task actors' optimizer state are kept.</para>
/// <para>Each update reports, besides the harness's losses, "kl" (mean KL between ordered pairs of task policies) and,
/// for the full method, "distillations" (so far) and "distillation_loss" in an update that distils.</para>
/// </remarks>
public sealed class DncEstimator : MultiTaskSacEstimator<DncOptions>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "dnc".</summary>
    public const string Name = "dnc";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <param name="options">The options; null for the defaults (Table 1's maze column, full DnC, β = 1e-3).</param>
    /// <param name="callbacks">Run after each update.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public DncEstimator(DncOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new DncOptions(), callbacks) { }

    /// <inheritdoc/>
    protected override AgentEstimator<MultiTaskSacAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new DncEstimator(Options, callbacks);

    private protected override MultiTaskSacHooks CreateHooks(TaskAssignment tasks, MultiTaskSacAgent agent, bool warmStart, TrainingMonitor monitor)
    {
        var model = agent.Model;
        // The reference's centroid starts as a deep copy of the first task's policy.
        if (!warmStart && model.Central is { } central) DncDistillation.CopyMember(model.Actor, 0, central, 0);
        return new DncHooks(Options, model, monitor.Progress);
    }
}

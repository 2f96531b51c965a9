using RLKit.Algorithms.MultiTaskSac;
using RLKit.Environments;
using RLKit.Training;

namespace RLKit.Algorithms.Qmp;

/// <summary>
/// Q-switch Mixture of Policies (QMP; Zhang et al., seed 002): multi-task SAC whose behaviour policy shares behaviours
/// between tasks. At every step of task i, every task policy π_j proposes an action, the Q-switch scores proposal j by
/// task i's critic at the mean action of π_j, Q_i(s, ā_j), and task i executes the best policy's sampled action; the
/// transition goes to task i's buffer and π_i trains on it with SAC, so the other policies only shape what task i
/// sees. Variants through <see cref="QmpOptions"/>: the mixer ("q-switch", "uniform", "domain", "softmax" or a user
/// <see cref="IBehaviorMixer"/>), a mixture warm-up, and QMP on any <see cref="TaskParameterSharing"/>.
/// </summary>
/// <remarks>
/// <para>Fit it on a task set with <c>Fit(taskSet, budget)</c>; the result is a <see cref="MultiTaskSacAgent"/> (algorithm
/// "qmp") that acts with the task policies π_t — the mixture exists only to collect data, as in the paper.</para>
/// <para>Each update reports, besides the harness's losses, "selection/{i}/{j}": the fraction of task i's steps in that
/// update that executed π_j's action (the paper's Fig. 5 heat map, averaged over training).</para>
/// </remarks>
public sealed class QmpEstimator : MultiTaskSacEstimator<QmpOptions>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "qmp".</summary>
    public const string Name = "qmp";

    /// <summary>
    /// Creates the estimator; <paramref name="options"/> are validated here. Without <paramref name="mixer"/>, the
    /// built-in mixer named by <see cref="QmpOptions.Mixer"/> is used.
    /// </summary>
    /// <param name="options">The options; null for the defaults (Table 1's maze column, Q-switch).</param>
    /// <param name="callbacks">Run after each update.</param>
    /// <param name="mixer">A mixer to use instead of the built-in named by the options (e.g. one resolved from DI).</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range, or names no built-in mixer and none is given.</exception>
    public QmpEstimator(QmpOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null, IBehaviorMixer? mixer = null)
        : base(Name, options ?? new QmpOptions(), callbacks)
    {
        if (mixer is null)
            OptionRules.Require(Options.Mixer, BehaviorMixers.All.ContainsKey(Options.Mixer),
                                $"a built-in mixer ({string.Join(", ", BehaviorMixers.Names)}) unless a mixer is passed to QmpEstimator", nameof(QmpOptions), nameof(QmpOptions.Mixer));
        Mixer = mixer ?? BehaviorMixers.All[Options.Mixer];
    }

    /// <summary>The mixer that picks which policy's action each task executes.</summary>
    public IBehaviorMixer Mixer { get; }

    /// <inheritdoc/>
    protected override AgentEstimator<MultiTaskSacAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new QmpEstimator(Options, callbacks, Mixer);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">If <see cref="QmpOptions.DomainWeights"/> is not T × T for the task set.</exception>
    private protected override void CheckTasks(TaskAssignment tasks) => Options.RequireDomainWeightsFor(tasks.TaskCount);

    /// <summary>The Q-switch mixture (after the warm-up) with this estimator's mixer.</summary>
    private protected override BehaviorPolicy CreateBehavior(TaskAssignment tasks) => new MixtureBehavior(Options, Mixer, tasks);
}

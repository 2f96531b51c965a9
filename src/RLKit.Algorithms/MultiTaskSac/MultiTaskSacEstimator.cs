using RLKit.Algorithms.Common;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// Multi-task SAC, the baselines of the QMP paper (seed 002): one soft actor-critic per task trained on its own replay
/// buffer with Table 1's schedule, the tasks' networks laid out by <see cref="MultiTaskSacOptions.Sharing"/> —
/// "Separated" (independent networks), "Shared" (one wider network conditioned on the task's one-hot id) or "Shared
/// Multihead" (a shared trunk with one head per task). Every task acts with its own policy.
/// </summary>
/// <remarks>
/// <para>Fit it on a task set, <c>Fit(taskSet, budget)</c>: sub-environment t plays task t (or <c>environmentsPerTask</c>
/// consecutive sub-environments per task), and the result is a <see cref="MultiTaskSacAgent"/> that acts given a task id.
/// Fitting a plain vector environment trains one task. The action space must be a bounded Box.</para>
/// <para>Each update collects <see cref="MultiTaskSacOptions.EnvStepsPerUpdate"/> steps per task (the first, until every
/// buffer holds <see cref="MultiTaskSacOptions.MinBufferSize"/>), then takes the gradient steps, then reports once:
/// "critic", "actor", "alpha", "entropy" (means over tasks and over the update's gradient steps) and "alpha_value".</para>
/// </remarks>
public sealed class MultiTaskSacEstimator : MultiTaskSacEstimator<MultiTaskSacOptions>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "mt-sac".</summary>
    public const string Name = "mt-sac";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public MultiTaskSacEstimator(MultiTaskSacOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new MultiTaskSacOptions(), callbacks) { }

    /// <inheritdoc/>
    protected override AgentEstimator<MultiTaskSacAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new MultiTaskSacEstimator(Options, callbacks);
}

/// <summary>
/// What every estimator built on the multi-task SAC harness shares (<see cref="MultiTaskSacEstimator"/>, <c>QmpEstimator</c>,
/// and DnC's): the checks, the agent (fresh, or warm-started from an initial agent's weights and optimizers) and the
/// harness's loop; a method supplies only its behaviour policy and its hooks. Fitting a plain vector environment trains
/// one task.
/// </summary>
/// <typeparam name="TOptions">The method's options record.</typeparam>
public abstract class MultiTaskSacEstimator<TOptions> : AlgorithmEstimator<TOptions, MultiTaskSacAgent> where TOptions : MultiTaskSacOptions
{
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    private protected MultiTaskSacEstimator(string algorithm, TOptions options, IReadOnlyList<ITrainingCallback>? callbacks)
        : base(algorithm, options, callbacks) { }

    /// <inheritdoc/>
    protected sealed override MultiTaskSacAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, MultiTaskSacAgent? initialAgent) =>
        FitCore(environment, TaskAssignment.SingleTask(environment.Count), monitor, initialAgent);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// If the action space is not a bounded Box, or the initial agent was trained on another number of tasks or other spaces.
    /// </exception>
    protected sealed override MultiTaskSacAgent FitCore(IVectorEnvironment environment, TaskAssignment tasks, TrainingMonitor monitor, MultiTaskSacAgent? initialAgent)
    {
        CheckTasks(tasks);
        var rng = new RandomGenerator(Options.Seed);
        var agent = MultiTaskSacAgent.ForFit(Algorithm, Options, environment, tasks, initialAgent, rng);
        return MultiTaskSacTraining.Fit(environment, tasks, monitor, agent, initialAgent, CreateBehavior(tasks), CreateHooks(tasks, agent, initialAgent is not null, monitor), rng);
    }

    /// <summary>Checks the options against the fit's tasks (nothing by default).</summary>
    private protected virtual void CheckTasks(TaskAssignment tasks) { }

    /// <summary>The behaviour policy of this fit (default: every task acts with its own policy).</summary>
    private protected virtual BehaviorPolicy CreateBehavior(TaskAssignment tasks) => new TaskPolicyBehavior();

    /// <summary>The hooks of this fit (default: none), given the agent being trained and whether it continues an initial agent.</summary>
    private protected virtual MultiTaskSacHooks CreateHooks(TaskAssignment tasks, MultiTaskSacAgent agent, bool warmStart, TrainingMonitor monitor) => MultiTaskSacHooks.None;
}

using RLKit.Environments;
using RLKit.Environments.Vector;

namespace RLKit.Training;

/// <summary>
/// Base class for estimators: argument checks, wrapping a single environment as a vector environment, the
/// <see cref="TrainingMonitor"/> and callbacks. An algorithm implements <see cref="FitCore(IVectorEnvironment, TrainingMonitor, TAgent)"/> and reads top to
/// bottom from there.
/// </summary>
/// <typeparam name="TAgent">The agent type the algorithm produces.</typeparam>
public abstract class AgentEstimator<TAgent> : IAgentEstimator<TAgent> where TAgent : class, IAgent
{
    /// <summary>Creates an estimator that will run <paramref name="callbacks"/> after each update.</summary>
    protected AgentEstimator(IReadOnlyList<ITrainingCallback>? callbacks = null) => Callbacks = callbacks ?? [];

    /// <summary>The algorithm's short name, e.g. "ppo".</summary>
    public abstract string Algorithm { get; }

    /// <summary>The callbacks run after each update.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; }

    /// <summary>A copy of this estimator that also runs <paramref name="callbacks"/>.</summary>
    public AgentEstimator<TAgent> WithCallbacks(params ITrainingCallback[] callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        return WithCallbacksCore([.. Callbacks, .. callbacks]);
    }

    /// <summary>A copy of this estimator with exactly <paramref name="callbacks"/>.</summary>
    protected abstract AgentEstimator<TAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the vector environment does not use <see cref="AutoresetMode.SameStep"/>.</exception>
    public TAgent Fit(IVectorEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
                      CancellationToken cancellationToken = default, TAgent? initialAgent = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(budget);
        if (environment.AutoresetMode != AutoresetMode.SameStep)
            throw new ArgumentException(
                $"{Algorithm}: training needs a vector environment with AutoresetMode.SameStep, so that every step is a real transition and truncated episodes keep their final observation; this one uses {environment.AutoresetMode}.",
                nameof(environment));
        return Run(environment, TaskAssignment.SingleTask(environment.Count), budget, progress, cancellationToken, initialAgent);
    }

    /// <inheritdoc/>
    public TAgent Fit(IEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
                      CancellationToken cancellationToken = default, TAgent? initialAgent = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // The caller owns the environment; the one-env vector view is not disposed, so it never disposes it.
        var vector = new SyncVectorEnvironment([environment], AutoresetMode.SameStep);
        return Fit(vector, budget, progress, cancellationToken, initialAgent);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="environmentsPerTask"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">If the task set has no tasks.</exception>
    public TAgent Fit(ITaskSet taskSet, Budget budget, IProgress<TrainingUpdate>? progress = null,
                      CancellationToken cancellationToken = default, TAgent? initialAgent = null, int environmentsPerTask = 1)
    {
        ArgumentNullException.ThrowIfNull(taskSet);
        if (taskSet.TaskCount < 1)
            throw new ArgumentException($"{Algorithm}: the task set '{taskSet.Name}' has no tasks; it needs at least one.", nameof(taskSet));
        if (environmentsPerTask < 1)
            throw new ArgumentOutOfRangeException(nameof(environmentsPerTask), environmentsPerTask, $"{Algorithm}: environmentsPerTask must be at least 1.");
        var environments = new List<IEnvironment>(taskSet.TaskCount * environmentsPerTask);
        try
        {
            for (int task = 0; task < taskSet.TaskCount; task++)
            {
                for (int copy = 0; copy < environmentsPerTask; copy++)
                {
                    var environment = taskSet.CreateEnvironment(task);
                    environments.Add(environment);
                    RequireTaskSetSpaces(taskSet, task, environment);
                }
            }
        }
        catch
        {
            foreach (var environment in environments) environment.Dispose();
            throw;
        }
        // These environments are created here, so the vector environment owns and disposes them.
        using var vector = new SyncVectorEnvironment(environments, AutoresetMode.SameStep);
        return Run(vector, new TaskAssignment(taskSet.TaskIds, environmentsPerTask), budget, progress, cancellationToken, initialAgent);
    }

    /// <summary>A task set's tasks must have the spaces it declares (a hand-written <see cref="ITaskSet"/> may not check).</summary>
    private void RequireTaskSetSpaces(ITaskSet taskSet, int task, IEnvironment environment)
    {
        if (SpaceCompatibility.FirstMismatch(environment, taskSet.ObservationSpace, taskSet.ActionSpace) is var (kind, actual, expected))
            throw new ArgumentException(
                $"{Algorithm}: task {task} ({taskSet.TaskIds[task]}) of task set '{taskSet.Name}' has {kind} space {actual.Description}, but the task set declares {expected.Description}; every task must share the task set's spaces.",
                nameof(taskSet));
    }

    private TAgent Run(IVectorEnvironment environment, TaskAssignment tasks, Budget budget, IProgress<TrainingUpdate>? progress,
                       CancellationToken cancellationToken, TAgent? initialAgent)
    {
        var monitor = new TrainingMonitor(Algorithm, budget, environment.Count, progress, Callbacks, cancellationToken, tasks);
        return FitCore(environment, tasks, monitor, initialAgent);
    }

    /// <summary>
    /// The entry point of every <c>Fit</c>: <paramref name="tasks"/> says which task each sub-environment plays (one
    /// task for a plain vector environment, the task set's tasks for <c>Fit(ITaskSet, …)</c>). Multi-task algorithms
    /// override this; the others ignore the tasks, which is the shared-policy multi-task baseline, by keeping this
    /// default, which calls <see cref="FitCore(IVectorEnvironment, TrainingMonitor, TAgent)"/>.
    /// </summary>
    protected virtual TAgent FitCore(IVectorEnvironment environment, TaskAssignment tasks, TrainingMonitor monitor, TAgent? initialAgent) =>
        FitCore(environment, monitor, initialAgent);

    /// <summary>
    /// The algorithm: train on <paramref name="environment"/> (SameStep autoreset) while
    /// <see cref="TrainingMonitor.ShouldStop"/> is false, starting no gradient step once
    /// <see cref="TrainingMonitor.IsCancellationRequested"/> is true (not even inside an update), reporting through
    /// <paramref name="monitor"/>, and return the agent after calling <see cref="TrainingMonitor.Finish"/>. Warm-start
    /// from <paramref name="initialAgent"/> when given.
    /// </summary>
    protected abstract TAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, TAgent? initialAgent);
}

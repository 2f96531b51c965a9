using RLKit.Algorithms.Common;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Spaces;
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
public sealed class MultiTaskSacEstimator : AlgorithmEstimator<MultiTaskSacOptions, MultiTaskSacAgent>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "mt-sac".</summary>
    public const string Name = "mt-sac";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public MultiTaskSacEstimator(MultiTaskSacOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new MultiTaskSacOptions(), callbacks) { }

    /// <inheritdoc/>
    protected override AgentEstimator<MultiTaskSacAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new MultiTaskSacEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override MultiTaskSacAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, MultiTaskSacAgent? initialAgent) =>
        FitCore(environment, TaskAssignment.SingleTask(environment.Count), monitor, initialAgent);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// If the action space is not a bounded Box, or the initial agent was trained on another number of tasks or other spaces.
    /// </exception>
    protected override MultiTaskSacAgent FitCore(IVectorEnvironment environment, TaskAssignment tasks, TrainingMonitor monitor, MultiTaskSacAgent? initialAgent)
    {
        var rng = new RandomGenerator(Options.Seed);
        var agent = Prepare(Algorithm, Options, environment, tasks, initialAgent, rng);
        return MultiTaskSacTraining.Fit(environment, tasks, monitor, agent, initialAgent, TaskPolicyBehavior.Instance, MultiTaskSacHooks.None, rng);
    }

    /// <summary>
    /// The agent a harness-based estimator trains: a fresh one for <paramref name="tasks"/>, with the weights of
    /// <paramref name="initialAgent"/> when warm-starting. Checks the action space and the initial agent.
    /// </summary>
    /// <exception cref="ArgumentException">If the action space is not a bounded Box, or the initial agent does not fit.</exception>
    internal static MultiTaskSacAgent Prepare(string algorithm, MultiTaskSacOptions options, IVectorEnvironment environment, TaskAssignment tasks,
                                             MultiTaskSacAgent? initialAgent, RandomGenerator rng)
    {
        var actionSpace = environment.SingleActionSpace as Box is { IsBounded: true } box
            ? box
            : throw new ArgumentException($"{algorithm} needs a bounded Box action space, got {environment.SingleActionSpace.Description}.", nameof(environment));
        var agent = MultiTaskSacAgent.Create(algorithm, environment.SingleObservationSpace, actionSpace, tasks.TaskIds, options, rng);
        if (initialAgent is not null)
        {
            if (initialAgent.TaskIds.Count != tasks.TaskCount || initialAgent.Model.ObservationSize != agent.Model.ObservationSize
                || initialAgent.Model.ActionSize != agent.Model.ActionSize)
                throw new ArgumentException(
                    $"{algorithm}: the initial agent was trained on {initialAgent.TaskIds.Count} tasks with {initialAgent.Model.ObservationSize} observation floats and {initialAgent.Model.ActionSize} action floats; " +
                    $"this fit has {tasks.TaskCount} tasks, {agent.Model.ObservationSize} floats and {agent.Model.ActionSize} action floats.", nameof(initialAgent));
            agent.LoadWeights(initialAgent.Weights);
        }
        return agent;
    }
}

using RLKit.Algorithms.Common;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Distral;

/// <summary>
/// Distral (Teh et al. 2017, as in seed 001's thesis): multi-task learning by distillation. Every task i has its own
/// policy π_i, all tasks share a distilled policy π0, and training maximises Σ_i E[Σ_t γ^t (R_i + (α/β) log π0 −
/// (1/β) log π_i)] (eq. 2.62) by alternating task steps and a π0 step, in the soft Q-learning or the actor-critic
/// framework (<see cref="DistralOptions.Framework"/>).
/// </summary>
/// <remarks>
/// <para>Fit it on a task set: <c>Fit(taskSet, budget)</c> plays every task side by side, sub-environment i being task i
/// (or <c>environmentsPerTask</c> consecutive sub-environments per task), and returns a <see cref="DistralAgent"/> that
/// acts with a task id. Fitting a plain environment trains one task and its π0.</para>
/// <para>Each vector step counts one step per sub-environment against the budget; progress is reported after every
/// π0 step (every vector step in soft Q-learning, every round of episodes in actor-critic).</para>
/// </remarks>
public sealed class DistralEstimator : AlgorithmEstimator<DistralOptions, DistralAgent>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "distral".</summary>
    public const string Name = "distral";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public DistralEstimator(DistralOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new DistralOptions(), callbacks) { }

    /// <inheritdoc/>
    protected override AgentEstimator<DistralAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new DistralEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override DistralAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, DistralAgent? initialAgent) =>
        FitCore(environment, TaskAssignment.SingleTask(environment.Count), monitor, initialAgent);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// If the action space is not Discrete(n) from 0, or the initial agent was trained on another number of tasks or spaces.
    /// </exception>
    protected override DistralAgent FitCore(IVectorEnvironment environment, TaskAssignment tasks, TrainingMonitor monitor, DistralAgent? initialAgent)
    {
        var o = Options;
        int actionCount = QLearning.DiscreteActionCount(environment, Name);
        var observationSpace = environment.SingleObservationSpace;
        var rng = new RandomGenerator(o.Seed);

        var model = new DistralModel(observationSpace.FlatSize, actionCount, tasks.TaskCount, o, rng);
        if (initialAgent is not null)
        {
            if (initialAgent.TaskIds.Count != tasks.TaskCount || initialAgent.Model.ObservationSize != model.ObservationSize || initialAgent.Model.ActionCount != actionCount)
                throw new ArgumentException(
                    $"{Name}: the initial agent was trained on {initialAgent.TaskIds.Count} tasks with {initialAgent.Model.ObservationSize} observation floats and {initialAgent.Model.ActionCount} actions; " +
                    $"this fit has {tasks.TaskCount} tasks, {model.ObservationSize} floats and {actionCount} actions.", nameof(initialAgent));
            foreach (var ((_, target), (_, source)) in model.Modules().Zip(initialAgent.Model.Modules()))
                target.LoadStateDict(source.StateDict());
        }
        var agent = new DistralAgent(model, observationSpace, environment.SingleActionSpace, tasks.TaskIds, o);
        return o.Framework == DistralFramework.SoftQLearning
            ? DistralSoftQ.Fit(environment, tasks, monitor, agent, initialAgent, rng)
            : DistralActorCritic.Fit(environment, tasks, monitor, agent, initialAgent, rng);
    }
}

using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// A multi-task soft actor-critic trained by the multi-task SAC harness (<see cref="MultiTaskSacEstimator"/>, and the
/// methods built on it such as <c>QmpEstimator</c>): one tanh-Gaussian policy per task, acting given a task id.
/// <see cref="Act(int, Tensor, Span{float}, bool, RandomGenerator?)"/> uses task t's policy π_t: deterministic acting
/// takes the mean action tanh(μ) rescaled to the action box, stochastic acting samples tanh(μ + σε). There is no
/// task-agnostic policy unless the method keeps a central one (DnC), so the task-free <c>Act</c> needs one.
/// </summary>
/// <remarks>
/// Checkpointable: every task's actor ("actor."), twin critics ("q1.", "q2.") and log α ("log_alpha", [T]), the central
/// policy ("central.") when there is one, and the task ids; a reloaded agent acts exactly as the saved one. The
/// optimizers' state is saved too, so <c>Fit(…, initialAgent)</c> continues training (with empty replay buffers, which
/// the first update refills to the minimum size).
/// </remarks>
public sealed class MultiTaskSacAgent : Agent<MultiTaskSacOptions>, IMultiTaskAgent
{
    private readonly string[] _taskIds;
    private readonly RandomGenerator _fallbackRng;

    internal MultiTaskSacAgent(string algorithm, MultiTaskSacModel model, Space observationSpace, Box actionSpace, IReadOnlyList<string> taskIds,
                               MultiTaskSacOptions options)
        : base(observationSpace, actionSpace, options)
    {
        Algorithm = algorithm;
        Model = model;
        _taskIds = [.. taskIds];
        _fallbackRng = new RandomGenerator(options.Seed + 7919);
    }

    /// <summary>An untrained agent for <paramref name="taskIds"/>, its networks drawn from <paramref name="rng"/>.</summary>
    internal static MultiTaskSacAgent Create(string algorithm, Space observationSpace, Box actionSpace, IReadOnlyList<string> taskIds,
                                             MultiTaskSacOptions options, RandomGenerator rng) =>
        new(algorithm, new MultiTaskSacModel(observationSpace.FlatSize, actionSpace, taskIds.Count, options, rng), observationSpace, actionSpace, taskIds, options);

    /// <summary>
    /// The agent a harness-based estimator trains (<see cref="MultiTaskSacEstimator{TOptions}"/>): a fresh one for <paramref name="tasks"/>, with the weights of
    /// <paramref name="initialAgent"/> when warm-starting. Checks the action space and the initial agent.
    /// </summary>
    /// <exception cref="ArgumentException">If the action space is not a bounded Box, or the initial agent does not fit.</exception>
    internal static MultiTaskSacAgent ForFit(string algorithm, MultiTaskSacOptions options, IVectorEnvironment environment, TaskAssignment tasks,
                                             MultiTaskSacAgent? initialAgent, RandomGenerator rng)
    {
        var actionSpace = environment.SingleActionSpace as Box is { IsBounded: true } box
            ? box
            : throw new ArgumentException($"{algorithm} needs a bounded Box action space, got {environment.SingleActionSpace.Description}.", nameof(environment));
        var agent = Create(algorithm, environment.SingleObservationSpace, actionSpace, tasks.TaskIds, options, rng);
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

    /// <summary>Rebuilds an "mt-sac" agent from a checkpoint: its options, spaces and task ids, with its weights loaded.</summary>
    /// <exception cref="InvalidDataException">If the checkpoint lists no task ids, or its options are not <see cref="MultiTaskSacOptions"/>.</exception>
    /// <exception cref="ArgumentException">If the checkpoint's action space is not a bounded Box, or its weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static MultiTaskSacAgent FromCheckpoint(CheckpointData checkpoint) => FromCheckpoint<MultiTaskSacOptions>(checkpoint);

    /// <summary>
    /// Rebuilds an agent of a method built on the harness from a checkpoint whose options are a
    /// <typeparamref name="TOptions"/> (e.g. <c>QmpOptions</c> for "qmp"), with its weights loaded.
    /// </summary>
    /// <typeparam name="TOptions">The options record the method's checkpoints store.</typeparam>
    /// <inheritdoc cref="FromCheckpoint(CheckpointData)"/>
    public static MultiTaskSacAgent FromCheckpoint<TOptions>(CheckpointData checkpoint) where TOptions : MultiTaskSacOptions
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        string algorithm = checkpoint.Metadata.Algorithm;
        var taskIds = checkpoint.Metadata.TaskIds is { Count: > 0 } ids
            ? ids
            : throw new InvalidDataException($"a {algorithm} checkpoint lists the ids of its tasks, and this one lists none.");
        var options = Validated(checkpoint.GetOptions<TOptions>());
        var actionSpace = checkpoint.Metadata.ActionSpace.ToSpace() as Box
            ?? throw new ArgumentException($"{algorithm}: the checkpoint's action space {checkpoint.Metadata.ActionSpace.Description} is not a Box.", nameof(checkpoint));
        var agent = Create(algorithm, checkpoint.Metadata.ObservationSpace.ToSpace(), actionSpace, taskIds, options, new RandomGenerator(options.Seed));
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    /// <inheritdoc/>
    public override string Algorithm { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> TaskIds => _taskIds;

    internal MultiTaskSacModel Model { get; }

    /// <summary>The current entropy temperature α of every task, in task order.</summary>
    public IReadOnlyList<float> Alphas => [.. Model.LogAlpha.AsReadOnlySpan().ToArray().Select(MathF.Exp)];

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights => AgentWeights.Collect(Model.Modules(), ("log_alpha", Model.LogAlpha));

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => AgentWeights.Load(Weights, weights, Algorithm);

    /// <summary>Acts with task <paramref name="task"/>'s policy π_t.</summary>
    /// <inheritdoc/>
    public void Act(int task, Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if ((uint)task >= (uint)_taskIds.Length)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"{Algorithm}: the task must be in [0, {_taskIds.Length - 1}] (the agent was trained on {_taskIds.Length} tasks).");
        Act(Model.Actor, task, observations, actions, deterministic, rng);
    }

    /// <summary>Acts with the central policy of a method that keeps one (DnC).</summary>
    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">If the method keeps no task-agnostic policy (the Separated, Shared, Multihead baselines and QMP).</exception>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        var central = Model.Central
            ?? throw new NotSupportedException($"{Algorithm} has one policy per task and no task-agnostic policy: act with a task id, Act(task, …), or use ForTask(task).");
        Act(central, 0, observations, actions, deterministic, rng);
    }

    /// <inheritdoc/>
    public IAgent ForTask(int task) => TaskPolicies.View(this, task);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the harness acts in Box action spaces.</exception>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => throw Discrete();

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the harness acts in Box action spaces.</exception>
    public void Act(int task, Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => throw Discrete();

    private void Act(TaskNetworks policy, int member, Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng)
    {
        AgentActing.CheckBatch(observations, Model.ObservationSize, actions.Length, Model.ActionSize, Algorithm);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var (mean, logStd) = Model.Gaussian(policy.ForwardTask(member, AgentActing.Flat(observations)));
        var chosen = deterministic
            ? Model.MeanAction(mean)
            : Model.SampleAction(mean, logStd, Tensor.RandomNormal(rng ?? _fallbackRng, mean.ShapeArray()));
        chosen.AsReadOnlySpan().CopyTo(actions);
    }

    private NotSupportedException Discrete() =>
        new($"{Algorithm} acts in continuous (Box) action spaces; this agent's is {ActionSpace}. Use the Span<float> overload of Act.");
}

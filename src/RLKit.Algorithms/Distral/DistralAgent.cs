using RLKit.Algorithms.Common;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Distral;

/// <summary>
/// A trained Distral agent: the distilled policy π0 = softmax(h0) shared by all tasks, and one policy π_i per task
/// (softmax(β′ f_i) for 1-col, softmax(α h0 + β f_i) for 2-col). <see cref="Act(int, Tensor, Span{int}, bool, RandomGenerator?)"/>
/// acts with a task's policy; the task-free <see cref="Act(Tensor, Span{int}, bool, RandomGenerator?)"/> acts with π0,
/// the policy Distral offers a task it has not seen. Deterministic acting takes the most probable action, stochastic
/// acting samples. Checkpointable: the weights are h0's under "distilled." and f_i's under "task{i}.", and the
/// checkpoint keeps the task ids.
/// </summary>
public sealed class DistralAgent : Agent<DistralOptions>, IMultiTaskAgent
{
    private readonly string[] _taskIds;
    private readonly RandomGenerator _defaultRng;

    internal DistralAgent(DistralModel model, Space observationSpace, Space actionSpace, IReadOnlyList<string> taskIds, DistralOptions options)
        : base(observationSpace, actionSpace, options)
    {
        Model = model;
        _taskIds = [.. taskIds];
        _defaultRng = new RandomGenerator(options.Seed);
    }

    /// <summary>Rebuilds an agent from a checkpoint's options, spaces and task ids, with the checkpoint's weights loaded.</summary>
    /// <exception cref="InvalidDataException">If the checkpoint lists no task ids (it was not written by a Distral agent).</exception>
    /// <exception cref="ArgumentException">If the checkpoint's action space is not Discrete, or its weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static DistralAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var taskIds = checkpoint.Metadata.TaskIds is { Count: > 0 } ids
            ? ids
            : throw new InvalidDataException("a Distral checkpoint lists the ids of its tasks, and this one lists none.");
        return Restore(checkpoint, DistralEstimator.Name, (Space observationSpace, Discrete actionSpace, DistralOptions options) =>
            new DistralAgent(new DistralModel(observationSpace.FlatSize, actionSpace.N, taskIds.Count, options, new RandomGenerator(options.Seed)),
                             observationSpace, actionSpace, taskIds, options));
    }

    /// <inheritdoc/>
    public override string Algorithm => DistralEstimator.Name;

    /// <inheritdoc/>
    public IReadOnlyList<string> TaskIds => _taskIds;

    internal DistralModel Model { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights => AgentWeights.Collect(Model.Modules());

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => AgentWeights.Load(Weights, weights, Algorithm);

    /// <summary>Acts with the distilled policy π0.</summary>
    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        AgentActing.CheckBatch(observations, Model.ObservationSize, actions.Length, 1, Algorithm);
        using var scope = TensorScope.Begin();
        using var noGrad = Autograd.GradMode.NoGrad();
        ChooseActions(Model.Distilled.Forward(AgentActing.Flat(observations)), actions, deterministic, rng ?? _defaultRng);
    }

    /// <summary>Acts with task <paramref name="task"/>'s policy π_i.</summary>
    /// <inheritdoc/>
    public void Act(int task, Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        CheckTask(task);
        AgentActing.CheckBatch(observations, Model.ObservationSize, actions.Length, 1, Algorithm);
        using var scope = TensorScope.Begin();
        using var noGrad = Autograd.GradMode.NoGrad();
        ChooseActions(Model.PolicyLogits(task, AgentActing.Flat(observations)), actions, deterministic, rng ?? _defaultRng);
    }

    /// <inheritdoc/>
    public IAgent ForTask(int task) => TaskPolicies.View(this, task);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: Distral acts in Discrete action spaces.</exception>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw Continuous();

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: Distral acts in Discrete action spaces.</exception>
    public void Act(int task, Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw Continuous();

    /// <summary>Samples (or takes the mode of) softmax(logits) row by row.</summary>
    internal static void ChooseActions(Tensor logits, Span<int> actions, bool deterministic, RandomGenerator rng)
    {
        int actionCount = logits.Dim(1);
        var values = logits.AsReadOnlySpan();
        for (int row = 0; row < actions.Length; row++)
        {
            var rowLogits = values.Slice(row * actionCount, actionCount);
            actions[row] = deterministic ? ValueTargets.Argmax(rowLogits) : Boltzmann.SampleBoltzmann(rowLogits, 1f, rng);
        }
    }

    private void CheckTask(int task)
    {
        if ((uint)task >= (uint)_taskIds.Length)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"{Algorithm}: the task must be in [0, {_taskIds.Length - 1}] (the agent was trained on {_taskIds.Length} tasks).");
    }

    private NotSupportedException Continuous() =>
        new($"{Algorithm} acts in Discrete action spaces; this agent's is {ActionSpace}. Use the Span<int> overload of Act.");
}

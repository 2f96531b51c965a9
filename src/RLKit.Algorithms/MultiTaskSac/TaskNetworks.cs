using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// T task networks of one shape behind one batched forward pass: <see cref="Forward"/> maps [T, N, in] (row block t to
/// task t's network) or [N, in] (every task's network on the same rows) to [T, N, out]. The three
/// <see cref="TaskParameterSharing"/> layouts implement it, so the learner, the agent and QMP's scoring never loop over
/// tasks: every layer is one batched GEMM over all tasks.
/// </summary>
internal abstract class TaskNetworks : Layer
{
    private protected TaskNetworks(int tasks, int inputSize, int outputSize)
    {
        Tasks = tasks;
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>T, the number of task networks.</summary>
    public int Tasks { get; }

    /// <summary>The input width of every task network.</summary>
    public int InputSize { get; }

    /// <summary>The output width of every task network.</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Every network with the given layout: [in, hidden…, out] with <paramref name="activation"/> between layers and a
    /// linear output; Xavier-uniform weights and zero biases (garage's initialisation, which the reference uses).
    /// Member t is drawn from <paramref name="rng"/> after members 0…t−1.
    /// </summary>
    public static TaskNetworks Create(TaskParameterSharing sharing, int tasks, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize,
                                      ActivationKind activation, RandomGenerator rng)
    {
        var hidden = Activation.FromKind(activation);
        TaskNetworks networks = sharing switch
        {
            TaskParameterSharing.Separate => new SeparateTaskNetworks(tasks, inputSize, hiddenSizes, outputSize, hidden, rng),
            TaskParameterSharing.Multihead => new MultiheadTaskNetworks(tasks, inputSize, hiddenSizes, outputSize, hidden, rng),
            TaskParameterSharing.Shared => new SharedTaskNetworks(tasks, inputSize, hiddenSizes, outputSize, hidden, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(sharing), sharing, "TaskNetworks: unknown sharing."),
        };
        // garage initialises biases to zero; the layers draw PyTorch's default, so clear them (the draws keep the rng's
        // stream identical to T separately built networks).
        foreach (var (name, parameter) in networks.NamedParameters())
            if (name.EndsWith("bias", StringComparison.Ordinal)) parameter.AsSpan().Clear();
        return networks;
    }

    /// <summary>[T, N, in] (row block t through task t's network) or [N, in] (every task's network on the same rows) → [T, N, out].</summary>
    /// <exception cref="ArgumentException">If the input has another shape.</exception>
    public abstract override Tensor Forward(Tensor input);

    /// <summary>
    /// Task <paramref name="task"/>'s network alone on [N, in] → [N, out]: what acting with one task needs, without
    /// running the other T − 1 members.
    /// </summary>
    public abstract Tensor ForwardTask(int task, Tensor input);

    /// <summary>Member <paramref name="task"/> of an ensemble layer as a plain linear map of [N, in].</summary>
    private protected static Tensor MemberLinear(EnsembleLinear layer, int task, Tensor input) =>
        Tensor.Linear(input, layer.Weight.Narrow(0, task, 1).Reshape(layer.OutFeatures, layer.InFeatures),
                      layer.Bias?.Narrow(0, task, 1).Reshape(layer.OutFeatures));

    /// <summary>The weight initialisation of every layer.</summary>
    private protected static Initializer WeightInit => Initializer.XavierUniform();

    /// <summary>The input as [T, N, in]: <paramref name="input"/> itself, or [N, in] repeated for every task.</summary>
    private protected Tensor PerTask(Tensor input) =>
        input.Rank == 3 ? input : Tensor.Stack(Enumerable.Repeat(input, Tasks).ToArray(), 0);

    /// <summary>Checks <paramref name="input"/> is [T, N, in] or [N, in].</summary>
    private protected void CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool ok = input.Rank switch
        {
            2 => input.Dim(1) == InputSize,
            3 => input.Dim(0) == Tasks && input.Dim(2) == InputSize,
            _ => false,
        };
        if (!ok)
            throw new ArgumentException(
                $"TaskNetworks: the input must be [{Tasks}, N, {InputSize}] or [N, {InputSize}], got {Tensor.ShapeString(input.Shape)}.", nameof(input));
    }
}

/// <summary>"Separated": T independent MLPs stored as one <see cref="EnsembleMlp"/>.</summary>
internal sealed class SeparateTaskNetworks : TaskNetworks
{
    private readonly EnsembleMlp _mlp;
    private readonly Activation _activation;

    public SeparateTaskNetworks(int tasks, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, RandomGenerator rng)
        : base(tasks, inputSize, outputSize)
    {
        _activation = activation;
        _mlp = RegisterModule("mlp", new EnsembleMlp(tasks, [inputSize, .. hiddenSizes, outputSize], rng, activation, weightInit: WeightInit));
    }

    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        return _mlp.Forward(input);
    }

    public override Tensor ForwardTask(int task, Tensor input)
    {
        var layers = _mlp.Layers;
        var h = input;
        for (int i = 0; i < layers.Count; i++)
        {
            h = MemberLinear(layers[i], task, h);
            if (i < layers.Count - 1) h = _activation.Apply(h);
        }
        return h;
    }
}

/// <summary>"Shared Multihead": one MLP trunk for every task and one linear output head per task (an <see cref="EnsembleLinear"/>).</summary>
internal sealed class MultiheadTaskNetworks : TaskNetworks
{
    private readonly Mlp _trunk;
    private readonly EnsembleLinear _heads;

    public MultiheadTaskNetworks(int tasks, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, RandomGenerator rng)
        : base(tasks, inputSize, outputSize)
    {
        _trunk = RegisterModule("trunk", new Mlp([inputSize, .. hiddenSizes], rng, activation, outputActivation: activation, weightInit: WeightInit));
        _heads = RegisterModule("heads", new EnsembleLinear(tasks, hiddenSizes[^1], outputSize, rng, weightInit: WeightInit));
    }

    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        if (input.Rank == 2) return _heads.Forward(_trunk.Forward(input));
        // The trunk is the same for every task: run it once over all T·N rows, then give row block t to head t.
        int rows = input.Dim(1);
        var features = _trunk.Forward(input.Reshape(Tasks * rows, InputSize));
        return _heads.Forward(features.Reshape(Tasks, rows, features.Dim(1)));
    }

    public override Tensor ForwardTask(int task, Tensor input) => MemberLinear(_heads, task, _trunk.Forward(input));
}

/// <summary>"Shared": one MLP for every task, fed the input with the task's one-hot id appended.</summary>
internal sealed class SharedTaskNetworks : TaskNetworks
{
    private readonly Mlp _mlp;

    public SharedTaskNetworks(int tasks, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, RandomGenerator rng)
        : base(tasks, inputSize, outputSize) =>
        _mlp = RegisterModule("mlp", new Mlp([inputSize + tasks, .. hiddenSizes, outputSize], rng, activation, weightInit: WeightInit));

    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        var perTask = PerTask(input);
        int rows = perTask.Dim(1);
        var oneHot = Tensor.Zeros(Tasks, rows, Tasks);
        var ids = oneHot.AsSpan();
        for (int t = 0; t < Tasks; t++)
            for (int r = 0; r < rows; r++) ids[(t * rows + r) * Tasks + t] = 1f;
        var conditioned = Tensor.Concat([perTask, oneHot], 2);
        return _mlp.Forward(conditioned.Reshape(Tasks * rows, InputSize + Tasks)).Reshape(Tasks, rows, OutputSize);
    }

    public override Tensor ForwardTask(int task, Tensor input)
    {
        int rows = input.Dim(0);
        var oneHot = Tensor.Zeros(rows, Tasks);
        var ids = oneHot.AsSpan();
        for (int r = 0; r < rows; r++) ids[r * Tasks + task] = 1f;
        return _mlp.Forward(Tensor.Concat([input, oneHot], 1));
    }
}

using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>How <see cref="TaskNetworks"/> stores its T networks: the three sharings, and the pre-ensemble reference.</summary>
internal enum TaskNetworkLayout
{
    /// <summary><see cref="TaskParameterSharing.Separate"/>: one <see cref="EnsembleMlp"/>.</summary>
    Separate,

    /// <summary><see cref="TaskParameterSharing.Shared"/>: one MLP on input ⊕ one-hot task id.</summary>
    Shared,

    /// <summary><see cref="TaskParameterSharing.Multihead"/>: a shared trunk and an <see cref="EnsembleLinear"/> of heads.</summary>
    Multihead,

    /// <summary>
    /// T separate <see cref="Mlp"/>s run one after the other: the layout before the ensemble layer, with the same
    /// initial weights as <see cref="Separate"/>; kept as the reference the ensemble is tested and benchmarked against.
    /// </summary>
    LoopedSeparate,
}

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

    private TaskNetworkLayout _layout;
    private IReadOnlyList<int> _hiddenSizes = [];
    private ActivationKind _activation;

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
                                      ActivationKind activation, RandomGenerator rng) =>
        Create(LayoutOf(sharing), tasks, inputSize, hiddenSizes, outputSize, activation, rng);

    /// <inheritdoc cref="Create(TaskParameterSharing, int, int, IReadOnlyList{int}, int, ActivationKind, RandomGenerator)"/>
    public static TaskNetworks Create(TaskNetworkLayout layout, int tasks, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize,
                                      ActivationKind activation, RandomGenerator rng)
    {
        var hidden = Activation.FromKind(activation);
        TaskNetworks networks = layout switch
        {
            TaskNetworkLayout.Separate => new SeparateTaskNetworks(tasks, inputSize, hiddenSizes, outputSize, hidden, rng),
            TaskNetworkLayout.Multihead => new MultiheadTaskNetworks(tasks, inputSize, hiddenSizes, outputSize, hidden, rng),
            TaskNetworkLayout.Shared => new SharedTaskNetworks(tasks, inputSize, hiddenSizes, outputSize, hidden, rng),
            TaskNetworkLayout.LoopedSeparate => new LoopedTaskNetworks(tasks, inputSize, hiddenSizes, outputSize, hidden, rng),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "TaskNetworks: unknown layout."),
        };
        (networks._layout, networks._hiddenSizes, networks._activation) = (layout, hiddenSizes, activation);
        // garage initialises biases to zero; the layers draw PyTorch's default, so clear them (the draws keep the rng's
        // stream identical to T separately built networks).
        foreach (var (name, parameter) in networks.NamedParameters())
            if (name.EndsWith("bias", StringComparison.Ordinal)) parameter.AsSpan().Clear();
        return networks;
    }

    /// <summary>The layout that implements <paramref name="sharing"/>.</summary>
    public static TaskNetworkLayout LayoutOf(TaskParameterSharing sharing) => sharing switch
    {
        TaskParameterSharing.Separate => TaskNetworkLayout.Separate,
        TaskParameterSharing.Shared => TaskNetworkLayout.Shared,
        TaskParameterSharing.Multihead => TaskNetworkLayout.Multihead,
        _ => throw new ArgumentOutOfRangeException(nameof(sharing), sharing, "TaskNetworks: unknown sharing."),
    };

    /// <summary>Networks of the same layout and shape holding a copy of these weights (a target network).</summary>
    public TaskNetworks CloneAsTarget(RandomGenerator rng)
    {
        var clone = Create(_layout, Tasks, InputSize, _hiddenSizes, OutputSize, _activation, rng);
        clone.CopyFrom(this);
        return clone;
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

/// <summary>
/// The pre-ensemble layout (<see cref="TaskNetworkLayout.LoopedSeparate"/>): T <see cref="Mlp"/>s, one small GEMM chain
/// per task. Built from the generator exactly as <see cref="SeparateTaskNetworks"/> is, so both hold the same weights.
/// </summary>
internal sealed class LoopedTaskNetworks : TaskNetworks
{
    private readonly Mlp[] _mlps;

    public LoopedTaskNetworks(int tasks, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, RandomGenerator rng)
        : base(tasks, inputSize, outputSize)
    {
        _mlps = new Mlp[tasks];
        for (int t = 0; t < tasks; t++)
            _mlps[t] = RegisterModule(t.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                      new Mlp([inputSize, .. hiddenSizes, outputSize], rng, activation, weightInit: WeightInit));
    }

    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        var outputs = new Tensor[Tasks];
        for (int t = 0; t < Tasks; t++) outputs[t] = ForwardTask(t, input.Rank == 2 ? input : input.Narrow(0, t, 1).Reshape(input.Dim(1), InputSize));
        return Tensor.Stack(outputs, 0);
    }

    public override Tensor ForwardTask(int task, Tensor input) => _mlps[task].Forward(input);
}

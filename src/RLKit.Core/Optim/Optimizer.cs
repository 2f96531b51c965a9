using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>
/// Base of the first-order optimizers: holds the parameters, the learning rate, per-parameter step counts
/// and named per-parameter state tensors (moments, momentum buffers) that a checkpoint can save and restore.
/// </summary>
/// <remarks>
/// <para>
/// All state is allocated once, outside any <see cref="RLKit.Tensors.TensorScope"/>, when the optimizer is
/// built; a steady-state <see cref="Step"/> allocates nothing. Updates are applied outside autograd, in place.
/// </para>
/// <para>
/// Parameters whose <see cref="Tensor.Grad"/> is null are skipped by <see cref="Step"/> and their step count
/// does not advance (PyTorch semantics).
/// </para>
/// </remarks>
public abstract class Optimizer
{
    private const string StepKey = "step";
    private const string LearningRateKey = "lr";
    private const double StepSplit = 1 << 24;

    private readonly Tensor[] _parameters;
    private readonly long[] _steps;
    private readonly List<(string Name, Tensor[] Buffers)> _state = new();
    private float _learningRate;

    /// <summary>Validates the parameters and learning rate and allocates the scratch space.</summary>
    /// <param name="parameters">Leaf tensors that require gradients (for example <c>module.Parameters()</c>).</param>
    /// <param name="learningRate">The step size; must be positive and finite.</param>
    /// <exception cref="ArgumentException">If the list is empty, repeats a tensor, or holds a non-leaf or a tensor that does not require gradients.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        string name = GetType().Name;
        if (_parameters.Length == 0)
            throw new ArgumentException($"{name}: the parameter list is empty.", nameof(parameters));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        int maxSize = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i] ?? throw new ArgumentException($"{name}: parameter {i} is null.", nameof(parameters));
            if (!p.IsLeaf)
                throw new ArgumentException($"{name}: parameter {i} (shape {Tensor.ShapeString(p.Shape)}) is the output of op '{p.OpName}', not a leaf; optimizers update leaves only.", nameof(parameters));
            if (!p.RequiresGrad)
                throw new ArgumentException($"{name}: parameter {i} (shape {Tensor.ShapeString(p.Shape)}) does not require gradients; set RequiresGrad = true or leave it out.", nameof(parameters));
            if (!seen.Add(p))
                throw new ArgumentException($"{name}: parameter {i} appears more than once in the parameter list.", nameof(parameters));
            maxSize = Math.Max(maxSize, p.Size);
        }
        _steps = new long[_parameters.Length];
        LearningRate = learningRate;
        ScratchA = new float[maxSize];
        ScratchB = new float[maxSize];
    }

    /// <summary>The parameters this optimizer updates, in the order given to the constructor.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The step size used by the next <see cref="Step"/>; schedules set it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the value is not positive and finite.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            RequirePositive(value, nameof(LearningRate), "learning rate");
            _learningRate = value;
        }
    }

    /// <summary>How many updates parameter <paramref name="index"/> has received.</summary>
    public long StepCount(int index) => _steps[index];

    /// <summary>Scratch of the largest parameter's size, reused by every update (never part of the state).</summary>
    private protected float[] ScratchA { get; }

    /// <summary>A second scratch buffer of the largest parameter's size.</summary>
    private protected float[] ScratchB { get; }

    /// <summary>
    /// Registers a named per-parameter state slot (zero-initialised, persistent, same shapes as the parameters).
    /// Its tensors appear in <see cref="StateDict"/> as "<paramref name="name"/>.i".
    /// </summary>
    private protected Tensor[] AddState(string name)
    {
        var buffers = new Tensor[_parameters.Length];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = Tensor.AllocatePersistent(_parameters[i].ShapeArray());
        _state.Add((name, buffers));
        return buffers;
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void Step()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var grad = p.Grad;
            if (grad is null) continue;
            Update(i, p.AsSpan(), grad.AsReadOnlySpan(), ++_steps[i]);
        }
    }

    /// <summary>
    /// Updates parameter <paramref name="index"/> in place given its gradient and its 1-based step count.
    /// </summary>
    private protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient, long step);

    /// <summary>
    /// Clears the gradients of all parameters. By default zeroes them in place (no allocation); with
    /// <paramref name="setToNone"/> drops them, so parameters that receive no gradient before the next
    /// <see cref="Step"/> are skipped by it.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (var p in _parameters)
        {
            if (setToNone) p.Grad = null;
            else p.ZeroGrad();
        }
    }

    /// <summary>
    /// A copy of the optimizer state as named tensors: every state slot as "name.i" (for example
    /// "exp_avg.3"), the per-parameter step counts as "step" (shape [n, 2], the count split as
    /// high·2²⁴ + low so that float32 holds it exactly), and the learning rate as "lr".
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, buffers) in _state)
            for (int i = 0; i < buffers.Length; i++)
            {
                var copy = Tensor.AllocatePersistent(buffers[i].ShapeArray());
                buffers[i].AsReadOnlySpan().CopyTo(copy.AsSpan());
                dict[$"{name}.{i}"] = copy;
            }
        var steps = Tensor.AllocatePersistent([_steps.Length, 2]);
        var s = steps.AsSpan();
        for (int i = 0; i < _steps.Length; i++)
        {
            s[2 * i] = (float)Math.Floor(_steps[i] / StepSplit);
            s[2 * i + 1] = (float)(_steps[i] % (long)StepSplit);
        }
        dict[StepKey] = steps;
        var lr = Tensor.AllocatePersistent([]);
        lr.AsSpan()[0] = _learningRate;
        dict[LearningRateKey] = lr;
        return dict;
    }

    /// <summary>Restores state saved by <see cref="StateDict"/> from an optimizer of the same kind over parameters of the same shapes.</summary>
    /// <exception cref="ArgumentException">If an entry is missing or has the wrong shape; nothing is changed then.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string type = GetType().Name;
        // Validate everything first so that a bad checkpoint leaves the optimizer untouched.
        foreach (var (name, buffers) in _state)
            for (int i = 0; i < buffers.Length; i++)
                RequireEntry(state, $"{name}.{i}", buffers[i].Shape, type);
        RequireEntry(state, StepKey, [_steps.Length, 2], type);
        if (state.TryGetValue(LearningRateKey, out var lrTensor) && lrTensor.Size != 1)
            throw new ArgumentException($"{type}.LoadStateDict: entry '{LearningRateKey}' must hold one value, got shape {Tensor.ShapeString(lrTensor.Shape)}.", nameof(state));
        var stepData = state[StepKey].AsReadOnlySpan();
        for (int i = 0; i < _steps.Length; i++)
            if (!(stepData[2 * i] >= 0) || !(stepData[2 * i + 1] >= 0) || stepData[2 * i + 1] >= StepSplit)
                throw new ArgumentException($"{type}.LoadStateDict: entry '{StepKey}' row {i} ({stepData[2 * i]}, {stepData[2 * i + 1]}) is not a valid step count.", nameof(state));

        foreach (var (name, buffers) in _state)
            for (int i = 0; i < buffers.Length; i++)
                state[$"{name}.{i}"].AsReadOnlySpan().CopyTo(buffers[i].AsSpan());
        for (int i = 0; i < _steps.Length; i++)
            _steps[i] = (long)stepData[2 * i] * (long)StepSplit + (long)stepData[2 * i + 1];
        if (lrTensor is not null) LearningRate = lrTensor.AsReadOnlySpan()[0];
    }

    private static void RequireEntry(IReadOnlyDictionary<string, Tensor> state, string key, ReadOnlySpan<int> shape, string type)
    {
        if (!state.TryGetValue(key, out var tensor) || tensor is null)
            throw new ArgumentException($"{type}.LoadStateDict: the state has no entry '{key}'. Was it saved from a {type} over the same parameters?", nameof(state));
        if (!tensor.Shape.SequenceEqual(shape))
            throw new ArgumentException($"{type}.LoadStateDict: entry '{key}' has shape {Tensor.ShapeString(tensor.Shape)}, expected {Tensor.ShapeString(shape)}.", nameof(state));
    }

    // ----------------------------------------------------------------------------------------
    // Option validation shared by the optimizers
    // ----------------------------------------------------------------------------------------

    private protected static void RequirePositive(float value, string paramName, string what)
    {
        if (!(value > 0) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(paramName, value, $"The {what} must be positive and finite (in (0, ∞)).");
    }

    private protected static void RequireNonNegative(float value, string paramName, string what)
    {
        if (!(value >= 0) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(paramName, value, $"The {what} must be finite and non-negative (in [0, ∞)).");
    }

    private protected static void RequireUnitInterval(float value, string paramName, string what)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(paramName, value, $"The {what} must lie in [0, 1).");
    }

    /// <summary>Writes g + weightDecay·p into <paramref name="scratch"/> when decay is on; returns the gradient to use.</summary>
    private protected static ReadOnlySpan<float> WithL2(ReadOnlySpan<float> gradient, ReadOnlySpan<float> parameter, float weightDecay, Span<float> scratch)
    {
        if (weightDecay == 0f) return gradient;
        TensorPrimitives.FusedMultiplyAdd(parameter, weightDecay, gradient, scratch);
        return scratch;
    }
}

using System.Collections.ObjectModel;
using System.Text;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// A neural-network building block: owns trainable parameters, non-trainable buffers (such as running
/// statistics) and child modules, all under stable names, and switches between training and evaluation mode.
/// </summary>
/// <remarks>
/// <para>
/// Names are local ("weight", "0", "trunk"); the full name of a tensor joins the path with dots
/// ("trunk.0.weight"), as in PyTorch, so state dictionaries line up with PyTorch checkpoints of the same model.
/// Everything is enumerated in registration order, which makes <see cref="Parameters"/> and
/// <see cref="StateDict"/> deterministic.
/// </para>
/// <para>
/// Parameters and buffers are persistent: a module built inside a <see cref="TensorScope"/> survives the scope.
/// </para>
/// </remarks>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = new();
    private readonly List<KeyValuePair<string, Tensor>> _buffers = new();
    private readonly List<KeyValuePair<string, Module>> _children = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>True in training mode (the default), false in evaluation mode; see <see cref="Train"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>
    /// Registers a trainable parameter under <paramref name="name"/>. The tensor is marked
    /// <see cref="Tensor.RequiresGrad"/>; if it is scoped, pooled, a view or computed by an op, a persistent
    /// leaf copy is registered instead.
    /// </summary>
    /// <returns>The registered tensor (use it, not the argument, in the forward pass).</returns>
    /// <exception cref="ArgumentException">If the name is empty, contains a dot, or is already taken.</exception>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ClaimName(name);
        var parameter = Persistent(tensor);
        parameter.RequiresGrad = true;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>
    /// Registers non-trainable state (for example running statistics) under <paramref name="name"/>.
    /// Buffers are saved in <see cref="StateDict"/> but never returned by <see cref="Parameters"/>.
    /// </summary>
    /// <returns>The registered (persistent) tensor.</returns>
    /// <exception cref="ArgumentException">If the name is empty, contains a dot, or is already taken.</exception>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ClaimName(name);
        var buffer = Persistent(tensor);
        buffer.RequiresGrad = false;
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its tensors appear as "name.…".</summary>
    /// <returns>The child, for chaining in constructors.</returns>
    /// <exception cref="ArgumentException">If the name is empty, contains a dot, or is already taken, or the child is this module.</exception>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        if (ReferenceEquals(module, this))
            throw new ArgumentException($"RegisterModule: module '{name}' cannot be registered as its own child.", nameof(module));
        ClaimName(name);
        _children.Add(new(name, module));
        module.SetTraining(IsTraining);
        return module;
    }

    private void ClaimName(string name)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("A parameter, buffer or child module name must be non-empty.", nameof(name));
        if (name.Contains('.'))
            throw new ArgumentException($"The name '{name}' contains a dot; dots separate path segments in full names.", nameof(name));
        if (!_names.Add(name))
            throw new ArgumentException($"The name '{name}' is already used by a parameter, buffer or child of {GetType().Name}.", nameof(name));
    }

    private static Tensor Persistent(Tensor tensor)
    {
        bool ownsStorage = ReferenceEquals(tensor.Owner, tensor);
        if (tensor.Scope is null && !tensor.Pooled && ownsStorage && tensor.IsLeaf) return tensor;
        var copy = Tensor.AllocatePersistent(tensor.ShapeArray());
        copy.CopyFrom(tensor);
        return copy;
    }

    /// <summary>The direct children, in registration order.</summary>
    public IEnumerable<Module> Children()
    {
        foreach (var child in _children) yield return child.Value;
    }

    /// <summary>The direct children with their local names, in registration order.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children.AsReadOnly();

    /// <summary>
    /// Every trainable parameter of this module and its descendants: own parameters first, then each child's
    /// in registration order. A tensor shared between modules appears once.
    /// </summary>
    public IEnumerable<Tensor> Parameters()
    {
        foreach (var named in NamedParameters()) yield return named.Value;
    }

    /// <summary>Every trainable parameter with its dotted full name (for example "trunk.0.weight"); shared tensors appear once.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var named in Walk(includeParameters: true, includeBuffers: false))
            if (seen.Add(named.Value)) yield return named;
    }

    /// <summary>Every buffer (non-trainable state) with its dotted full name.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers() => Walk(includeParameters: false, includeBuffers: true);

    private IEnumerable<KeyValuePair<string, Tensor>> Walk(bool includeParameters, bool includeBuffers, string prefix = "")
    {
        if (includeParameters)
            foreach (var p in _parameters) yield return new(prefix + p.Key, p.Value);
        if (includeBuffers)
            foreach (var b in _buffers) yield return new(prefix + b.Key, b.Value);
        foreach (var child in _children)
            foreach (var named in child.Value.Walk(includeParameters, includeBuffers, prefix + child.Key + "."))
                yield return named;
    }

    /// <summary>The number of trainable scalars (shared tensors counted once).</summary>
    public int ParameterCount
    {
        get
        {
            long count = 0;
            foreach (var p in Parameters()) count += p.Size;
            return checked((int)count);
        }
    }

    /// <summary>Switches this module and all descendants to training (<paramref name="training"/> = true) or evaluation mode.</summary>
    /// <returns>This module.</returns>
    public Module Train(bool training = true)
    {
        SetTraining(training);
        return this;
    }

    /// <summary>Switches this module and all descendants to evaluation mode (dropout off, running statistics used).</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    private void SetTraining(bool training)
    {
        IsTraining = training;
        foreach (var child in _children) child.Value.SetTraining(training);
    }

    /// <summary>Clears the accumulated gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>
    /// The module's state: every parameter, then every buffer, of each module in turn (own tensors before the
    /// children's), keyed by dotted full name. The tensors are the live ones, not copies.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        CollectState(state, "");
        return new ReadOnlyDictionary<string, Tensor>(state);
    }

    private void CollectState(OrderedDictionary<string, Tensor> state, string prefix)
    {
        foreach (var p in _parameters) state.TryAdd(prefix + p.Key, p.Value);
        foreach (var b in _buffers) state.TryAdd(prefix + b.Key, b.Value);
        foreach (var child in _children) child.Value.CollectState(state, prefix + child.Key + ".");
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers (outside autograd).
    /// </summary>
    /// <param name="state">Tensors keyed by dotted full name, as produced by <see cref="StateDict"/>.</param>
    /// <param name="strict">
    /// When true, every key of this module must be present and no other key may appear. Shape mismatches are
    /// errors either way. Nothing is copied unless the whole dictionary is valid.
    /// </param>
    /// <exception cref="ArgumentException">Naming the missing keys, unexpected keys and shape mismatches.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var (name, tensor) in own)
        {
            if (!state.TryGetValue(name, out var source)) { missing.Add(name); continue; }
            if (source is null || !source.Shape.SequenceEqual(tensor.Shape))
                mismatched.Add($"'{name}': expected {Tensor.ShapeString(tensor.Shape)}, got {(source is null ? "null" : Tensor.ShapeString(source.Shape))}");
        }
        var unexpected = new List<string>();
        foreach (var name in state.Keys)
            if (!own.ContainsKey(name)) unexpected.Add(name);

        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var message = new StringBuilder($"LoadStateDict: the state does not fit {GetType().Name}.");
            if (missing.Count > 0) message.Append(" Missing keys: ").Append(string.Join(", ", missing.Select(k => $"'{k}'"))).Append('.');
            if (unexpected.Count > 0) message.Append(" Unexpected keys: ").Append(string.Join(", ", unexpected.Select(k => $"'{k}'"))).Append('.');
            if (mismatched.Count > 0) message.Append(" Shape mismatches: ").Append(string.Join("; ", mismatched)).Append('.');
            throw new ArgumentException(message.ToString(), nameof(state));
        }

        foreach (var (name, tensor) in own)
            if (state.TryGetValue(name, out var source)) tensor.CopyFrom(source);
    }

    /// <summary>Copies every parameter and buffer value from <paramref name="source"/>, which must have the same architecture.</summary>
    /// <exception cref="ArgumentException">If the names or shapes differ; the message names them.</exception>
    public void CopyFrom(Module source)
    {
        ArgumentNullException.ThrowIfNull(source);
        LoadStateDict(source.StateDict(), strict: true);
    }

    /// <summary>A one-line summary: type and number of trainable scalars.</summary>
    public override string ToString() => $"{GetType().Name}({ParameterCount} parameters)";
}

/// <summary>A module with one tensor input and one tensor output.</summary>
public abstract class Layer : Module
{
    /// <summary>Computes the module's output for <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);
}

using System.Runtime.CompilerServices;

namespace RLKit.Tensors;

/// <summary>
/// Releases the tensors created on this thread while it is active, returning their storage to a per-thread
/// pool so that a training step allocates (almost) nothing once warmed up.
/// </summary>
/// <remarks>
/// <para>
/// Use one scope per training step: <c>using (var scope = TensorScope.Begin()) { ...forward, backward, step... }</c>.
/// After the scope ends, its tensors are released and touching them throws <see cref="ObjectDisposedException"/>.
/// Call <see cref="Keep"/> on a result that must outlive the scope; it moves to the enclosing scope, or to the
/// garbage collector when there is none. Parameters, their gradients and optimizer state are never scoped.
/// </para>
/// <para>Scopes are thread-bound and nest; dispose them in reverse order on the thread that began them.</para>
/// </remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? t_current;

    private readonly List<Tensor> _tensors = new();
    private readonly TensorScope? _outer;
    private bool _disposed;

    private TensorScope(TensorScope? outer) => _outer = outer;

    internal static TensorScope? Current => t_current;

    /// <summary>Begins a scope on this thread.</summary>
    public static TensorScope Begin() => t_current = new TensorScope(t_current);

    internal static void Register(Tensor tensor) => t_current?.Add(tensor);

    internal void Add(Tensor tensor)
    {
        tensor.Scope = this;
        _tensors.Add(tensor);
    }

    /// <summary>Moves <paramref name="tensor"/> (and the storage it views) out of the scope that holds it.</summary>
    /// <returns>The same tensor, for chaining.</returns>
    public static Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        MoveOut(tensor);
        if (!ReferenceEquals(tensor.Owner, tensor)) MoveOut(tensor.Owner);
        return tensor;
    }

    private static void MoveOut(Tensor tensor)
    {
        var scope = tensor.Scope;
        if (scope is null) return;
        tensor.Scope = null;
        scope._outer?.Add(tensor);
    }

    /// <summary>Releases every tensor still held by the scope and restores the enclosing scope.</summary>
    [MethodImpl(HotPath.Optimized)]
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!ReferenceEquals(t_current, this))
            throw new InvalidOperationException("TensorScopes must be disposed in reverse order of creation, on the thread that began them.");
        t_current = _outer;
        foreach (var tensor in _tensors)
        {
            if (!ReferenceEquals(tensor.Scope, this)) continue; // kept
            tensor.Scope = null;
            if (tensor.IsReleased) continue;
            if (tensor.Pooled && ReferenceEquals(tensor.Owner, tensor)) BufferPool.Return(tensor.Data);
            tensor.Node = null;
            tensor.Release();
        }
        _tensors.Clear();
    }
}

using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Base class of environment wrappers (Gymnasium's <c>gymnasium.Wrapper</c>): every member forwards to
/// <see cref="Inner"/> unless overridden. Disposing the wrapper disposes the inner environment.
/// </summary>
public abstract class Wrapper : IEnvironment
{
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException">If <paramref name="inner"/> is null.</exception>
    protected Wrapper(IEnvironment inner)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
    }

    /// <summary>The wrapped environment.</summary>
    public IEnvironment Inner { get; }

    /// <summary>The innermost environment below any chain of wrappers.</summary>
    public IEnvironment Unwrapped
    {
        get
        {
            IEnvironment env = Inner;
            while (env is Wrapper w) env = w.Inner;
            return env;
        }
    }

    /// <inheritdoc/>
    public virtual string Id => Inner.Id;

    /// <inheritdoc/>
    public virtual Space ObservationSpace => Inner.ObservationSpace;

    /// <inheritdoc/>
    public virtual Space ActionSpace => Inner.ActionSpace;

    /// <inheritdoc/>
    public virtual ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null) => Inner.Reset(seed, options);

    /// <inheritdoc/>
    public virtual StepResult Step(int action) => Inner.Step(action);

    /// <inheritdoc/>
    public virtual StepResult Step(ReadOnlySpan<float> action) => Inner.Step(action);

    /// <inheritdoc/>
    public virtual StepResult Step(ReadOnlySpan<int> action) => Inner.Step(action);

    /// <summary>Disposes the inner environment (once).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the wrapper's resources; the base disposes <see cref="Inner"/>.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
    }
}

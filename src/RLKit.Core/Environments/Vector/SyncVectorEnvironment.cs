using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Environments.Vector;

/// <summary>
/// Steps its sub-environments one after another on the calling thread (Gymnasium's <c>SyncVectorEnv</c>). Best for
/// cheap environments, where handing work to other threads costs more than the step itself.
/// </summary>
public sealed class SyncVectorEnvironment : IVectorEnvironment
{
    private readonly VectorEnvironmentCore _core;
    private bool _disposed;

    /// <summary>Batches <paramref name="envs"/> (distinct instances with identical spaces); disposing this disposes them.</summary>
    /// <exception cref="ArgumentException">If the list is empty, holds null or the same instance twice, or the spaces differ.</exception>
    public SyncVectorEnvironment(IReadOnlyList<IEnvironment> envs, AutoresetMode mode = AutoresetMode.NextStep)
    {
        _core = new VectorEnvironmentCore(envs, mode, nameof(SyncVectorEnvironment));
    }

    /// <inheritdoc/>
    public int Count => _core.Count;

    /// <summary>The sub-environments, in order.</summary>
    public IReadOnlyList<IEnvironment> Environments => _core.Environments;

    /// <inheritdoc/>
    public Space SingleObservationSpace => _core.SingleObservationSpace;

    /// <inheritdoc/>
    public Space SingleActionSpace => _core.SingleActionSpace;

    /// <inheritdoc/>
    public AutoresetMode AutoresetMode => _core.Mode;

    /// <inheritdoc/>
    public Tensor Observations => _core.Observations;

    /// <inheritdoc/>
    public ReadOnlySpan<bool> ActionMasks => _core.ActionMasks;

    /// <inheritdoc/>
    public VectorResetResult Reset(ulong? seed = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _core.PrepareReset(seed);
        RunAll();
        return _core.ResetResult();
    }

    /// <inheritdoc/>
    public VectorStepResult Step(ReadOnlySpan<int> actions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _core.PrepareStep(actions);
        RunAll();
        return _core.StepResult();
    }

    /// <inheritdoc/>
    public VectorStepResult Step(ReadOnlySpan<float> actions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _core.PrepareStep(actions);
        RunAll();
        return _core.StepResult();
    }

    private void RunAll()
    {
        bool succeeded = false;
        try
        {
            _core.Run(0, _core.Count);
            succeeded = true;
        }
        finally
        {
            _core.Complete(succeeded);
        }
    }

    /// <summary>Disposes every sub-environment.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _core.DisposeEnvironments();
    }
}

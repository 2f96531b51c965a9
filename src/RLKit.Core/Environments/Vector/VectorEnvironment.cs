using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Environments.Vector;

/// <summary>
/// What every vector environment shares: the batched buffers, autoreset bookkeeping and validation (in an internal
/// core), and the <see cref="IVectorEnvironment"/> surface. Subclasses only decide which thread steps which
/// sub-environments.
/// </summary>
public abstract class VectorEnvironment : IVectorEnvironment
{
    private bool _disposed;

    private protected VectorEnvironment(IReadOnlyList<IEnvironment> envs, AutoresetMode mode, string kind) =>
        Core = new VectorEnvironmentCore(envs, mode, kind);

    private protected VectorEnvironmentCore Core { get; }

    /// <inheritdoc/>
    public int Count => Core.Count;

    /// <summary>The sub-environments, in order.</summary>
    public IReadOnlyList<IEnvironment> Environments => Core.Environments;

    /// <inheritdoc/>
    public Space SingleObservationSpace => Core.SingleObservationSpace;

    /// <inheritdoc/>
    public Space SingleActionSpace => Core.SingleActionSpace;

    /// <inheritdoc/>
    public AutoresetMode AutoresetMode => Core.Mode;

    /// <inheritdoc/>
    public bool NeedsReset => !Core.Started;

    /// <inheritdoc/>
    public Tensor Observations => Core.Observations;

    /// <inheritdoc/>
    public ReadOnlySpan<bool> ActionMasks => Core.ActionMasks;

    /// <inheritdoc/>
    public ulong? Seed { get; private set; }

    /// <inheritdoc/>
    public VectorResetResult Reset(ulong? seed = null) => Reset(seed, recordSeed: true);

    /// <summary>
    /// Resets like <see cref="Reset(ulong?)"/>; with <paramref name="recordSeed"/> false the seed is not recorded as
    /// <see cref="Seed"/>, so a trainer's own reset (with the algorithm's seed) does not become the seed every later
    /// <c>Fit</c> on this environment starts from.
    /// </summary>
    internal VectorResetResult Reset(ulong? seed, bool recordSeed)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Core.PrepareReset(seed);
        RunAll();
        if (seed is not null && recordSeed) Seed = seed;
        return Core.ResetResult();
    }

    /// <inheritdoc/>
    public VectorStepResult Step(ReadOnlySpan<int> actions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Core.PrepareStep(actions);
        RunAll();
        return Core.StepResult();
    }

    /// <inheritdoc/>
    public VectorStepResult Step(ReadOnlySpan<float> actions)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Core.PrepareStep(actions);
        RunAll();
        return Core.StepResult();
    }

    /// <summary>Runs the prepared reset or step on every sub-environment, then completes it on the core.</summary>
    private protected abstract void RunAll();

    /// <summary>Releases what the subclass owns (worker threads) before the sub-environments are disposed.</summary>
    private protected virtual void DisposeWorkers() { }

    /// <summary>Disposes every sub-environment (after stopping any worker threads).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeWorkers();
        Core.DisposeEnvironments();
        GC.SuppressFinalize(this);
    }
}

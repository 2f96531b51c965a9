using System.Runtime.ExceptionServices;

namespace RLKit.Environments.Vector;

/// <summary>
/// Steps its sub-environments on long-lived worker threads, each owning a contiguous chunk (the calling thread runs
/// the first chunk itself). The role of Gymnasium's <c>AsyncVectorEnv</c>, but in-process: no pickling, the same
/// observation tensor, and results bit-for-bit equal to <see cref="SyncVectorEnvironment"/>, because every
/// sub-environment writes only its own rows. Worth it when one step of a sub-environment costs more than a thread
/// hand-off (a few microseconds).
/// </summary>
/// <remarks>
/// Sub-environments must not share mutable state, since they step concurrently. Dispose the vector environment:
/// its worker threads (background threads, blocked while idle) live until then.
/// </remarks>
public sealed class ParallelVectorEnvironment : VectorEnvironment
{
    private readonly (int Start, int End)[] _chunks;
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _startSignals;
    private readonly Exception?[] _failures;
    private readonly ManualResetEventSlim _allDone = new(false);
    private int _remaining;
    private volatile bool _stopping;

    /// <summary>
    /// Batches <paramref name="envs"/> on <paramref name="workerCount"/> threads including the caller (0 means
    /// min(env count, processor count)); disposing this stops the workers and disposes the environments.
    /// </summary>
    /// <exception cref="ArgumentException">If the list is empty, holds null or the same instance twice, or the spaces differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="workerCount"/> is negative.</exception>
    public ParallelVectorEnvironment(IReadOnlyList<IEnvironment> envs, AutoresetMode mode = AutoresetMode.SameStep, int workerCount = 0)
        : base(envs, mode, nameof(ParallelVectorEnvironment))
    {
        if (workerCount < 0)
            throw new ArgumentOutOfRangeException(nameof(workerCount), workerCount, "ParallelVectorEnvironment: workerCount must be ≥ 0 (0 = automatic).");
        int n = Core.Count;
        int workers = Math.Clamp(workerCount == 0 ? Environment.ProcessorCount : workerCount, 1, n);
        _chunks = new (int, int)[workers];
        for (int w = 0; w < workers; w++) _chunks[w] = (w * n / workers, (w + 1) * n / workers);
        _failures = new Exception?[workers];
        _startSignals = new SemaphoreSlim[workers];
        _threads = new Thread[workers];
        for (int w = 1; w < workers; w++)
        {
            _startSignals[w] = new SemaphoreSlim(0);
            int worker = w;
            _threads[w] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"RLKit vector env worker {w}" };
            _threads[w].Start();
        }
    }

    /// <summary>The number of threads that step sub-environments, including the caller's.</summary>
    public int WorkerCount => _chunks.Length;

    private protected override void RunAll()
    {
        int workers = _chunks.Length;
        if (workers > 1)
        {
            _allDone.Reset();
            Volatile.Write(ref _remaining, workers - 1);
            for (int w = 1; w < workers; w++) _startSignals[w].Release();
        }
        try
        {
            Core.Run(_chunks[0].Start, _chunks[0].End);
        }
        catch (Exception e)
        {
            _failures[0] = e;
        }
        if (workers > 1) _allDone.Wait();

        Exception? failure = null;
        for (int w = 0; w < workers; w++)
        {
            failure ??= _failures[w];
            _failures[w] = null;
        }
        Core.Complete(failure is null);
        if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
    }

    private void WorkerLoop(int worker)
    {
        var signal = _startSignals[worker];
        while (true)
        {
            signal.Wait();
            if (_stopping) return;
            try
            {
                Core.Run(_chunks[worker].Start, _chunks[worker].End);
            }
            catch (Exception e)
            {
                _failures[worker] = e;
            }
            if (Interlocked.Decrement(ref _remaining) == 0) _allDone.Set();
        }
    }

    private protected override void DisposeWorkers()
    {
        _stopping = true;
        for (int w = 1; w < _threads.Length; w++) _startSignals[w].Release();
        for (int w = 1; w < _threads.Length; w++)
        {
            _threads[w].Join();
            _startSignals[w].Dispose();
        }
        _allDone.Dispose();
    }
}

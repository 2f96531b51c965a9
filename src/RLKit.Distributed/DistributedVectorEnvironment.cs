using RLKit.Distributed.Wire;
using RLKit.Distributed.Workers;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Distributed;

/// <summary>
/// A vector environment whose sub-environments live in rollout worker grains across an Orleans cluster: worker w hosts
/// sub-environments w·E … w·E + E − 1 (E environments per worker), each made from the silo's catalog and seeded exactly
/// as a local vector environment seeds them (seed + index). Every Reset and Step fans out to the workers in parallel and
/// gathers their rows in worker order, so the numbers are those of a local <see cref="SyncVectorEnvironment"/> of
/// the same size and seed, whatever the number of workers or silos. Made by <see cref="RLKitCluster.VectorEnvironment"/>.
/// </summary>
/// <remarks>
/// <para><b>Delivery.</b> Each command to a worker carries a per-worker sequence number. The learner re-sends a command
/// until a reply with its number arrives (at-least-once); a worker applies each number once and answers a repeat from
/// its stored reply; the learner accepts each number once, in order (<see cref="Delivery"/>). So a transition is
/// never stepped or counted twice.</para>
/// <para><b>A dead silo.</b> A worker whose activation is lost (its silo died) is re-activated on another silo by the
/// next call and answers <c>Lost</c>; the learner then rebuilds it by replaying every command acknowledged since the
/// last seeded reset (kept on the learner side) and sends the pending command again. Environments being deterministic
/// given seeds and actions, the rebuilt worker is in exactly the state it was: training goes on with the same numbers
/// as if nothing had happened. The replay costs time proportional to that history.</para>
/// <para><b>Not carried.</b> Infos travel with primitive values only; non-primitive info values stay on the worker.</para>
/// </remarks>
public sealed class DistributedVectorEnvironment : IVectorEnvironment
{
    private readonly Worker[] _workers;
    private readonly DistributedOptions _options;
    private readonly int _perWorker, _observationSize, _maskWidth, _intWidth, _floatWidth;
    private readonly float[] _rewards;
    private readonly bool[] _terminated, _truncated, _actionMasks;
    private readonly IReadOnlyDictionary<string, object>[] _infos, _finalInfos;
    private readonly Tensor _observations, _nextObservations;
    private bool _started, _disposed;
    private ulong? _seed;

    private sealed class Worker(IRolloutWorkerGrain grain, WorkerSpec spec)
    {
        public IRolloutWorkerGrain Grain { get; } = grain;
        public WorkerSpec Spec { get; } = spec;

        /// <summary>Acknowledged commands since the last seeded reset: what a new activation replays.</summary>
        public List<WorkerCommand> History { get; } = [];

        public long NextSequence { get; set; } = 1;
    }

    internal DistributedVectorEnvironment(IGrainFactory grains, string runId, string environmentId, object? environmentOptions,
                                          IEnvironment prototype, int workers, int environmentsPerWorker, DistributedOptions options)
    {
        _options = options;
        _perWorker = environmentsPerWorker;
        Id = environmentId;
        SingleObservationSpace = prototype.ObservationSpace;
        SingleActionSpace = prototype.ActionSpace;
        Count = workers * environmentsPerWorker;
        _observationSize = SingleObservationSpace.FlatSize;
        (_intWidth, _floatWidth) = SingleActionSpace switch
        {
            Discrete or ActionSet => (1, 0),
            MultiDiscrete md => (md.FlatSize, 0),
            ActionList list => (list.Length, 0),
            Box box => (0, box.FlatSize),
            _ => throw new NotSupportedException($"DistributedVectorEnvironment: the action space {SingleActionSpace.Description} is not supported."),
        };
        _maskWidth = SingleActionSpace switch { ActionSet set => set.Count, ActionList list => list.Items.Count, _ => 0 };
        int[] shape = [Count, .. SingleObservationSpace.Shape];
        _observations = Tensor.AllocatePersistent(shape);
        _nextObservations = Tensor.AllocatePersistent(shape);
        _rewards = new float[Count];
        _terminated = new bool[Count];
        _truncated = new bool[Count];
        _actionMasks = new bool[Count * _maskWidth];
        _infos = new IReadOnlyDictionary<string, object>[Count];
        _finalInfos = new IReadOnlyDictionary<string, object>[Count];
        _infos.AsSpan().Fill(EnvInfo.Empty);
        _finalInfos.AsSpan().Fill(EnvInfo.Empty);
        Delivery = new DeliveryLog(workers);

        string optionsJson = Hosting.WorkerEnvironments.ToJson(environmentOptions) ?? "";
        _workers = new Worker[workers];
        for (int w = 0; w < workers; w++)
            _workers[w] = new Worker(grains.GetGrain<IRolloutWorkerGrain>($"{runId}/{w}"),
                                     new WorkerSpec(environmentId, optionsJson.Length == 0 ? null : optionsJson, environmentsPerWorker, w * environmentsPerWorker, w));
        var opened = Task.WhenAll(_workers.Select((worker, w) => OpenAsync(worker, w))).GetAwaiter().GetResult();
        for (int w = 0; w < workers; w++)
        {
            if (opened[w].ObservationSpace != SingleObservationSpace.Description || opened[w].ActionSpace != SingleActionSpace.Description)
                throw new InvalidOperationException(
                    $"DistributedVectorEnvironment: worker {w} on silo {opened[w].Silo} made '{environmentId}' with observation space {opened[w].ObservationSpace} " +
                    $"and action space {opened[w].ActionSpace}, but the learner's catalog has {SingleObservationSpace.Description} and {SingleActionSpace.Description}. " +
                    "Every silo and the learner must register the same environments.");
            Delivery[w].Silo = opened[w].Silo;
        }
    }

    /// <summary>The environment id every worker makes.</summary>
    public string Id { get; }

    /// <summary>The number of workers (grains).</summary>
    public int Workers => _workers.Length;

    /// <summary>Sub-environments per worker.</summary>
    public int EnvironmentsPerWorker => _perWorker;

    /// <summary>What each worker delivered: accepted sequence numbers, retries, replays.</summary>
    public DeliveryLog Delivery { get; }

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public Space SingleObservationSpace { get; }

    /// <inheritdoc />
    public Space SingleActionSpace { get; }

    /// <inheritdoc />
    public AutoresetMode AutoresetMode => AutoresetMode.SameStep;

    /// <inheritdoc />
    public bool NeedsReset => !_started;

    /// <inheritdoc />
    public Tensor Observations => _observations;

    /// <inheritdoc />
    public ReadOnlySpan<bool> ActionMasks => _actionMasks;

    /// <inheritdoc />
    public ulong? Seed => _seed;

    /// <inheritdoc />
    public VectorResetResult Reset(ulong? seed = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var commands = new WorkerCommand[_workers.Length];
        for (int w = 0; w < _workers.Length; w++)
        {
            // Sub-environment i of the whole is seeded with seed + i, as a local vector environment does.
            ulong? workerSeed = seed is { } s ? unchecked(s + (ulong)(w * _perWorker)) : null;
            commands[w] = new WorkerCommand(_workers[w].NextSequence, WorkerCommandKind.Reset, workerSeed, null, null);
        }
        RunAll(commands, reset: true);
        if (seed is not null) _seed = seed;
        _started = true;
        return new VectorResetResult(_observations, _infos, _actionMasks);
    }

    /// <inheritdoc />
    public VectorStepResult Step(ReadOnlySpan<int> actions) =>
        StepWorkers(actions, _intWidth, "int", "Step(ReadOnlySpan<float>)",
                    static (sequence, slice) => new WorkerCommand(sequence, WorkerCommandKind.StepInt, null, slice, null));

    /// <inheritdoc />
    public VectorStepResult Step(ReadOnlySpan<float> actions) =>
        StepWorkers(actions, _floatWidth, "float", "Step(ReadOnlySpan<int>)",
                    static (sequence, slice) => new WorkerCommand(sequence, WorkerCommandKind.StepFloat, null, null, slice));

    /// <summary>Sends each worker its slice of <paramref name="actions"/> (<paramref name="actionWidth"/> values per sub-environment) and gathers the replies.</summary>
    private VectorStepResult StepWorkers<T>(ReadOnlySpan<T> actions, int actionWidth, string kind, string otherOverload, Func<long, T[], WorkerCommand> command)
    {
        CheckStep();
        if (actionWidth == 0)
            throw new NotSupportedException($"DistributedVectorEnvironment: the action space {SingleActionSpace.Description} does not take {kind} actions; use {otherOverload}.");
        if (actions.Length != Count * actionWidth)
            throw new ArgumentException($"DistributedVectorEnvironment: {Count} sub-environments with action space {SingleActionSpace.Description} need {Count} × {actionWidth} = {Count * actionWidth} {kind} actions, got {actions.Length}.", nameof(actions));
        var commands = new WorkerCommand[_workers.Length];
        int width = _perWorker * actionWidth;
        for (int w = 0; w < _workers.Length; w++)
            commands[w] = command(_workers[w].NextSequence, actions.Slice(w * width, width).ToArray());
        RunAll(commands, reset: false);
        return new VectorStepResult(_observations, _rewards, _terminated, _truncated, _infos, _nextObservations, _finalInfos, _actionMasks);
    }

    /// <summary>Each worker's own counters (applied, answered from the stored reply, replayed) and silo, in worker order.</summary>
    internal async Task<WorkerCounters[]> CountersAsync() => await Task.WhenAll(_workers.Select(w => w.Grain.Counters()));

    private void CheckStep()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_started)
            throw new InvalidOperationException("DistributedVectorEnvironment: Step was called before Reset (or after a step failed). Call Reset first.");
    }

    private void RunAll(WorkerCommand[] commands, bool reset)
    {
        WorkerBatch[] replies;
        try
        {
            replies = Task.WhenAll(_workers.Select((worker, w) => DeliverAsync(worker, w, commands[w]))).GetAwaiter().GetResult();
        }
        catch
        {
            // Some workers may have applied the command and others not: like a local vector environment after a failed
            // step, the batch must be reset before it steps again.
            _started = false;
            throw;
        }
        for (int w = 0; w < _workers.Length; w++)
        {
            var worker = _workers[w];
            var command = commands[w];
            if (command.Kind == WorkerCommandKind.Reset && command.Seed is not null) worker.History.Clear();
            worker.History.Add(command);
            worker.NextSequence++;
            Scatter(w, replies[w], reset);
        }
    }

    private void Scatter(int w, WorkerBatch batch, bool reset)
    {
        int first = w * _perWorker;
        int expected = _perWorker * _observationSize;
        if (batch.Observations.Length != expected || batch.Rewards.Length != _perWorker)
            throw new InvalidOperationException($"DistributedVectorEnvironment: worker {w} sent {batch.Observations.Length} observation values and {batch.Rewards.Length} rewards; expected {expected} and {_perWorker}.");
        batch.Observations.CopyTo(_observations.AsSpan().Slice(first * _observationSize, expected));
        // s′ equals the observation except where an episode ended (the worker sends those rows' final observations).
        batch.Observations.CopyTo(_nextObservations.AsSpan().Slice(first * _observationSize, expected));
        for (int k = 0; k < batch.FinalRows.Length; k++)
            batch.FinalObservations.AsSpan(k * _observationSize, _observationSize)
                .CopyTo(_nextObservations.AsSpan().Slice((first + batch.FinalRows[k]) * _observationSize, _observationSize));
        batch.Rewards.CopyTo(_rewards, first);
        batch.Terminated.CopyTo(_terminated, first);
        batch.Truncated.CopyTo(_truncated, first);
        if (_maskWidth > 0) batch.ActionMasks.CopyTo(_actionMasks, first * _maskWidth);
        for (int i = 0; i < _perWorker; i++)
        {
            _infos[first + i] = WireInfo.At(batch.Infos, i);
            _finalInfos[first + i] = reset ? EnvInfo.Empty : WireInfo.At(batch.FinalInfos, i);
        }
    }

    private async Task<WorkerOpened> OpenAsync(Worker worker, int w)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await worker.Grain.Open(worker.Spec).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && attempt + 1 < _options.MaxAttempts)
            {
                Delivery[w].Retried();
                await Task.Delay(_options.Delay(attempt)).ConfigureAwait(false);
            }
        }
    }

    private async Task<WorkerBatch> DeliverAsync(Worker worker, int w, WorkerCommand command)
    {
        var delivery = Delivery[w];
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var reply = await worker.Grain.Run(command).ConfigureAwait(false);
                if (reply.Status == WorkerStatus.Lost)
                {
                    // A new activation (its silo died, or it was collected): rebuild it from the acknowledged history.
                    var opened = await worker.Grain.Restore(worker.Spec, [.. worker.History]).ConfigureAwait(false);
                    delivery.Recovered();
                    delivery.Silo = opened.Silo;
                    reply = await worker.Grain.Run(command).ConfigureAwait(false);
                    if (reply.Status == WorkerStatus.Lost)
                        throw new InvalidOperationException($"DistributedVectorEnvironment: worker {w} lost its state again right after a replay.");
                }
                if (reply.Status == WorkerStatus.Repeated) delivery.Repeated();
                if (delivery.Accept(reply.Sequence, command.Kind != WorkerCommandKind.Reset)) return reply;
                // A reply to an older command: dropped, and the current one asked again.
                if (attempt + 1 >= _options.MaxAttempts)
                    throw new InvalidOperationException($"DistributedVectorEnvironment: worker {w} kept answering older commands than {command.Sequence}.");
            }
            catch (Exception e) when (IsTransient(e) && attempt + 1 < _options.MaxAttempts)
            {
                delivery.Retried();
                await Task.Delay(_options.Delay(attempt)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Failures of the cluster (a dead silo, a dropped connection, a timeout), as opposed to the environment's own errors, which are not retried.</summary>
    internal static bool IsTransient(Exception e) => e is TimeoutException or OrleansException or OperationCanceledException { CancellationToken.IsCancellationRequested: false };

    /// <summary>Closes the workers (their environments are disposed on the silos).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            Task.WhenAll(_workers.Select(w => w.Grain.Close())).Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // A worker on a dead silo cannot be closed; its activation is already gone.
        }
    }
}

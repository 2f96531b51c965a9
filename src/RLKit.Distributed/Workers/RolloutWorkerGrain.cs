using Orleans.Runtime;
using RLKit.Distributed.Hosting;
using RLKit.Distributed.Wire;
using RLKit.Environments.Vector;

namespace RLKit.Distributed.Workers;

/// <summary>
/// Hosts a slice of a distributed vector environment in a <see cref="SyncVectorEnvironment"/> and applies the learner's
/// numbered commands to it. State lives in memory only: if the silo dies, the learner restores a new activation by
/// replaying its history (<see cref="Restore"/>), which rebuilds the same state because environments are deterministic
/// given their seeds and actions.
/// </summary>
internal sealed class RolloutWorkerGrain(WorkerEnvironments catalog, ILocalSiloDetails silo) : Grain, IRolloutWorkerGrain
{
    private WorkerSpec? _spec;
    private SyncVectorEnvironment? _env;
    private long _lastSequence;
    private WorkerBatch? _lastReply;
    private long _applied, _repeated, _replayed;

    public Task<WorkerOpened> Open(WorkerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _env?.Dispose();
        _env = null;
        _env = catalog.MakeVector(spec);
        _spec = spec;
        _lastSequence = 0;
        _lastReply = null;
        return Task.FromResult(new WorkerOpened(_env.SingleObservationSpace.Description, _env.SingleActionSpace.Description, silo.SiloAddress.ToString()));
    }

    public Task<WorkerBatch> Run(WorkerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_env is null || command.Sequence > _lastSequence + 1 || command.Sequence < _lastSequence)
            return Task.FromResult(new WorkerBatch { Sequence = command.Sequence, Status = WorkerStatus.Lost });
        if (command.Sequence == _lastSequence && _lastReply is not null)
        {
            // At-least-once delivery: the learner did not see our reply (a timeout, a dropped connection) and sent the
            // command again. Stepping again would apply the actions twice; the stored reply is the answer.
            _repeated++;
            _lastReply.Status = WorkerStatus.Repeated;
            return Task.FromResult(_lastReply);
        }
        var reply = Apply(command, keepReply: true);
        _applied++;
        return Task.FromResult(reply!);
    }

    public Task<WorkerOpened> Restore(WorkerSpec spec, WorkerCommand[] history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Length > 0 && (history[0].Kind != WorkerCommandKind.Reset || history[0].Seed is null))
            throw new ArgumentException("Restore: the history must start with a seeded reset, which fixes the state whatever came before it.", nameof(history));
        var opened = Open(spec).Result;
        // The commands before the seeded reset need no replay; numbering goes on from where the history starts.
        if (history.Length > 0) _lastSequence = history[0].Sequence - 1;
        for (int k = 0; k < history.Length; k++)
        {
            if (history[k].Sequence != _lastSequence + 1)
                throw new ArgumentException($"Restore: history command {k} has sequence {history[k].Sequence}, expected {_lastSequence + 1}.", nameof(history));
            // Only the last replayed reply is kept, so a re-sent last command still gets its answer.
            Apply(history[k], keepReply: k == history.Length - 1);
            _replayed++;
        }
        return Task.FromResult(opened);
    }

    public Task<WorkerCounters> Counters() =>
        Task.FromResult(new WorkerCounters(_applied, _repeated, _replayed, _lastSequence, silo.SiloAddress.ToString()));

    public Task Close()
    {
        _env?.Dispose();
        _env = null;
        _spec = null;
        _lastReply = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private WorkerBatch? Apply(WorkerCommand command, bool keepReply)
    {
        var env = _env!;
        WorkerBatch? reply = null;
        switch (command.Kind)
        {
            case WorkerCommandKind.Reset:
            {
                var result = env.Reset(command.Seed);
                if (keepReply) reply = ResetBatch(command.Sequence, result);
                break;
            }
            case WorkerCommandKind.StepInt:
            {
                var result = env.Step(command.IntActions ?? throw new ArgumentException("Run: a StepInt command needs int actions.", nameof(command)));
                if (keepReply) reply = StepBatch(command.Sequence, result);
                break;
            }
            case WorkerCommandKind.StepFloat:
            {
                var result = env.Step(command.FloatActions ?? throw new ArgumentException("Run: a StepFloat command needs float actions.", nameof(command)));
                if (keepReply) reply = StepBatch(command.Sequence, result);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Kind, "Run: unknown command kind.");
        }
        _lastSequence = command.Sequence;
        _lastReply = reply;
        return reply;
    }

    private static WorkerBatch ResetBatch(long sequence, VectorResetResult result) => new()
    {
        Sequence = sequence,
        Observations = result.Observations.AsSpan()[..result.Observations.Size].ToArray(),
        Rewards = new float[result.Infos.Count],
        Terminated = new bool[result.Infos.Count],
        Truncated = new bool[result.Infos.Count],
        ActionMasks = result.ActionMasks.ToArray(),
        Infos = WireInfo.From(result.Infos),
    };

    private static WorkerBatch StepBatch(long sequence, VectorStepResult result)
    {
        int n = result.Rewards.Length;
        int size = result.Observations.Shape.Length == 0 ? 0 : result.Observations.Size / n;
        var finalRows = new List<int>();
        for (int i = 0; i < n; i++)
            if (result.Done(i)) finalRows.Add(i);
        var finals = new float[finalRows.Count * size];
        var next = result.NextObservations.AsSpan()[..result.NextObservations.Size];
        for (int k = 0; k < finalRows.Count; k++)
            next.Slice(finalRows[k] * size, size).CopyTo(finals.AsSpan(k * size, size));
        return new WorkerBatch
        {
            Sequence = sequence,
            Observations = result.Observations.AsSpan()[..result.Observations.Size].ToArray(),
            Rewards = result.Rewards.ToArray(),
            Terminated = result.Terminated.ToArray(),
            Truncated = result.Truncated.ToArray(),
            FinalRows = [.. finalRows],
            FinalObservations = finals,
            ActionMasks = result.ActionMasks.ToArray(),
            Infos = WireInfo.From(result.Infos),
            FinalInfos = result.FinalInfos is null ? null : WireInfo.From(result.FinalInfos),
        };
    }
}

using RLKit.Distributed.Wire;

namespace RLKit.Distributed.Workers;

/// <summary>
/// A rollout worker: a slice of a distributed vector environment (<see cref="WorkerSpec.Count"/> sub-environments made
/// from the silo's catalog). Keyed by "run id/worker index", so a run's workers are distinct grains and a new activation
/// of the same key (after its silo died) is found by the same key.
/// </summary>
internal interface IRolloutWorkerGrain : IGrainWithStringKey
{
    /// <summary>(Re)creates the worker's environments; forgets any earlier state of this key.</summary>
    Task<WorkerOpened> Open(WorkerSpec spec);

    /// <summary>Applies one numbered command (or answers a repeat from the stored reply, or reports <see cref="WorkerStatus.Lost"/>).</summary>
    Task<WorkerBatch> Run(WorkerCommand command);

    /// <summary>
    /// Rebuilds the state a lost activation had: opens <paramref name="spec"/> and replays <paramref name="history"/>
    /// (every acknowledged command since the last seeded reset), discarding the replies.
    /// </summary>
    Task<WorkerOpened> Restore(WorkerSpec spec, WorkerCommand[] history);

    /// <summary>The worker's counters.</summary>
    Task<WorkerCounters> Counters();

    /// <summary>Disposes the environments and lets the activation go.</summary>
    Task Close();
}

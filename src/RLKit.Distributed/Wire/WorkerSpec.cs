namespace RLKit.Distributed.Wire;

/// <summary>
/// What a rollout worker grain rebuilds its environments from: the catalog id, the options as JSON (the registered
/// options type is read back on the silo), how many sub-environments it hosts and the global index of its first one
/// (sub-environment i of the whole vector environment is seeded with seed + i, as in a local vector environment).
/// </summary>
[GenerateSerializer, Immutable]
internal sealed record WorkerSpec(
    [property: Id(0)] string EnvironmentId,
    [property: Id(1)] string? OptionsJson,
    [property: Id(2)] int Count,
    [property: Id(3)] int FirstIndex,
    [property: Id(4)] int WorkerIndex);

/// <summary>What a worker reports when it opens: its spaces (checked against the learner's) and where it lives.</summary>
[GenerateSerializer, Immutable]
internal sealed record WorkerOpened(
    [property: Id(0)] string ObservationSpace,
    [property: Id(1)] string ActionSpace,
    [property: Id(2)] string Silo);

/// <summary>The kinds of command a learner sends a worker.</summary>
internal enum WorkerCommandKind
{
    Reset = 0,
    StepInt = 1,
    StepFloat = 2,
}

/// <summary>
/// One numbered command. <see cref="Sequence"/> counts a worker's commands from 1 and is the unit of at-least-once
/// delivery: the learner re-sends a command until it has a reply with the same number, and the worker applies each
/// number once (a repeat gets the stored reply).
/// </summary>
[GenerateSerializer, Immutable]
internal sealed record WorkerCommand(
    [property: Id(0)] long Sequence,
    [property: Id(1)] WorkerCommandKind Kind,
    [property: Id(2)] ulong? Seed,
    [property: Id(3)] int[]? IntActions,
    [property: Id(4)] float[]? FloatActions);

/// <summary>How a worker handled a command.</summary>
internal enum WorkerStatus
{
    /// <summary>Applied now.</summary>
    Applied = 0,

    /// <summary>Applied before (a re-sent command): the stored reply, nothing stepped again.</summary>
    Repeated = 1,

    /// <summary>The worker has no state for this run (a new activation after its silo died, or a gap in the numbers): replay needed.</summary>
    Lost = 2,
}

/// <summary>
/// A worker's reply: its rows of the vector environment's buffers after the command. Final observations (s′ of an
/// episode that ended in this step under SameStep autoreset) travel only for the rows that ended, to keep the message
/// small; infos only when a row has any (primitive values only).
/// </summary>
[GenerateSerializer]
internal sealed class WorkerBatch
{
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public WorkerStatus Status { get; set; }
    [Id(2)] public float[] Observations { get; init; } = [];
    [Id(3)] public float[] Rewards { get; init; } = [];
    [Id(4)] public bool[] Terminated { get; init; } = [];
    [Id(5)] public bool[] Truncated { get; init; } = [];
    [Id(6)] public int[] FinalRows { get; init; } = [];
    [Id(7)] public float[] FinalObservations { get; init; } = [];
    [Id(8)] public bool[] ActionMasks { get; init; } = [];
    [Id(9)] public Dictionary<string, object>?[]? Infos { get; init; }
    [Id(10)] public Dictionary<string, object>?[]? FinalInfos { get; init; }
}

/// <summary>A worker's own counts, for tests and diagnostics: commands applied live, re-sent commands answered from the stored reply, commands replayed after a loss.</summary>
[GenerateSerializer, Immutable]
internal sealed record WorkerCounters(
    [property: Id(0)] long Applied,
    [property: Id(1)] long Repeated,
    [property: Id(2)] long Replayed,
    [property: Id(3)] long LastSequence,
    [property: Id(4)] string Silo);

/// <summary>A policy worker's segment on the wire (see <c>TransitionSegment</c>).</summary>
[GenerateSerializer]
internal sealed class SegmentWire
{
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public WorkerStatus Status { get; set; }
    [Id(2)] public long PolicyVersion { get; init; }
    [Id(3)] public int Steps { get; init; }
    [Id(4)] public int Environments { get; init; }
    [Id(5)] public float[] Observations { get; init; } = [];
    [Id(6)] public int[] IntActions { get; init; } = [];
    [Id(7)] public float[] FloatActions { get; init; } = [];
    [Id(8)] public float[] Rewards { get; init; } = [];
    [Id(9)] public float[] NextObservations { get; init; } = [];
    [Id(10)] public bool[] Terminated { get; init; } = [];
    [Id(11)] public bool[] Truncated { get; init; } = [];
}

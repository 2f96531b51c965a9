namespace RLKit.Distributed.Sweeps;

/// <summary>The state of a sweep run as its grain knows it.</summary>
internal enum SweepRunState
{
    /// <summary>This activation has not been started: new, or a re-activation after the silo of the first one died.</summary>
    Idle = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
}

[GenerateSerializer, Immutable]
internal sealed record SweepRunStatus(
    [property: Id(0)] SweepRunState State,
    [property: Id(1)] string Silo,
    [property: Id(2)] string? Error,
    [property: Id(3)] bool Committed);

[GenerateSerializer, Immutable]
internal sealed record SweepJobWire(
    [property: Id(0)] string Name,
    [property: Id(1)] string Algorithm,
    [property: Id(2)] string EnvironmentId,
    [property: Id(3)] long Steps,
    [property: Id(4)] int Environments,
    [property: Id(5)] ulong Seed,
    [property: Id(6)] string? OptionsJson)
{
    public static SweepJobWire From(SweepJob job) => new(job.Name, job.Algorithm, job.EnvironmentId, job.Steps, job.Environments, job.Seed, job.OptionsJson);
}

/// <summary>
/// Runs one sweep job on the silo it is activated on, in the background (a training run outlasts any call timeout):
/// <see cref="Start"/> begins it, <see cref="Status"/> is polled. Keyed by "sweep id/job name".
/// </summary>
internal interface ISweepRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run unless this activation already has; returns the silo it runs on.</summary>
    Task<string> Start(SweepJobWire job, string outputDirectory);

    Task<SweepRunStatus> Status();
}

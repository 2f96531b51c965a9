using RLKit.Distributed.Wire;

namespace RLKit.Distributed.Policies;

/// <summary>One seed's evaluation on the wire (the fields of an <c>EvaluationReport</c>).</summary>
[GenerateSerializer, Immutable]
internal sealed record SeedEvaluation(
    [property: Id(0)] ulong Seed,
    [property: Id(1)] double[] Returns,
    [property: Id(2)] int[] Lengths,
    [property: Id(3)] double MeanReturn,
    [property: Id(4)] double StdReturn,
    [property: Id(5)] double MinReturn,
    [property: Id(6)] double MaxReturn,
    [property: Id(7)] double MeanLength,
    [property: Id(8)] double? SuccessRate);

/// <summary>
/// A worker that holds a copy of the learner's policy at a known version: set whole (<see cref="SetPolicy"/>), then
/// updated by weight broadcasts (<see cref="SetWeights"/>). Evaluations run on it. Keyed by "group id/worker index".
/// </summary>
internal interface IPolicyWorkerGrain : IGrainWithStringKey
{
    /// <summary>Rebuilds the policy from checkpoint bytes and records its version and how to explore with it.</summary>
    Task SetPolicy(long version, byte[] checkpoint, BehaviorWire behavior);

    /// <summary>
    /// Copies broadcast weights (safetensors bytes) into the policy. Returns the version now held: the broadcast's, or
    /// −1 if this activation has no policy (a new activation after its silo died), so the caller sends the whole policy.
    /// The behaviour is taken with the weights (a late, older broadcast changes neither).
    /// </summary>
    Task<long> SetWeights(long version, byte[] weights, BehaviorWire behavior);

    /// <summary>The version held, or −1 without a policy.</summary>
    Task<long> Version();

    /// <summary>
    /// Evaluates the policy on <paramref name="environmentId"/> once per seed: <paramref name="episodes"/> episodes, the
    /// environment reset with the seed before the first (as <c>Evaluator.Evaluate</c> with that seed does locally).
    /// </summary>
    Task<SeedEvaluation[]> Evaluate(string environmentId, string? optionsJson, ulong[] seeds, int episodes, bool deterministic);

    /// <summary>
    /// Makes the worker's own environments for collecting (<paramref name="spec"/>), resets them with
    /// <paramref name="seed"/> + their global index, and seeds its action sampling; the next segment it expects is
    /// <paramref name="nextSequence"/>.
    /// </summary>
    Task<WorkerOpened> OpenEnvironment(WorkerSpec spec, ulong seed, long nextSequence);

    /// <summary>
    /// Collects <paramref name="steps"/> vector steps acting with the policy copy and the behaviour of its version. The same
    /// sequence protocol as rollout workers: a repeat gets the stored segment, a number it cannot follow gets Lost.
    /// </summary>
    Task<SegmentWire> Collect(long sequence, int steps);
}

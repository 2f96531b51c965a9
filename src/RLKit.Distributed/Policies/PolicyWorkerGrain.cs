using RLKit.Distributed.Hosting;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;

namespace RLKit.Distributed.Policies;

/// <summary>Holds a policy copy in memory; a lost activation answers −1 and is sent the whole policy again.</summary>
internal sealed class PolicyWorkerGrain(WorkerEnvironments environments) : Grain, IPolicyWorkerGrain
{
    private ICheckpointable? _policy;
    private long _version = -1;

    public Task SetPolicy(long version, byte[] checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _policy = PolicyBytes.Checkpointable(PolicyBytes.Agent(checkpoint), nameof(checkpoint));
        _version = version;
        return Task.CompletedTask;
    }

    public Task<long> SetWeights(long version, byte[] weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (_policy is null) return Task.FromResult(-1L);
        // Versions only move forward: a broadcast that arrives late (re-sent after a timeout) must not roll back.
        if (version > _version)
        {
            PolicyBytes.LoadWeights(_policy, weights);
            _version = version;
        }
        return Task.FromResult(_version);
    }

    public Task<long> Version() => Task.FromResult(_version);

    public async Task<SeedEvaluation[]> Evaluate(string environmentId, string? optionsJson, ulong[] seeds, int episodes, bool deterministic)
    {
        var policy = _policy ?? throw new InvalidOperationException("Evaluate: this worker holds no policy; SetPolicy first.");
        var options = environments.Options(environmentId, optionsJson);
        // Off the activation's scheduler: evaluation is CPU-bound and may take longer than a turn should.
        return await Task.Run(() => seeds.Select(seed =>
        {
            using var env = environments.Catalog.Make(environmentId, options);
            var report = Evaluator.Evaluate(policy, env, episodes, deterministic, seed: seed);
            return new SeedEvaluation(seed, [.. report.Returns], [.. report.Lengths], report.MeanReturn, report.StdReturn,
                                      report.MinReturn, report.MaxReturn, report.MeanLength, report.SuccessRate);
        }).ToArray());
    }
}

using RLKit.Distributed.Wire;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Distributed.Policies;

/// <summary>
/// A group of policy workers fed by one learner: the whole policy once, then versioned weight broadcasts. A worker
/// that answers −1 to a broadcast (a new activation) gets the whole policy again; transient failures are retried.
/// </summary>
internal sealed class PolicyWorkerGroup
{
    private readonly IPolicyWorkerGrain[] _workers;
    private readonly DistributedOptions _options;
    private ICheckpointable _agent;
    private byte[] _checkpoint;

    public PolicyWorkerGroup(IGrainFactory grains, string groupId, int workers, ICheckpointable agent, DistributedOptions options, BehaviorWire? behavior = null)
    {
        Behavior = behavior ?? BehaviorWire.PolicySampling;
        _workers = Enumerable.Range(0, workers).Select(w => grains.GetGrain<IPolicyWorkerGrain>($"{groupId}/{w}")).ToArray();
        _options = options;
        _agent = agent;
        _checkpoint = PolicyBytes.Checkpoint(agent);
    }

    public IReadOnlyList<IPolicyWorkerGrain> Workers => _workers;

    public long Version { get; private set; }

    /// <summary>How the workers explore with the current version (the policy's own sampling unless a broadcast said otherwise).</summary>
    public BehaviorWire Behavior { get; private set; }

    /// <summary>Sends the whole policy (version 0) to every worker.</summary>
    public Task InitializeAsync() => Task.WhenAll(_workers.Select(w => Retry(() => w.SetPolicy(Version, _checkpoint, Behavior))));

    /// <summary>
    /// Broadcasts <paramref name="agent"/>'s current weights, with <paramref name="behavior"/> (null: keep the current
    /// one), as the next version; returns the bytes sent per worker. The weights are copied before this returns its
    /// task, so the caller may go on training.
    /// </summary>
    public async Task<int> BroadcastAsync(ICheckpointable agent, BehaviorWire? behavior = null)
    {
        _agent = agent;
        long version = ++Version;
        var versionBehavior = Behavior = behavior ?? Behavior;
        byte[] weights = PolicyBytes.Weights(agent);
        await Task.WhenAll(_workers.Select(w => Retry(async () =>
        {
            if (await w.SetWeights(version, weights, versionBehavior).ConfigureAwait(false) < 0)
                await w.SetPolicy(version, Refresh(), versionBehavior).ConfigureAwait(false);
        }))).ConfigureAwait(false);
        return weights.Length;
    }

    /// <summary>Makes sure worker <paramref name="w"/> holds the current version (after its silo died), then runs <paramref name="call"/>.</summary>
    public Task<T> WithPolicyAsync<T>(int w, Func<IPolicyWorkerGrain, Task<T>> call) => Retry(async () =>
    {
        if (await _workers[w].Version().ConfigureAwait(false) != Version)
            await _workers[w].SetPolicy(Version, Refresh(), Behavior).ConfigureAwait(false);
        return await call(_workers[w]).ConfigureAwait(false);
    });

    private byte[] Refresh()
    {
        // The checkpoint is rebuilt lazily for the current weights only when a worker needs the whole policy.
        if (Version > 0) _checkpoint = PolicyBytes.Checkpoint(_agent);
        return _checkpoint;
    }

    private Task Retry(Func<Task> call) => Retry(async () => { await call().ConfigureAwait(false); return true; });

    private async Task<T> Retry<T>(Func<Task<T>> call)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (DistributedVectorEnvironment.IsTransient(e) && attempt + 1 < _options.MaxAttempts)
            {
                await Task.Delay(_options.Delay(attempt)).ConfigureAwait(false);
            }
        }
    }
}

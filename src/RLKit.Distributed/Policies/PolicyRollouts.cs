using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RLKit.Distributed.Wire;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Distributed.Policies;

/// <summary>
/// Policy-copy rollouts: each worker holds a copy of the policy and its own environments, acts itself, and streams
/// segments of transitions tagged with the weight version that acted, while the learner broadcasts newer weights
/// (<see cref="BroadcastAsync"/>). Made by <see cref="RLKitCluster.PolicyRolloutsAsync"/>.
/// </summary>
/// <remarks>
/// <para>Delivery is at-least-once with de-duplication, as for <see cref="DistributedVectorEnvironment"/>: each segment
/// has a per-worker sequence number, a re-sent request gets the stored segment, and <see cref="Delivery"/> accepts
/// each number once, in order.</para>
/// <para>A worker lost with its silo is given the current policy and fresh environments on another silo (reset with a
/// seed derived from the run's seed and how many times the worker was rebuilt); the episodes it was running are lost,
/// the segments it had delivered stay. Unlike the synchronous environment, this mode is not bit-reproducible: which
/// weights a segment sees depends on timing.</para>
/// <para>Off-policy estimators learn from this stream through <see cref="ExperienceStream"/> (<see cref="RLKitCluster.ExperienceStream"/>).</para>
/// </remarks>
public sealed class PolicyRollouts : IAsyncDisposable
{
    private readonly PolicyWorkerGroup _group;
    private readonly WorkerSpec[] _specs;
    private readonly ulong _seed;
    private readonly DistributedOptions _options;
    private readonly long[] _nextSequence;
    private readonly int[] _rebuilds;

    internal PolicyRollouts(PolicyWorkerGroup group, WorkerSpec[] specs, ulong seed, DistributedOptions options)
    {
        _group = group;
        _specs = specs;
        _seed = seed;
        _options = options;
        _nextSequence = Enumerable.Repeat(1L, specs.Length).ToArray();
        _rebuilds = new int[specs.Length];
        Delivery = new DeliveryLog(specs.Length);
    }

    /// <summary>The number of workers.</summary>
    public int Workers => _specs.Length;

    /// <summary>The version of the weights last broadcast (0 before any broadcast).</summary>
    public long Version => _group.Version;

    /// <summary>What each worker delivered: accepted sequence numbers, retries, rebuilds.</summary>
    public DeliveryLog Delivery { get; }

    internal async Task OpenAsync()
    {
        await _group.InitializeAsync().ConfigureAwait(false);
        for (int w = 0; w < _specs.Length; w++)
        {
            var opened = await _group.WithPolicyAsync(w, worker => worker.OpenEnvironment(_specs[w], _seed, 1)).ConfigureAwait(false);
            Delivery[w].Silo = opened.Silo;
        }
    }

    /// <summary>Sends <paramref name="agent"/>'s current weights to every worker as the next version; returns the bytes per worker.</summary>
    /// <remarks>A worker takes the new weights between two segments (a grain handles one call at a time).</remarks>
    public Task<int> BroadcastAsync(IAgent agent) => _group.BroadcastAsync(PolicyBytes.Checkpointable(agent, nameof(agent)));

    /// <summary>Broadcasts the agent's weights with how to explore with them; the weights are copied before the task is returned.</summary>
    internal Task<int> BroadcastWithBehaviorAsync(ICheckpointable agent, BehaviorWire behavior) => _group.BroadcastAsync(agent, behavior);

    /// <summary>
    /// Streams segments of <paramref name="stepsPerSegment"/> vector steps from every worker, as they arrive, until
    /// <paramref name="cancellationToken"/> is cancelled (the enumeration then ends without an exception).
    /// </summary>
    public async IAsyncEnumerable<TransitionSegment> StreamAsync(int stepsPerSegment, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (stepsPerSegment < 1)
            throw new ArgumentOutOfRangeException(nameof(stepsPerSegment), stepsPerSegment, "StreamAsync: stepsPerSegment must be at least 1.");
        var channel = Channel.CreateBounded<TransitionSegment>(new BoundedChannelOptions(2 * _specs.Length) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, _specs.Length).Select(w => Task.Run(() => CollectLoop(w, stepsPerSegment, channel.Writer, stop.Token))).ToArray();
        var all = Task.WhenAll(loops).ContinueWith(t => channel.Writer.TryComplete(t.Exception?.GetBaseException()), TaskScheduler.Default);
        try
        {
            while (true)
            {
                TransitionSegment segment;
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) break;
                    if (!channel.Reader.TryRead(out segment!)) continue;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                yield return segment;
            }
        }
        finally
        {
            stop.Cancel();
            try { await all.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        await channel.Reader.Completion.ConfigureAwait(false);
    }

    private async Task CollectLoop(int w, int steps, ChannelWriter<TransitionSegment> output, CancellationToken stop)
    {
        var delivery = Delivery[w];
        var worker = _group.Workers[w];
        bool restarted = false;
        while (!stop.IsCancellationRequested)
        {
            long sequence = _nextSequence[w];
            SegmentWire? reply = null;
            for (int attempt = 0; reply is null; attempt++)
            {
                try
                {
                    reply = await worker.Collect(sequence, steps).ConfigureAwait(false);
                    if (reply.Status == WorkerStatus.Lost)
                    {
                        // A new activation: the current policy and fresh environments, from a seed that differs per rebuild.
                        _rebuilds[w]++;
                        ulong seed = unchecked(_seed + (ulong)_rebuilds[w] * 0x9E3779B97F4A7C15UL);
                        var opened = await _group.WithPolicyAsync(w, g => g.OpenEnvironment(_specs[w], seed, sequence)).ConfigureAwait(false);
                        delivery.Recovered();
                        delivery.Silo = opened.Silo;
                        restarted = true;
                        reply = null;
                        continue;
                    }
                }
                catch (Exception e) when (DistributedVectorEnvironment.IsTransient(e) && attempt + 1 < _options.MaxAttempts && !stop.IsCancellationRequested)
                {
                    delivery.Retried();
                    await Task.Delay(_options.Delay(attempt), stop).ConfigureAwait(false);
                }
            }
            if (reply.Status == WorkerStatus.Repeated) delivery.Repeated();
            if (!delivery.Accept(reply.Sequence, step: true)) continue;
            _nextSequence[w] = sequence + 1;
            try
            {
                await output.WriteAsync(new TransitionSegment(w, reply, restarted), stop).ConfigureAwait(false);
                restarted = false;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;   // accepted but not handed out: the stream was stopped
            }
        }
    }

    /// <summary>Nothing to release on the silos: the workers' activations are collected when idle.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

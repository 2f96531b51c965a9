using RLKit.Distributed.Wire;
using RLKit.Spaces;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Experience;

namespace RLKit.Distributed.Policies;

/// <summary>
/// Asynchronous off-policy learning on a cluster: an <see cref="IExperienceSource"/> whose producers are policy workers
/// (<see cref="PolicyRollouts"/>). Pass it to an off-policy estimator's <c>Fit(source, budget)</c> (DQN, soft
/// Q-learning, SAC, TD3, DDPG): the workers act with the weights and the exploration the learner publishes and stream
/// version-tagged segments into its replay buffer while it learns. Made by <see cref="RLKitCluster.ExperienceStream"/>.
/// </summary>
/// <remarks>
/// <para>The workers open at the learner's first <see cref="Publish"/> (they need a policy to act with): each gets the
/// whole policy once as checkpoint bytes, later publishes send the weights alone with the exploration (DQN's current ε,
/// random actions before learning starts). A publish copies the weights on the learner's thread and sends them in the
/// background; if the previous publish is still being delivered, it waits for that one first, so at most one is in
/// flight.</para>
/// <para>Delivery and faults are those of <see cref="PolicyRollouts"/>: every segment is accepted once, in order, per
/// worker; a worker lost with its silo is rebuilt on another with fresh environments and the current policy, and its
/// next segment is marked <see cref="ExperienceBatch.Restarted"/> (its unfinished episodes are dropped from the
/// statistics). Not bit-reproducible: which weights act on a segment depends on timing.</para>
/// <para>Stream w·E + e is sub-environment e of worker w. One instance serves one <c>Fit</c> at a time.</para>
/// </remarks>
public sealed class ExperienceStream : IExperienceSource, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly DistributedOptions _options;
    private readonly WorkerSpec[] _specs;
    private readonly ulong _seed;
    private readonly CancellationTokenSource _stop = new();
    private readonly DeliveryLog _notOpened;
    private PolicyRollouts? _rollouts;
    private IAsyncEnumerator<TransitionSegment>? _segments;
    private Task<bool>? _pendingMove;
    private Task _lastBroadcast = Task.CompletedTask;
    private bool _disposed;

    internal ExperienceStream(IGrainFactory grains, DistributedOptions options, WorkerSpec[] specs, Space observationSpace, Space actionSpace,
                              ulong seed, int stepsPerSegment)
    {
        _grains = grains;
        _options = options;
        _specs = specs;
        _seed = seed;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        StepsPerSegment = stepsPerSegment;
        _notOpened = new DeliveryLog(specs.Length);
    }

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <inheritdoc/>
    public int StreamCount => Workers * EnvironmentsPerWorker;

    /// <summary>The number of policy workers.</summary>
    public int Workers => _specs.Length;

    /// <summary>Sub-environments each worker steps.</summary>
    public int EnvironmentsPerWorker => _specs[0].Count;

    /// <summary>Vector steps per segment (one message carries <see cref="StepsPerSegment"/> × <see cref="EnvironmentsPerWorker"/> transitions).</summary>
    public int StepsPerSegment { get; }

    /// <summary>The version last published (−1 before the first publish, 0 for the first).</summary>
    public long Version => _rollouts?.Version ?? -1;

    /// <summary>What each worker delivered: accepted sequence numbers, retries, rebuilds (all zero before the first publish).</summary>
    public DeliveryLog Delivery => _rollouts?.Delivery ?? _notOpened;

    /// <summary>Segments handed to the learner so far.</summary>
    public long SegmentsReceived { get; private set; }

    /// <summary>Transitions handed to the learner so far.</summary>
    public long TransitionsReceived { get; private set; }

    /// <summary>Raised on the learner's thread for every segment, just before the learner takes it (for monitoring and tests).</summary>
    public event Action<TransitionSegment>? SegmentReceived;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the policy is not checkpointable (every RLKit agent is) or its spaces differ from the stream's.</exception>
    /// <exception cref="ObjectDisposedException">After <see cref="DisposeAsync"/>.</exception>
    public long Publish(IAgent policy, ExplorationBehavior behavior)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(behavior);
        var checkpointable = PolicyBytes.Checkpointable(policy, nameof(policy));
        if (policy.ObservationSpace.Description != ObservationSpace.Description || policy.ActionSpace.Description != ActionSpace.Description)
            throw new ArgumentException(
                $"ExperienceStream.Publish: the policy acts on {policy.ObservationSpace.Description} → {policy.ActionSpace.Description}, but the stream's environments have {ObservationSpace.Description} → {ActionSpace.Description}.",
                nameof(policy));
        var wire = BehaviorWire.From(behavior);
        if (_rollouts is null)
        {
            var group = new PolicyWorkerGroup(_grains, $"experience-{Guid.NewGuid():N}", _specs.Length, checkpointable, _options, wire);
            var rollouts = new PolicyRollouts(group, _specs, _seed, _options);
            rollouts.OpenAsync().GetAwaiter().GetResult();
            _rollouts = rollouts;
            _segments = rollouts.StreamAsync(StepsPerSegment, _stop.Token).GetAsyncEnumerator(_stop.Token);
            return rollouts.Version;
        }
        // At most one broadcast in flight: waiting here also surfaces the failure of the last one.
        _lastBroadcast.GetAwaiter().GetResult();
        _lastBroadcast = _rollouts.BroadcastWithBehaviorAsync(checkpointable, wire);
        return _rollouts.Version;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Before the first <see cref="Publish"/>.</exception>
    public ExperienceBatch? Receive(CancellationToken cancellationToken)
    {
        if (_disposed) return null;
        var segments = _segments ?? throw new InvalidOperationException("ExperienceStream.Receive: publish a policy first (an estimator's Fit does).");
        // A wait cut short by cancellation leaves its MoveNextAsync pending; the next Receive continues it.
        var move = _pendingMove ??= segments.MoveNextAsync().AsTask();
        try
        {
            move.WaitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        _pendingMove = null;
        if (!move.Result) return null;
        var segment = segments.Current;
        SegmentsReceived++;
        TransitionsReceived += segment.Transitions.Count;
        SegmentReceived?.Invoke(segment);
        return segment.Transitions;
    }

    /// <summary>Stops the workers' collection loops and waits for the last broadcast; the grains are collected when idle.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_segments is not null)
        {
            if (_pendingMove is not null)
                try { await _pendingMove.ConfigureAwait(false); } catch (Exception) { /* the stream is being torn down */ }
            await _segments.DisposeAsync().ConfigureAwait(false);
        }
        try { await _lastBroadcast.ConfigureAwait(false); } catch (Exception) { /* nobody is left to act on the weights */ }
        if (_rollouts is not null) await _rollouts.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

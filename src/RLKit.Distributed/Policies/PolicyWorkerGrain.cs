using Orleans.Runtime;
using RLKit.Distributed.Hosting;
using RLKit.Distributed.Wire;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;
using RLKit.Training.Experience;

namespace RLKit.Distributed.Policies;

/// <summary>Holds a policy copy in memory; a lost activation answers −1 and is sent the whole policy again.</summary>
internal sealed class PolicyWorkerGrain(WorkerEnvironments environments, ILocalSiloDetails silo) : Grain, IPolicyWorkerGrain
{
    private ICheckpointable? _policy;
    private long _version = -1;
    private ExplorationBehavior _behavior = ExplorationBehavior.PolicySampling;
    private SyncVectorEnvironment? _env;
    private RandomGenerator? _rng;
    private long _lastSequence;
    private SegmentWire? _lastSegment;

    public Task SetPolicy(long version, byte[] checkpoint, BehaviorWire behavior)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(behavior);
        _policy = PolicyBytes.Checkpointable(PolicyBytes.Agent(checkpoint), nameof(checkpoint));
        _version = version;
        _behavior = behavior.ToBehavior();
        return Task.CompletedTask;
    }

    public Task<long> SetWeights(long version, byte[] weights, BehaviorWire behavior)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(behavior);
        if (_policy is null) return Task.FromResult(-1L);
        // Versions only move forward: a broadcast that arrives late (re-sent after a timeout) must not roll back.
        if (version > _version)
        {
            PolicyBytes.LoadWeights(_policy, weights);
            _version = version;
            _behavior = behavior.ToBehavior();
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

    public Task<WorkerOpened> OpenEnvironment(WorkerSpec spec, ulong seed, long nextSequence)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _env?.Dispose();
        _env = null;
        _env = environments.MakeVector(spec);
        if (_env.SingleActionSpace is not (Discrete or Box))
            throw new NotSupportedException($"OpenEnvironment: policy-copy rollouts support Discrete and Box action spaces, not {_env.SingleActionSpace.Description}.");
        _env.Reset(unchecked(seed + (ulong)spec.FirstIndex));
        _rng = new RandomGenerator(unchecked(seed * 0x9E3779B97F4A7C15UL + (ulong)spec.WorkerIndex + 1));
        _lastSequence = nextSequence - 1;
        _lastSegment = null;
        return Task.FromResult(new WorkerOpened(_env.SingleObservationSpace.Description, _env.SingleActionSpace.Description, silo.SiloAddress.ToString()));
    }

    public async Task<SegmentWire> Collect(long sequence, int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Collect: steps must be at least 1.");
        if (_env is null || _policy is null || sequence > _lastSequence + 1 || sequence < _lastSequence)
            return new SegmentWire { Sequence = sequence, Status = WorkerStatus.Lost };
        if (sequence == _lastSequence && _lastSegment is not null)
        {
            _lastSegment.Status = WorkerStatus.Repeated;
            return _lastSegment;
        }
        var env = _env;
        var policy = _policy;
        var rng = _rng!;
        long version = _version;
        var behavior = _behavior;
        // Off the activation's scheduler: acting and stepping a whole segment is CPU-bound.
        var segment = await Task.Run(() => CollectSegment(env, policy, behavior, rng, sequence, steps, version));
        _lastSequence = sequence;
        _lastSegment = segment;
        return segment;
    }

    private static SegmentWire CollectSegment(SyncVectorEnvironment env, IAgent policy, ExplorationBehavior behavior, RandomGenerator rng, long sequence, int steps, long version)
    {
        int n = env.Count, size = env.SingleObservationSpace.FlatSize;
        int floatWidth = env.SingleActionSpace is Box box ? box.FlatSize : 0;
        var observations = new float[steps * n * size];
        var next = new float[steps * n * size];
        var intActions = floatWidth == 0 ? new int[steps * n] : [];
        var floatActions = new float[steps * n * floatWidth];
        var rewards = new float[steps * n];
        var terminated = new bool[steps * n];
        var truncated = new bool[steps * n];
        for (int t = 0; t < steps; t++)
        {
            env.Observations.AsSpan()[..(n * size)].CopyTo(observations.AsSpan(t * n * size, n * size));
            VectorStepResult step;
            using (TensorScope.Begin())
            {
                if (floatWidth == 0) behavior.Act(policy, env.Observations, intActions.AsSpan(t * n, n), rng);
                else behavior.Act(policy, env.Observations, floatActions.AsSpan(t * n * floatWidth, n * floatWidth), rng);
            }
            step = floatWidth == 0 ? env.Step(intActions.AsSpan(t * n, n)) : env.Step(floatActions.AsSpan(t * n * floatWidth, n * floatWidth));
            step.NextObservations.AsSpan()[..(n * size)].CopyTo(next.AsSpan(t * n * size, n * size));
            step.Rewards.CopyTo(rewards.AsSpan(t * n, n));
            step.Terminated.CopyTo(terminated.AsSpan(t * n, n));
            step.Truncated.CopyTo(truncated.AsSpan(t * n, n));
        }
        return new SegmentWire
        {
            Sequence = sequence, PolicyVersion = version, Steps = steps, Environments = n,
            Observations = observations, IntActions = intActions, FloatActions = floatActions, Rewards = rewards,
            NextObservations = next, Terminated = terminated, Truncated = truncated,
        };
    }
}

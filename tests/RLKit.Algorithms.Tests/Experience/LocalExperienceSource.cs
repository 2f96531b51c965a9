using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Tests.Experience;

/// <summary>
/// An in-memory <see cref="IExperienceSource"/> for tests: <paramref name="groups"/> vector environments of
/// <paramref name="environmentsPerGroup"/> copies of a catalog environment play the role of workers. Each
/// <see cref="Receive"/> steps the next group in turn for <paramref name="stepsPerBatch"/> steps with the published
/// policy and exploration, so the batches of different groups interleave as remote workers' do. The policy is the
/// learner's live object (no copy), so every batch is tagged with the latest version.
/// </summary>
internal sealed class LocalExperienceSource : IExperienceSource, IDisposable
{
    private readonly SyncVectorEnvironment[] _groups;
    private readonly int _stepsPerBatch;
    private readonly RandomGenerator _rng;
    private int _next;
    private IAgent? _policy;
    private ExplorationBehavior _behavior = ExplorationBehavior.PolicySampling;

    public LocalExperienceSource(string id, int groups, int environmentsPerGroup, int stepsPerBatch, ulong seed)
    {
        _groups = Enumerable.Range(0, groups).Select(g =>
        {
            var env = LearningEvaluation.MakeVector(id, environmentsPerGroup);
            env.Reset(seed + (ulong)(g * environmentsPerGroup));
            return env;
        }).ToArray();
        _stepsPerBatch = stepsPerBatch;
        _rng = new RandomGenerator(seed + 12345);
    }

    public Space ObservationSpace => _groups[0].SingleObservationSpace;

    public Space ActionSpace => _groups[0].SingleActionSpace;

    public int StreamCount => _groups.Length * _groups[0].Count;

    /// <summary>Every publish, in order.</summary>
    public List<ExplorationBehavior> Published { get; } = [];

    /// <summary>Stops producing after this many batches (the source then ends), or never when null.</summary>
    public int? MaxBatches { get; init; }

    public int Batches { get; private set; }

    /// <summary>Runs at every publish, before the source keeps the policy (e.g. to copy the published weights).</summary>
    public Action<IAgent, ExplorationBehavior>? OnPublish { get; init; }

    public long Publish(IAgent policy, ExplorationBehavior behavior)
    {
        OnPublish?.Invoke(policy, behavior);
        _policy = policy;
        _behavior = behavior;
        Published.Add(behavior);
        return Published.Count - 1;
    }

    public ExperienceBatch? Receive(CancellationToken cancellationToken)
    {
        var policy = _policy ?? throw new InvalidOperationException("Receive before Publish.");
        if (cancellationToken.IsCancellationRequested || Batches == MaxBatches) return null;
        int g = _next;
        _next = (_next + 1) % _groups.Length;
        var env = _groups[g];
        int n = env.Count, size = env.SingleObservationSpace.FlatSize, steps = _stepsPerBatch;
        int width = env.SingleActionSpace is Box box ? box.FlatSize : 0;
        var observations = new float[steps * n * size];
        var next = new float[steps * n * size];
        var intActions = width == 0 ? new int[steps * n] : [];
        var floatActions = new float[steps * n * width];
        var rewards = new float[steps * n];
        var terminated = new bool[steps * n];
        var truncated = new bool[steps * n];
        for (int t = 0; t < steps; t++)
        {
            env.Observations.AsSpan()[..(n * size)].CopyTo(observations.AsSpan(t * n * size));
            VectorStepResult step;
            if (width == 0)
            {
                _behavior.Act(policy, env.Observations, intActions.AsSpan(t * n, n), _rng);
                step = env.Step(intActions.AsSpan(t * n, n));
            }
            else
            {
                _behavior.Act(policy, env.Observations, floatActions.AsSpan(t * n * width, n * width), _rng);
                step = env.Step(floatActions.AsSpan(t * n * width, n * width));
            }
            step.NextObservations.AsSpan()[..(n * size)].CopyTo(next.AsSpan(t * n * size));
            step.Rewards.CopyTo(rewards.AsSpan(t * n, n));
            step.Terminated.CopyTo(terminated.AsSpan(t * n, n));
            step.Truncated.CopyTo(truncated.AsSpan(t * n, n));
        }
        Batches++;
        return new ExperienceBatch(g * n, n, steps, Published.Count - 1, restarted: false,
                                   observations, intActions, floatActions, rewards, next, terminated, truncated);
    }

    public void Dispose()
    {
        foreach (var env in _groups) env.Dispose();
    }
}

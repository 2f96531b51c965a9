using System.Globalization;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Environments;
using RLKit.Tensors;

namespace RLKit.Algorithms.Qmp;

/// <summary>
/// QMP's behaviour policy (seed 002 Alg. 1): at every step every task policy π_j proposes an action for every
/// sub-environment (one batched actor pass over all rows), the mixer picks one proposal per row, and the row executes
/// that policy's sampled action. The Q-switch's scores Q1_i(s_r, ā_j) for all T proposals of all R rows come from one
/// batched critic pass over [T, k·T, obs + |A|] (task i's critic on its k rows × T proposals), computed only when the
/// mixer asks. Before <see cref="QmpOptions.MixtureWarmup"/> updates every task acts with its own policy. Counts which
/// policy each task executed and reports the proportions of each update as "selection/{i}/{j}".
/// </summary>
internal sealed class MixtureBehavior : BehaviorPolicy
{
    private readonly QmpOptions _options;
    private readonly IBehaviorMixer _mixer;
    private readonly long[,] _counts;
    private readonly string[,] _names;
    private readonly int[] _rowTasks;
    private readonly int[] _chosen;
    private readonly float[] _scores;
    private float[] _noise = [];
    private Tensor _sampled = null!, _means = null!, _scoreInput = null!;

    public MixtureBehavior(QmpOptions options, IBehaviorMixer mixer, TaskAssignment tasks)
    {
        _options = options;
        _mixer = mixer;
        int taskCount = tasks.TaskCount, rows = tasks.EnvironmentCount;
        _counts = new long[taskCount, taskCount];
        _names = new string[taskCount, taskCount];
        for (int i = 0; i < taskCount; i++)
            for (int j = 0; j < taskCount; j++) _names[i, j] = string.Create(CultureInfo.InvariantCulture, $"selection/{i}/{j}");
        _rowTasks = [.. Enumerable.Range(0, rows).Select(tasks.TaskOf)];
        _chosen = new int[rows];
        _scores = new float[rows * taskCount];
    }

    public override void Act(MultiTaskSacModel model, Tensor observations, TaskAssignment tasks, int iteration, Span<float> actions, RandomGenerator rng)
    {
        int taskCount = tasks.TaskCount, rows = _rowTasks.Length, actionSize = model.ActionSize;
        EnsureBuffers(taskCount, rows, model);
        if (iteration < _options.MixtureWarmup)
        {
            ActWithTaskPolicies(model, observations, tasks, actions, _noise.AsSpan(0, actions.Length), rng);
            for (int r = 0; r < rows; r++) _counts[_rowTasks[r], _rowTasks[r]]++;
            return;
        }

        // Every policy's proposal on every row, [T, R, ·]: one actor pass, then the samples and means in place.
        rng.FillNormal(_noise);
        model.Actions(model.Actor.Forward(observations).AsReadOnlySpan(), _noise, _sampled.AsSpan(), _means.AsSpan());
        var context = new BehaviorMixingContext(_rowTasks, observations, _sampled, _means, () => Scores(model, observations, tasks), _options, rng);
        _mixer.Choose(context, _chosen);

        var proposals = _sampled.AsReadOnlySpan();
        for (int r = 0; r < rows; r++)
        {
            int policy = _chosen[r];
            if ((uint)policy >= (uint)taskCount)
                throw new InvalidOperationException($"The behaviour mixer {_mixer.GetType().Name} chose policy {policy} for row {r}; it must be in [0, {taskCount - 1}].");
            proposals.Slice((policy * rows + r) * actionSize, actionSize).CopyTo(actions.Slice(r * actionSize, actionSize));
            _counts[_rowTasks[r], policy]++;
        }
    }

    /// <summary>Allocates the proposal, noise and scoring buffers once, at the first step (they are persistent, not scoped).</summary>
    private void EnsureBuffers(int taskCount, int rows, MultiTaskSacModel model)
    {
        if (_noise.Length > 0) return;
        int actionSize = model.ActionSize;
        _noise = new float[taskCount * rows * actionSize];
        _sampled = Tensor.AllocatePersistent([taskCount, rows, actionSize]);
        _means = Tensor.AllocatePersistent([taskCount, rows, actionSize]);
        _scoreInput = Tensor.AllocatePersistent([taskCount, rows, model.ObservationSize + actionSize]);
    }

    /// <summary>
    /// Q1_i(s_r, ā_j) for every row r (of task i) and policy j, row-major [R × T], in one pass of the critic ensemble:
    /// member i reads its k rows, each paired with the T mean actions, so its output is already rows × policies.
    /// </summary>
    private float[] Scores(MultiTaskSacModel model, Tensor observations, TaskAssignment tasks)
    {
        int taskCount = tasks.TaskCount, rows = _rowTasks.Length, observationSize = model.ObservationSize, actionSize = model.ActionSize;
        int width = observationSize + actionSize;
        // [T, k·T, obs + |A|] is [T, R, ·] with R = k·T: member i's k rows, each paired with the T mean actions.
        var destination = _scoreInput.AsSpan();
        var states = observations.AsReadOnlySpan();
        var means = _means.AsReadOnlySpan();
        for (int r = 0; r < rows; r++)          // rows are task-major, so row r is row (r mod k) of task r / k
            for (int j = 0; j < taskCount; j++)
            {
                var slot = destination.Slice((r * taskCount + j) * width, width);
                states.Slice(r * observationSize, observationSize).CopyTo(slot);
                means.Slice((j * rows + r) * actionSize, actionSize).CopyTo(slot[observationSize..]);
            }
        model.Q1.Forward(_scoreInput).AsReadOnlySpan().CopyTo(_scores);
        return _scores;
    }

    public override void Report(IDictionary<string, double> losses)
    {
        int taskCount = _counts.GetLength(0);
        for (int i = 0; i < taskCount; i++)
        {
            long total = 0;
            for (int j = 0; j < taskCount; j++) total += _counts[i, j];
            for (int j = 0; j < taskCount; j++) losses[_names[i, j]] = total == 0 ? 0 : _counts[i, j] / (double)total;
            for (int j = 0; j < taskCount; j++) _counts[i, j] = 0;
        }
    }
}

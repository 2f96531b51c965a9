using RLKit.Tensors;

namespace RLKit.Data;

/// <summary>
/// One <see cref="ReplayBuffer"/> per task id in [0, TaskCount), for multi-task learners (Distral, QMP) that keep each
/// task's experience apart and sample per task. Each task's buffer owns its own <see cref="ReplayBatch"/>, so batches
/// sampled for different tasks stay valid together.
/// </summary>
public sealed class MultiTaskReplayBuffer
{
    private readonly ReplayBuffer[] _buffers;

    /// <summary>Creates <paramref name="taskCount"/> buffers with the same layout and options (capacity is per task).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="taskCount"/> &lt; 1, or as <see cref="ReplayBuffer"/>'s constructor.</exception>
    public MultiTaskReplayBuffer(int taskCount, int observationSize, ActionLayout actions, ReplayBufferOptions? options = null)
    {
        if (taskCount < 1)
            throw new ArgumentOutOfRangeException(nameof(taskCount), taskCount, "taskCount must be ≥ 1.");
        _buffers = new ReplayBuffer[taskCount];
        for (int task = 0; task < taskCount; task++) _buffers[task] = new ReplayBuffer(observationSize, actions, options);
    }

    /// <summary>The number of tasks.</summary>
    public int TaskCount => _buffers.Length;

    /// <summary>Transitions stored over all tasks.</summary>
    public int TotalCount
    {
        get
        {
            int total = 0;
            foreach (var buffer in _buffers) total += buffer.Count;
            return total;
        }
    }

    /// <summary>The buffer of task <paramref name="taskId"/>: add to it and sample from it directly.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="taskId"/> is outside [0, TaskCount).</exception>
    public ReplayBuffer this[int taskId] => _buffers[CheckTask(taskId)];

    /// <summary>Samples <paramref name="batchSize"/> transitions of task <paramref name="taskId"/> (see <see cref="ReplayBuffer.Sample"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="taskId"/> is outside [0, TaskCount).</exception>
    public ReplayBatch Sample(int taskId, int batchSize, RandomGenerator rng) => _buffers[CheckTask(taskId)].Sample(batchSize, rng);

    /// <summary>Forgets every task's transitions.</summary>
    public void Clear()
    {
        foreach (var buffer in _buffers) buffer.Clear();
    }

    private int CheckTask(int taskId)
    {
        if ((uint)taskId >= (uint)_buffers.Length)
            throw new ArgumentOutOfRangeException(nameof(taskId), taskId, $"taskId must be in [0, {_buffers.Length}).");
        return taskId;
    }
}

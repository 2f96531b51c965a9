using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// One gradient step's transitions of every task, stacked task-major into tensors allocated once: [T, B, ·], row block t
/// sampled from task t's buffer. This is what lets a step run every task's networks in one batched pass.
/// </summary>
internal sealed class MultiTaskBatch
{
    public MultiTaskBatch(int tasks, int perTask, int observationSize, int actionSize)
    {
        Tasks = tasks;
        PerTask = perTask;
        Observations = Tensor.AllocatePersistent([tasks, perTask, observationSize]);
        Actions = Tensor.AllocatePersistent([tasks, perTask, actionSize]);
        Rewards = Tensor.AllocatePersistent([tasks, perTask]);
        NextObservations = Tensor.AllocatePersistent([tasks, perTask, observationSize]);
        Bootstrap = Tensor.AllocatePersistent([tasks, perTask]);
    }

    public int Tasks { get; }

    /// <summary>B, the transitions per task.</summary>
    public int PerTask { get; }

    /// <summary>s, [T, B, obs].</summary>
    public Tensor Observations { get; }

    /// <summary>a in the environment's units, [T, B, |A|].</summary>
    public Tensor Actions { get; }

    /// <summary>r, [T, B].</summary>
    public Tensor Rewards { get; }

    /// <summary>s′ (the final observation where an episode was truncated), [T, B, obs].</summary>
    public Tensor NextObservations { get; }

    /// <summary>The factor of the bootstrapped value, γ·(1 − terminated), [T, B]: truncation bootstraps, termination does not.</summary>
    public Tensor Bootstrap { get; }

    /// <summary>Samples <see cref="PerTask"/> transitions (with replacement) from each task's buffer, in task order.</summary>
    public void Sample(MultiTaskReplayBuffer buffers, RandomGenerator rng)
    {
        for (int task = 0; task < Tasks; task++)
        {
            var batch = buffers.Sample(task, PerTask, rng);
            Copy(batch.Observations, Observations, task);
            Copy(batch.Actions, Actions, task);
            Copy(batch.Rewards, Rewards, task);
            Copy(batch.NextObservations, NextObservations, task);
            var bootstrap = Bootstrap.AsSpan().Slice(task * PerTask, PerTask);
            var discounts = batch.Discounts.AsReadOnlySpan();
            var dones = batch.Dones.AsReadOnlySpan();
            for (int b = 0; b < PerTask; b++) bootstrap[b] = discounts[b] * (1f - dones[b]);
        }
    }

    private static void Copy(Tensor source, Tensor stacked, int task)
    {
        int size = source.Size;
        source.AsReadOnlySpan().CopyTo(stacked.AsSpan().Slice(task * size, size));
    }
}

using RLKit.Data;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// Where a method built on the multi-task SAC harness changes training, besides the behaviour policy
/// (<see cref="BehaviorPolicy"/>). The base class changes nothing (the Separated / Shared / Multihead baselines); DnC
/// (Ghosh et al. 2018, in seed 002's comparison) overrides both members:
/// <list type="bullet">
/// <item><see cref="ActorLossTerm"/> adds a differentiable term to the batched actor loss: DnC's KL between task
/// policies, computed from the step's observations and the actors (the hook may run <see cref="MultiTaskSacModel.Actor"/>
/// on other rows, e.g. every task's observations through every policy with the [N, obs] form of
/// <see cref="TaskNetworks.Forward"/>).</item>
/// <item><see cref="AfterIteration"/> runs after each update (collection, then gradient steps): DnC's distillation of
/// the task policies into <see cref="MultiTaskSacModel.Central"/> at 10 points of training (read
/// <see cref="TrainingMonitor.Progress"/>), and the reset of every task policy to it.</item>
/// </list>
/// The third need, keeping the central policy in the agent's weights, is an option: a derived options record returns
/// true from <see cref="MultiTaskSacOptions.HasCentralPolicy"/>, and the model builds <see cref="MultiTaskSacModel.Central"/>,
/// which checkpoints save under "central." and the agent's task-free <c>Act</c> uses.
/// </summary>
/// <remarks>
/// A method plugs in by deriving its estimator from <see cref="MultiTaskSacEstimator{TOptions}"/> with its own options
/// record (derived from <see cref="MultiTaskSacOptions"/>) and overriding <c>CreateHooks</c> (and <c>CreateBehavior</c>
/// for a behaviour policy, as QMP does); its registry entry restores checkpoints with
/// <see cref="MultiTaskSacAgent.FromCheckpoint{TOptions}"/>. A hooks object is created per fit, so it may keep state
/// (its own optimizer, a distillation schedule).
/// </remarks>
internal class MultiTaskSacHooks
{
    /// <summary>The harness's own behaviour: no extra loss, nothing after an iteration.</summary>
    public static MultiTaskSacHooks None { get; } = new();

    /// <summary>
    /// A scalar added to the actor loss of one gradient step (null: nothing). The SAC actor loss it joins is the sum over
    /// tasks of each task's batch mean of α_t·log π_t(a|s) − min(Q1, Q2)(s, a), so a per-task term should be summed over
    /// tasks the same way. Called inside the step's <see cref="TensorScope"/>, with gradients recorded; the critics'
    /// weights take no gradient from the actor loss.
    /// </summary>
    /// <param name="model">The networks being trained.</param>
    /// <param name="observations">The step's observations, [T, B, obs] (row block t from task t's buffer).</param>
    /// <param name="mean">Each task policy's pre-tanh mean on its own rows, [T, B, |A|] (differentiable).</param>
    /// <param name="logStd">Each task policy's clamped log-std on its own rows, [T, B, |A|] (differentiable).</param>
    public virtual Tensor? ActorLossTerm(MultiTaskSacModel model, Tensor observations, Tensor mean, Tensor logStd) => null;

    /// <summary>
    /// Runs after update <paramref name="iteration"/>.<see cref="MultiTaskSacIteration.Index"/>'s gradient steps and
    /// before its report, so losses added to <see cref="MultiTaskSacIteration.Losses"/> are reported with it.
    /// </summary>
    public virtual void AfterIteration(MultiTaskSacIteration iteration) { }
}

/// <summary>What <see cref="MultiTaskSacHooks.AfterIteration"/> may read and change.</summary>
/// <param name="Index">The update just finished, from 0.</param>
/// <param name="Model">The networks being trained.</param>
/// <param name="Buffers">Every task's replay buffer.</param>
/// <param name="Monitor">The run's monitor (steps, <see cref="TrainingMonitor.Progress"/>, cancellation).</param>
/// <param name="Random">The run's generator, for sampling (use it so runs stay reproducible).</param>
/// <param name="Losses">This update's report (means over tasks), to which the hook may add entries.</param>
internal sealed record MultiTaskSacIteration(int Index, MultiTaskSacModel Model, MultiTaskReplayBuffer Buffers, TrainingMonitor Monitor,
                                             RandomGenerator Random, IDictionary<string, double> Losses);

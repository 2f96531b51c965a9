using RLKit.Tensors;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// A checkpointable agent that also carries the state of the optimizers that trained it, so training can resume
/// where it stopped (Adam's moments and step counts continue) instead of restarting the optimizers cold.
/// </summary>
/// <remarks>
/// <para>
/// The contract between estimators, agents and <see cref="Checkpoint"/>:
/// </para>
/// <list type="bullet">
/// <item>At the end of <c>Fit</c> the estimator stores its optimizers' <c>StateDict()</c> on the agent, each under a
/// prefix naming the optimizer ("actor.", "critic.", "alpha.", ...), with <see cref="OptimizerStates.Capture"/>.</item>
/// <item>At the start of a warm-started <c>Fit(..., initialAgent)</c> the estimator restores that state into its fresh
/// optimizers with <see cref="OptimizerStates.Restore"/>, then clears it on the agent being trained, so a checkpoint
/// taken mid-fit never pairs new weights with the old optimizer state.</item>
/// <item><see cref="Checkpoint.Save"/> writes the agent's state (unless an explicit one is passed), and
/// <see cref="Checkpoint.LoadAgent"/> / <see cref="Checkpoint.LoadInto(ICheckpointable, string)"/> put the loaded state
/// back on the agent.</item>
/// <item>The off-policy estimators also leave a <see cref="TrainingState"/> (counts, counters, random generators, target
/// networks), handled the same way, so a resumed <c>Fit</c> continues bit for bit.</item>
/// </list>
/// </remarks>
public interface IResumableAgent : ICheckpointable
{
    /// <summary>
    /// The optimizers' state as named tensors (keys prefixed per optimizer, e.g. "actor.exp_avg.0", "critic.step"),
    /// or null when the agent has not been trained yet or the state was not kept. The tensors are persistent copies.
    /// </summary>
    IReadOnlyDictionary<string, Tensor>? OptimizerState { get; set; }

    /// <summary>
    /// Everything else a resumed <c>Fit</c> needs to continue where the last one stopped (see <see cref="Checkpoints.TrainingState"/>),
    /// or null: before training, after an on-policy <c>Fit</c> (PPO, A2C, REINFORCE, which warm-start without it), or when
    /// the state was not kept. Set it to null to warm-start from the weights and optimizers only, counting from zero.
    /// </summary>
    TrainingState? TrainingState { get; set; }
}

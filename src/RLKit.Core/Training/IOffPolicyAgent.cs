using RLKit.Data;

namespace RLKit.Training;

/// <summary>
/// An agent trained from a replay buffer, which it keeps after <c>Fit</c> so a warm-started <c>Fit</c> continues with
/// the transitions already collected (Stable-Baselines3's off-policy models keep theirs the same way). A checkpoint
/// holds no transitions: save the buffer beside it with <see cref="ReplayBuffer.Save"/> and put it back with
/// <see cref="ReplayBuffer.Load"/> to resume training in another process.
/// </summary>
public interface IOffPolicyAgent : IAgent
{
    /// <summary>
    /// The replay buffer the last <c>Fit</c> trained with, which a warm-started <c>Fit</c> continues (it must have the
    /// layout and options that <c>Fit</c> would create), or null: before training, after loading a checkpoint, or after
    /// setting it to null to release its memory or to resume with an empty buffer.
    /// </summary>
    ReplayBuffer? ReplayBuffer { get; set; }
}

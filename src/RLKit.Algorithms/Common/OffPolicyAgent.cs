using RLKit.Data;
using RLKit.Spaces;
using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// An agent trained from a replay buffer (DQN, soft Q-learning, SAC, discrete SAC, TD3, DDPG): it keeps the buffer
/// after <c>Fit</c> (<see cref="IOffPolicyAgent"/>) and the <see cref="Agent{TOptions}.TrainingState"/> that lets a
/// warm-started <c>Fit</c> resume bit for bit.
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
public abstract class OffPolicyAgent<TOptions> : Agent<TOptions>, IOffPolicyAgent where TOptions : class, IAlgorithmOptions
{
    private protected OffPolicyAgent(Space observationSpace, Space actionSpace, TOptions options)
        : base(observationSpace, actionSpace, options) { }

    /// <inheritdoc/>
    public ReplayBuffer? ReplayBuffer { get; set; }
}

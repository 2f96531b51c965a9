using RLKit.Tensors;

namespace RLKit.Data;

/// <summary>
/// A batch sampled from a <see cref="ReplayBuffer"/>, held in tensors the buffer owns and rewrites in place at its next
/// <see cref="ReplayBuffer.Sample"/> of the same size: copy what must outlive that call.
/// </summary>
/// <remarks>
/// The bootstrap target of row b is <c>Rewards[b] + Discounts[b] · (1 − Dones[b]) · V(NextObservations[b])</c>.
/// <see cref="Dones"/> is 1 only for transitions that reached a terminal state: truncated transitions (time limits)
/// keep Dones = 0 and bootstrap from their true final observation, stored as the next observation.
/// </remarks>
public sealed class ReplayBatch
{
    private readonly int[] _actionIndices;
    private readonly int[] _indices;

    internal ReplayBatch(int size, int observationSize, ActionLayout actions)
    {
        Size = size;
        Observations = Tensor.AllocatePersistent([size, observationSize]);
        NextObservations = Tensor.AllocatePersistent([size, observationSize]);
        Actions = actions.IsDiscrete ? Tensor.AllocatePersistent([size]) : Tensor.AllocatePersistent([size, actions.Size]);
        _actionIndices = actions.IsDiscrete ? new int[size] : [];
        Rewards = Tensor.AllocatePersistent([size]);
        Dones = Tensor.AllocatePersistent([size]);
        Discounts = Tensor.AllocatePersistent([size]);
        Weights = Tensor.AllocatePersistent([size]);
        _indices = new int[size];
    }

    /// <summary>The number of sampled transitions B.</summary>
    public int Size { get; }

    /// <summary>Observations s, [B, observation size].</summary>
    public Tensor Observations { get; }

    /// <summary>Actions: [B] (the index as a float) for discrete actions, [B, action size] for continuous ones.</summary>
    public Tensor Actions { get; }

    /// <summary>Discrete actions as integers, [B] (for <c>Gather</c>); empty for continuous actions.</summary>
    public ReadOnlySpan<int> ActionIndices => _actionIndices;

    /// <summary>Rewards, [B]: r for one-step buffers, Σ_{k&lt;m} γ^k r_{t+k} for n-step buffers.</summary>
    public Tensor Rewards { get; }

    /// <summary>The observation to bootstrap from, [B, observation size]: s' (one-step) or the m-th next observation (n-step); the true final observation for a truncated step.</summary>
    public Tensor NextObservations { get; }

    /// <summary>1 where the last transition in the window terminated, else 0, [B]. Truncation is not termination.</summary>
    public Tensor Dones { get; }

    /// <summary>The discount actually applied to the bootstrap, γ^m with m the transitions summed (γ for one-step), [B].</summary>
    public Tensor Discounts { get; }

    /// <summary>Importance-sampling weights, [B]: all 1 for uniform sampling, w_i in (0, 1] for prioritized replay.</summary>
    public Tensor Weights { get; }

    /// <summary>The buffer slots the rows came from, [B]; pass them back to <see cref="ReplayBuffer.UpdatePriorities"/>.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    internal Span<int> ActionIndicesStorage => _actionIndices;

    internal Span<int> IndicesStorage => _indices;
}

using RLKit.Tensors;

namespace RLKit.Data;

/// <summary>
/// One minibatch of a <see cref="RolloutBuffer"/> epoch, held in tensors the buffer owns and rewrites for the next
/// minibatch of the same size: use it before moving on.
/// </summary>
public sealed class RolloutMinibatch
{
    private readonly int[] _actionIndices;
    private readonly int[] _indices;
    private readonly bool[] _actionMasks;

    internal RolloutMinibatch(int size, int observationSize, ActionLayout actions)
    {
        Size = size;
        Observations = Tensor.AllocatePersistent([size, observationSize]);
        Actions = actions.IsDiscrete ? Tensor.AllocatePersistent([size]) : Tensor.AllocatePersistent([size, actions.Size]);
        _actionIndices = actions.IsDiscrete ? new int[size] : [];
        OldLogProbs = Tensor.AllocatePersistent([size]);
        OldValues = Tensor.AllocatePersistent([size]);
        Advantages = Tensor.AllocatePersistent([size]);
        Returns = Tensor.AllocatePersistent([size]);
        _indices = new int[size];
        _actionMasks = actions.IsMasked ? new bool[size * actions.ActionCount] : [];
    }

    /// <summary>Rows M in this minibatch.</summary>
    public int Size { get; }

    /// <summary>Observations, [M, observation size].</summary>
    public Tensor Observations { get; }

    /// <summary>Actions: [M] (the index as a float) for discrete actions, [M, action size] for continuous ones.</summary>
    public Tensor Actions { get; }

    /// <summary>Discrete actions as integers, [M]; empty for continuous actions.</summary>
    public ReadOnlySpan<int> ActionIndices => _actionIndices;

    /// <summary>Log-probabilities of the actions under the policy that collected them, [M].</summary>
    public Tensor OldLogProbs { get; }

    /// <summary>Critic values at collection time, [M].</summary>
    public Tensor OldValues { get; }

    /// <summary>GAE advantages, [M], normalised within the minibatch when requested.</summary>
    public Tensor Advantages { get; }

    /// <summary>Value targets (advantage + value, never normalised), [M].</summary>
    public Tensor Returns { get; }

    /// <summary>
    /// The availability masks the actions were chosen under, row-major [M × action count], when the buffer's layout
    /// is <see cref="ActionLayout.MaskedDiscrete"/>; empty otherwise.
    /// </summary>
    public ReadOnlySpan<bool> ActionMasks => _actionMasks;

    /// <summary>Flat rollout indices t · envs + e of the rows, [M].</summary>
    public ReadOnlySpan<int> Indices => _indices;

    internal Span<int> ActionIndicesStorage => _actionIndices;

    internal Span<int> IndicesStorage => _indices;

    internal Span<bool> ActionMasksStorage => _actionMasks;
}

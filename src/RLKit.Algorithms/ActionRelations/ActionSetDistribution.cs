using RLKit.Algorithms.Common;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// The policy of a relational actor (AGILE, seed 003 §3.4.2): a softmax over the utility scores of each row's
/// available actions, which sit in the padded slots of an <see cref="ActionSetBatch"/>. Padding slots get probability
/// exactly 0 (never sampled, never the mode, no gradient). Actions are universe ids on both sides: <see cref="Sample(RandomGenerator, Span{int})"/>
/// and <see cref="Mode(Span{int})"/> write ids, <see cref="LogProb(ReadOnlySpan{int})"/> takes ids and maps them to slots.
/// </summary>
internal sealed class ActionSetDistribution : IActionDistribution
{
    private readonly ActionSetBatch _actions;
    private readonly CategoricalDistribution _slots;
    private readonly int[] _slotActions;

    /// <summary>The distribution over the slots of <paramref name="actions"/> with logits <paramref name="scores"/> [B, M].</summary>
    /// <param name="scores">Utility scores [B, M] (padding may hold any value; it is masked here).</param>
    /// <param name="actions">The padded batch the scores are for.</param>
    /// <param name="universeSize">The number of actions in the universe (ids 0 … universeSize − 1).</param>
    /// <exception cref="ArgumentException">If the scores' shape is not [actions.Rows, actions.Width].</exception>
    public ActionSetDistribution(Tensor scores, ActionSetBatch actions, int universeSize)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(actions);
        if (scores.Rank != 2 || scores.Dim(0) != actions.Rows || scores.Dim(1) != actions.Width)
            throw new ArgumentException(
                $"ActionSetDistribution: scores must be [{actions.Rows}, {actions.Width}] (rows × slots of the action batch), got {Tensor.ShapeString(scores.Shape)}.", nameof(scores));
        _actions = actions;
        ActionSize = universeSize;
        var real = new bool[actions.Rows * actions.Width];
        var ids = actions.Ids;
        for (int i = 0; i < real.Length; i++) real[i] = ids[i] >= 0;
        _slots = new CategoricalDistribution(scores, real);
        _slotActions = new int[actions.Rows];
    }

    /// <inheritdoc/>
    public int BatchSize => _actions.Rows;

    /// <inheritdoc/>
    public bool IsDiscrete => true;

    /// <summary>The size of the action universe (the range of ids).</summary>
    public int ActionSize { get; }

    /// <summary>The padded batch of available actions this distribution is over.</summary>
    public ActionSetBatch Actions => _actions;

    /// <summary>Normalised log-probabilities over the slots, [B, M] (padding ≈ −1e9).</summary>
    public Tensor SlotLogProbs => _slots.LogProbs;

    /// <inheritdoc/>
    public void Sample(RandomGenerator rng, Span<int> actions)
    {
        CheckLength(actions.Length);
        _slots.Sample(rng, _slotActions);
        ToIds(actions);
    }

    /// <inheritdoc/>
    public void Mode(Span<int> actions)
    {
        CheckLength(actions.Length);
        _slots.Mode(_slotActions);
        ToIds(actions);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If an id is not among its row's available actions.</exception>
    public Tensor LogProb(ReadOnlySpan<int> actions)
    {
        CheckLength(actions.Length);
        var slots = new int[actions.Length];
        for (int b = 0; b < actions.Length; b++)
        {
            int slot = _actions.SlotOf(b, actions[b]);
            if (slot < 0)
                throw new ArgumentException($"ActionSetDistribution: action {actions[b]} in row {b} is not one of the row's available actions.", nameof(actions));
            slots[b] = slot;
        }
        return _slots.LogProb(slots);
    }

    /// <inheritdoc/>
    public Tensor Entropy() => _slots.Entropy();

    /// <inheritdoc/>
    public void Sample(RandomGenerator rng, Span<float> actions) => throw Continuous();

    /// <inheritdoc/>
    public void Mode(Span<float> actions) => throw Continuous();

    /// <inheritdoc/>
    public Tensor LogProb(Tensor actions) => throw Continuous();

    private void ToIds(Span<int> actions)
    {
        var ids = _actions.Ids;
        int width = _actions.Width;
        for (int b = 0; b < actions.Length; b++) actions[b] = ids[b * width + _slotActions[b]];
    }

    private void CheckLength(int length)
    {
        if (length != BatchSize)
            throw new ArgumentException($"ActionSetDistribution: expected {BatchSize} actions (one per row), got {length}.", "actions");
    }

    private static NotSupportedException Continuous() =>
        new("ActionSetDistribution is over action ids; use the Span<int> / ReadOnlySpan<int> members.");
}

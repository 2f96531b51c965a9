using RLKit.Algorithms.Common;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// The relational actor-critic of AGILE for PPO and A2C (seed 003 §3.4.2, C.3): the actor is an
/// <see cref="ActionSetScorer"/> whose utility score of each available action is its logit (a softmax over the
/// available actions, <see cref="ActionSetDistribution"/>); the critic has its own scorer — "not sharing the GAT weights
/// used for the actor and the critic" made training faster and more stable in the paper — and computes
/// V(s′) = Linear-ReLU-Linear on the effective state s′ = [state code ‖ action-set summary] (the state code alone when
/// there is no summarizer).
/// </summary>
/// <remarks>
/// <para>The action representations are the ActionSet's at construction, kept as the buffer "representations" so
/// a checkpoint restores them (a checkpoint's action space comes back with zero representations). Modules:
/// "actor", "critic" (the scorers) and "value" (the critic's output MLP).</para>
/// <para>The action mask of <see cref="Policy"/>, <see cref="Forward"/> and <see cref="Value(Tensor, ReadOnlySpan{bool})"/>
/// is each row's availability, row-major [B, universe]; empty means every action is available.</para>
/// <para>There is no <see cref="PolicyHead"/>: <see cref="Head"/> throws, and exporters that need one (ONNX) refuse
/// this network.</para>
/// </remarks>
public sealed class ActionSetActorCritic : ActorCriticModel
{
    private readonly ActionSetScorer _actor;
    private readonly ActionSetScorer _critic;
    private readonly Mlp _value;
    private readonly Tensor _representations;
    private readonly bool[] _allAvailable;

    /// <summary>Builds the network for observations of <paramref name="observationSize"/> floats and the actions of <paramref name="actionSet"/>.</summary>
    /// <param name="observationSize">The flattened observation size.</param>
    /// <param name="actionSet">The action universe; its current representations are copied.</param>
    /// <param name="relations">The relational architecture (encoder, summarizer, …); validated here.</param>
    /// <param name="rng">Drives every initialiser.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="observationSize"/> is not positive or an option is invalid.</exception>
    /// <exception cref="ArgumentException">If the actions have no representation (size 0).</exception>
    public ActionSetActorCritic(int observationSize, ActionSet actionSet, ActionRelationOptions relations, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(actionSet);
        ArgumentNullException.ThrowIfNull(relations);
        ArgumentNullException.ThrowIfNull(rng);
        if (observationSize < 1)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "ActionSetActorCritic: observationSize must be at least 1.");
        if (actionSet.RepresentationSize < 1)
            throw new ArgumentException($"ActionSetActorCritic: the actions need representation vectors to be scored, but {actionSet} has representation size 0.", nameof(actionSet));
        relations.Validate();
        ObservationSize = observationSize;
        Relations = relations;
        ActionCount = actionSet.Count;
        RepresentationSize = actionSet.RepresentationSize;
        _allAvailable = Enumerable.Repeat(true, actionSet.Count).ToArray();

        _representations = RegisterBuffer("representations", Tensor.FromSpan(actionSet.Representations, ActionCount, RepresentationSize));
        _actor = RegisterModule("actor", new ActionSetScorer(observationSize, RepresentationSize, relations, rng));
        // The critic reads only the state code and the summary (StateAndSummary), so its scorer skips the relational
        // utility encoder; its utility layer is built (the parameters and their initialisation stay as they were) but never run.
        _critic = RegisterModule("critic", new ActionSetScorer(observationSize, RepresentationSize, relations with { RelationalUtility = false }, rng));
        int effectiveState = _critic.StateCodeSize + _critic.SummarySize;
        _value = RegisterModule("value", new Mlp([effectiveState, relations.HiddenSize, 1], rng, Activation.ReLU));
    }

    /// <inheritdoc/>
    public override int ObservationSize { get; }

    /// <summary>The number of actions in the universe.</summary>
    public int ActionCount { get; }

    /// <summary>The length of each action's representation.</summary>
    public int RepresentationSize { get; }

    /// <summary>The relational architecture.</summary>
    public ActionRelationOptions Relations { get; }

    /// <summary>Not available: the relational actor scores actions itself, with no policy head.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override PolicyHead Head =>
        throw new NotSupportedException("ActionSetActorCritic has no PolicyHead: the relational actor scores each available action itself (use Policy).");

    /// <summary>The actor's scorer (its encoder's attention is what <see cref="ActionAttention"/> shows).</summary>
    internal ActionSetScorer Actor => _actor;

    /// <summary>The action universe with the representations the network reads (those of its buffer, so a loaded checkpoint's).</summary>
    internal ActionSet Actions => new(ActionCount, RepresentationSize, _representations.ToArray());

    /// <inheritdoc/>
    public override IActionDistribution Policy(Tensor observations, ReadOnlySpan<bool> actionMask = default)
    {
        var x = Flat(observations, nameof(ActionSetActorCritic));
        return PolicyOf(x, Batch(x.Dim(0), actionMask));
    }

    /// <inheritdoc/>
    public override Tensor Value(Tensor observations) => Value(observations, ReadOnlySpan<bool>.Empty);

    /// <inheritdoc/>
    public override Tensor Value(Tensor observations, ReadOnlySpan<bool> actionMask)
    {
        var x = Flat(observations, nameof(ActionSetActorCritic));
        return ValueOf(x, Batch(x.Dim(0), actionMask));
    }

    /// <inheritdoc/>
    public override (IActionDistribution Policy, Tensor Value) Forward(Tensor observations, ReadOnlySpan<bool> actionMask = default)
    {
        var x = Flat(observations, nameof(ActionSetActorCritic));
        var actions = Batch(x.Dim(0), actionMask);
        return (PolicyOf(x, actions), ValueOf(x, actions));
    }

    /// <summary>The padded batch of each row's available actions (every action when <paramref name="actionMask"/> is empty).</summary>
    /// <exception cref="ArgumentException">If the mask's length is not rows × universe, or a row has no available action.</exception>
    internal ActionSetBatch Batch(int rows, ReadOnlySpan<bool> actionMask)
    {
        bool[]? all = null;
        if (actionMask.IsEmpty)
        {
            all = new bool[rows * ActionCount];
            for (int r = 0; r < rows; r++) _allAvailable.CopyTo(all, r * ActionCount);
            actionMask = all;
        }
        else if (actionMask.Length != rows * ActionCount)
            throw new ArgumentException(
                $"ActionSetActorCritic: the action mask must hold {rows} rows × {ActionCount} actions = {rows * ActionCount} entries, got {actionMask.Length}.", nameof(actionMask));
        return ActionSetBatch.FromAvailability(_representations.AsReadOnlySpan(), RepresentationSize, actionMask, rows);
    }

    private ActionSetDistribution PolicyOf(Tensor x, ActionSetBatch actions) =>
        new(_actor.Score(x, actions).Scores, actions, ActionCount);

    private Tensor ValueOf(Tensor x, ActionSetBatch actions)
    {
        var (stateCode, setSummary) = _critic.StateAndSummary(x, actions);
        var state = setSummary is { } summary ? Tensor.Concat([stateCode, summary], 1) : stateCode;
        return _value.Forward(state).Reshape(x.Dim(0));
    }
}

using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>The output of <see cref="ActionSetScorer.Score"/>.</summary>
/// <param name="Scores">[B, M] one utility per slot; padding slots hold <see cref="ActionSetScorer.PaddingScore"/> (and get no gradient).</param>
/// <param name="StateCode">[B, StateHiddenSize] the state code e_s.</param>
/// <param name="Summary">[B, HiddenSize] the action-set summary, or null without a summarizer.</param>
internal readonly record struct ActionSetScores(Tensor Scores, Tensor StateCode, Tensor? Summary);

/// <summary>
/// AGILE's utility pathway (seed 003 §3.4, C.3): scores every available action of a padded
/// <see cref="ActionSetBatch"/> given the state, relating the actions through a relation encoder. Shared by the PPO
/// actor, the PPO critic (its own instance) and the cascaded DQN's Q-network.
/// </summary>
/// <remarks>
/// <para>
/// Pathway: a state encoder MLP(S → h → h, tanh) gives e_s. Node features are [e_s ‖ context ‖ c_a] (or
/// [context ‖ c_a] without the state in the graph) through Linear-ReLU to HiddenSize. The relational pathway
/// encodes the nodes; the summary pathway encodes them with its own encoder (the paper's twin GAT: "the same
/// architecture is duplicated with different weights to provide separate pathways", C.3.1) and summarises them.
/// The utility reads [e_s ‖ context ‖ summary ‖ (relational features or c_a)] through Linear-ReLU-Linear.
/// </para>
/// <para>
/// Only the pathways the options use are built: no relational encoder when the utility reads raw representations,
/// no summary pathway for the "none" summarizer, and no node MLP when neither is needed (Utility-Policy).
/// </para>
/// </remarks>
internal sealed class ActionSetScorer : Module
{
    /// <summary>The score of padding slots: finite, so no infinity enters softmaxes or maxima, yet e^(score − max) underflows to exactly 0.</summary>
    public const float PaddingScore = -1e9f;

    private readonly Mlp _state;
    private readonly Linear? _node;
    private readonly ActionRelationEncoder? _relational, _summaryEncoder;
    private readonly ActionSetSummarizer? _summarizer;
    private readonly Mlp _utility;

    /// <summary>Creates the scorer.</summary>
    /// <param name="stateSize">Observation width S (≥ 1).</param>
    /// <param name="representationSize">Action representation width D (≥ 1).</param>
    /// <param name="options">The relation options (validated here).</param>
    /// <param name="rng">Initialises every weight.</param>
    /// <param name="contextSize">Width of the optional per-row context (e.g. CDQN's list embedding); 0 = none.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a width is out of range or an option is invalid.</exception>
    public ActionSetScorer(int stateSize, int representationSize, ActionRelationOptions options, RandomGenerator rng, int contextSize = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        if (stateSize < 1) throw new ArgumentOutOfRangeException(nameof(stateSize), stateSize, "ActionSetScorer: stateSize must be ≥ 1.");
        if (representationSize < 1) throw new ArgumentOutOfRangeException(nameof(representationSize), representationSize, "ActionSetScorer: representationSize must be ≥ 1.");
        if (contextSize < 0) throw new ArgumentOutOfRangeException(nameof(contextSize), contextSize, "ActionSetScorer: contextSize must be ≥ 0.");
        options.Validate();
        Options = options;
        StateSize = stateSize;
        RepresentationSize = representationSize;
        ContextSize = contextSize;
        int code = options.StateHiddenSize, hidden = options.HiddenSize;
        _state = RegisterModule("state", new Mlp([stateSize, code, code], rng, Activation.Tanh, Activation.Tanh));

        bool summary = options.Summarizer != "none";
        if (options.RelationalUtility || summary)
        {
            int nodeInput = (options.StateInGraph ? code : 0) + contextSize + representationSize;
            _node = RegisterModule("node", new Linear(nodeInput, hidden, rng));
            if (options.RelationalUtility) _relational = RegisterModule("encoder", ActionRelationEncoders.Create(hidden, options, rng));
            if (summary)
            {
                _summaryEncoder = RegisterModule("summary_encoder", ActionRelationEncoders.Create(hidden, options, rng));
                _summarizer = RegisterModule("summarizer", ActionSetSummarizers.Create(_summaryEncoder.OutputSize, options, rng)!);
            }
        }
        int utilityInput = code + contextSize + (_summarizer?.OutputSize ?? 0) + (_relational?.OutputSize ?? representationSize);
        _utility = RegisterModule("utility", new Mlp([utilityInput, hidden, 1], rng, Activation.ReLU));
    }

    /// <summary>The relation options the scorer was built with.</summary>
    public ActionRelationOptions Options { get; }

    /// <summary>Observation width S.</summary>
    public int StateSize { get; }

    /// <summary>Action representation width D.</summary>
    public int RepresentationSize { get; }

    /// <summary>Per-row context width (0 = none).</summary>
    public int ContextSize { get; }

    /// <summary>Width of the state code e_s.</summary>
    public int StateCodeSize => Options.StateHiddenSize;

    /// <summary>Width of the summary (0 without a summarizer).</summary>
    public int SummarySize => _summarizer?.OutputSize ?? 0;

    /// <summary>The encoder whose per-action features the utility reads, or null when it reads raw representations.</summary>
    public ActionRelationEncoder? RelationalEncoder => _relational;

    /// <summary>The encoder feeding the summary, or null without a summarizer.</summary>
    public ActionRelationEncoder? SummaryEncoder => _summaryEncoder;

    /// <summary>The encoder whose attention <see cref="Score"/> reports: the relational one if any, else the summary's.</summary>
    public ActionRelationEncoder? AttentionEncoder => _relational ?? _summaryEncoder;

    /// <summary>Scores every slot of <paramref name="actions"/>.</summary>
    /// <param name="states">[B, S] observations.</param>
    /// <param name="actions">The padded available actions of the B rows.</param>
    /// <param name="context">[B, ContextSize] extra per-row features; required iff ContextSize &gt; 0.</param>
    /// <param name="attention">When non-null, receives the attention layers of <see cref="AttentionEncoder"/> (if it has attention).</param>
    /// <exception cref="ArgumentException">If a shape or width does not match (the message names the expected one).</exception>
    public ActionSetScores Score(Tensor states, ActionSetBatch actions, Tensor? context = null, IList<Tensor>? attention = null)
    {
        Check(states, actions, context);

        int rows = actions.Rows, width = actions.Width;
        var mask = actions.Mask;
        var (stateCode, summary, relational) = Encode(states, actions, context, attention);
        // Per-row features are repeated over the M slots by a broadcast product with ones (the engine has no expand op).
        var slots = Tensor.Ones(1, width, 1);
        var perRow = new List<Tensor>(4) { stateCode.Unsqueeze(1) * slots };
        if (context is not null) perRow.Add(context.Unsqueeze(1) * slots);
        if (summary is not null) perRow.Add(summary.Unsqueeze(1) * slots);
        perRow.Add(relational ?? actions.Representations);
        var scores = _utility.Forward(Tensor.Concat(perRow, 2)).Reshape(rows, width);
        return new ActionSetScores(scores.MaskedFill(Padding(mask), PaddingScore), stateCode, summary);
    }

    /// <summary>
    /// The state code e_s and the action-set summary without the per-action utilities: what a critic reads, so it
    /// does not pay for scores it would discard.
    /// </summary>
    /// <exception cref="ArgumentException">If a shape or width does not match (the message names the expected one).</exception>
    public (Tensor StateCode, Tensor? Summary) StateAndSummary(Tensor states, ActionSetBatch actions)
    {
        Check(states, actions, context: null);
        var (stateCode, summary, _) = Encode(states, actions, context: null, attention: null, relationalToo: false);
        return (stateCode, summary);
    }

    // The state code, the summary and (unless skipped) the relational per-action features.
    private (Tensor StateCode, Tensor? Summary, Tensor? Relational) Encode(Tensor states, ActionSetBatch actions, Tensor? context,
                                                                        IList<Tensor>? attention, bool relationalToo = true)
    {
        var mask = actions.Mask;
        var stateCode = _state.Forward(states); // [B, code]
        if (_node is null) return (stateCode, null, null);
        var slots = Tensor.Ones(1, actions.Width, 1);
        var nodeParts = new List<Tensor>(3);
        if (Options.StateInGraph) nodeParts.Add(stateCode.Unsqueeze(1) * slots);
        if (context is not null) nodeParts.Add(context.Unsqueeze(1) * slots);
        nodeParts.Add(actions.Representations);
        var nodes = _node.Forward(nodeParts.Count == 1 ? nodeParts[0] : Tensor.Concat(nodeParts, 2)).Relu();
        var relational = relationalToo && _relational is not null ? _relational.Encode(nodes, mask, attention) : null;
        Tensor? summary = null;
        if (_summaryEncoder is not null)
            summary = _summarizer!.Summarize(_summaryEncoder.Encode(nodes, mask, _relational is null ? attention : null), mask);
        return (stateCode, summary, relational);
    }

    private void Check(Tensor states, ActionSetBatch actions, Tensor? context)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(actions);
        if (states.Rank != 2 || states.Dim(1) != StateSize || states.Dim(0) != actions.Rows)
            throw new ArgumentException($"ActionSetScorer: states shape {Tensor.ShapeString(states.Shape)} must be [rows={actions.Rows}, {StateSize}].", nameof(states));
        if (actions.RepresentationSize != RepresentationSize)
            throw new ArgumentException($"ActionSetScorer: the action representations are {actions.RepresentationSize} wide but the scorer was built for {RepresentationSize}.", nameof(actions));
        if (ContextSize == 0 && context is not null)
            throw new ArgumentException("ActionSetScorer: a context was given but the scorer was built with contextSize 0.", nameof(context));
        if (ContextSize > 0 && (context is null || context.Rank != 2 || context.Dim(0) != actions.Rows || context.Dim(1) != ContextSize))
            throw new ArgumentException($"ActionSetScorer: context shape {(context is null ? "null" : Tensor.ShapeString(context.Shape))} must be [rows={actions.Rows}, {ContextSize}].", nameof(context));
    }

    /// <summary>1 at padding slots, 0 at real ones (a constant).</summary>
    private static Tensor Padding(Tensor mask)
    {
        var padding = Tensor.ZerosLike(mask);
        var m = mask.AsReadOnlySpan();
        var p = padding.AsSpan();
        for (int i = 0; i < m.Length; i++) p[i] = m[i] == 0f ? 1f : 0f;
        return padding;
    }
}

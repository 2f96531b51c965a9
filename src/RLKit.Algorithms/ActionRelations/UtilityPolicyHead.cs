using RLKit.Algorithms.Common;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// The utility policy of seed 003 ch. 2 as a policy head over an <see cref="ActionSet"/>: it scores each available
/// action a by f_ν(c_a, h) = Linear(H, 1)(ReLU(Linear(L + H, H)([h ‖ Linear(D, H)(c_a)]))) from its representation
/// c_a and the trunk's latent h (the state encoder f_ω), and returns the softmax over the available actions (eq. 2.3,
/// App. D.3.2). Registered as the keyed <see cref="ActionSetHeadFactory"/> "utility" (<see cref="ActionSetHeads"/>).
/// </summary>
/// <remarks>
/// <para>The representations of the whole universe [ActionSize × RepresentationSize] are the buffer
/// "representations", so a checkpoint keeps them (an ActionSet restored from a checkpoint carries zero
/// representations); <see cref="SetRepresentations"/> swaps in new ones, e.g. those an encoder inferred for new
/// actions. Parameters: "projection" (D → H), "hidden" (L + H → H, reading [h ‖ projected c]) and "output" (H → 1,
/// orthogonal with gain 0.01 so the untrained policy is near uniform over the available actions).</para>
/// <para>Only the available actions are scored: each row's actions are gathered into a padded batch, the state half of
/// the hidden layer runs once per row and the action half as one product over the gathered actions. The projection
/// and the action half of the hidden layer are both linear, so they are applied as their composed [H × D] map (the
/// same function, fewer operations). When a batch holds more action slots than the universe has actions (a PPO
/// minibatch), the action half runs once over the universe and each slot picks its row.</para>
/// <para>The action mask passed to <see cref="Distribution"/> is each row's availability, row-major
/// [B, ActionSize]; empty means every action is available. Unavailable actions have probability exactly 0 and are
/// never sampled nor the mode.</para>
/// </remarks>
public sealed class UtilityPolicyHead : PolicyHead
{
    private readonly Linear _projection;
    private readonly Linear _hidden;
    private readonly Linear _output;
    private readonly Tensor _representations;

    /// <summary>Creates the head for the actions of <paramref name="actions"/>, copying their current representations.</summary>
    /// <param name="latentSize">Width L of the trunk's latent (the encoded state).</param>
    /// <param name="actions">The action universe; its representations are copied.</param>
    /// <param name="options">The utility network's widths; validated here.</param>
    /// <param name="rng">Initialises every weight.</param>
    /// <exception cref="ArgumentNullException">If an argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="latentSize"/> is not positive or an option is invalid.</exception>
    /// <exception cref="ArgumentException">If the actions have no representation (representation size 0).</exception>
    public UtilityPolicyHead(int latentSize, ActionSet actions, UtilityPolicyOptions options, RandomGenerator rng)
        : base(latentSize, actions?.Count ?? 1)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        if (actions.RepresentationSize < 1)
            throw new ArgumentException(
                $"UtilityPolicyHead: the utility policy scores actions by their representations, but {actions} has representation size 0; give the ActionSet representation vectors (e.g. from an IActionEncoder).",
                nameof(actions));
        Options = options;
        RepresentationSize = actions.RepresentationSize;
        int hidden = options.HiddenSize;
        _representations = RegisterBuffer("representations", Tensor.FromSpan(actions.Representations, actions.Count, RepresentationSize));
        _projection = RegisterModule("projection", new Linear(RepresentationSize, hidden, rng));
        _hidden = RegisterModule("hidden", new Linear(latentSize + hidden, hidden, rng));
        _output = RegisterModule("output", OutputLayer(hidden, 1, rng, gain: 0.01f));
    }

    /// <inheritdoc/>
    public override bool IsDiscrete => true;

    /// <summary>The length of each action's representation.</summary>
    public int RepresentationSize { get; }

    /// <summary>The utility network's widths.</summary>
    public UtilityPolicyOptions Options { get; }

    /// <summary>A copy of the representations the head scores, [ActionSize × RepresentationSize] row-major.</summary>
    public float[] Representations => _representations.ToArray();

    /// <summary>Replaces the representations the head scores (e.g. newly inferred ones), [ActionSize × RepresentationSize].</summary>
    /// <exception cref="ArgumentException">If the length is not ActionSize × RepresentationSize or a value is not finite.</exception>
    public void SetRepresentations(ReadOnlySpan<float> representations)
    {
        if (representations.Length != ActionSize * RepresentationSize)
            throw new ArgumentException(
                $"UtilityPolicyHead.SetRepresentations: expected {ActionSize} actions × {RepresentationSize} floats = {ActionSize * RepresentationSize} values, got {representations.Length}.",
                nameof(representations));
        for (int i = 0; i < representations.Length; i++)
            if (!float.IsFinite(representations[i]))
                throw new ArgumentException(
                    $"UtilityPolicyHead.SetRepresentations: the representation of action {i / RepresentationSize} holds {representations[i]} at index {i % RepresentationSize}; every value must be finite.",
                    nameof(representations));
        representations.CopyTo(_representations.AsSpan());
    }

    /// <inheritdoc/>
    /// <remarks>An empty mask allows every action. Actions are universe ids on both sides of the distribution.</remarks>
    /// <exception cref="ArgumentException">If the latent is not [B, LatentSize], the mask is not [B, ActionSize] or a row allows no action.</exception>
    public override IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default)
    {
        var actions = Gather(latent, actionMask);
        return new ActionSetDistribution(Scores(latent, actions), actions, ActionSize);
    }

    /// <summary>The padded batch of each row's available actions (every action for an empty mask), after checking the inputs.</summary>
    internal ActionSetBatch Gather(Tensor latent, ReadOnlySpan<bool> actionMask)
    {
        CheckLatent(latent);
        int rows = latent.Dim(0), count = ActionSize;
        bool[]? all = null;
        if (actionMask.IsEmpty)
        {
            all = new bool[rows * count];
            Array.Fill(all, true);
            actionMask = all;
        }
        else if (actionMask.Length != rows * count)
            throw new ArgumentException(
                $"UtilityPolicyHead: the action mask must hold {rows} rows × {count} actions = {rows * count} entries, got {actionMask.Length}.", nameof(actionMask));
        else
            for (int b = 0; b < rows; b++)
                if (!actionMask.Slice(b * count, count).Contains(true))
                    throw new ArgumentException($"UtilityPolicyHead: row {b} of the action mask allows no action; every row needs at least one.", nameof(actionMask));
        return ActionSetBatch.FromAvailability(_representations.AsReadOnlySpan(), RepresentationSize, actionMask, rows);
    }

    /// <summary>The utility of every slot of <paramref name="actions"/> given <paramref name="latent"/> [B, L]: [B, M], padding unmasked.</summary>
    internal Tensor Scores(Tensor latent, ActionSetBatch actions)
    {
        int rows = actions.Rows, width = actions.Width, hidden = Options.HiddenSize;
        var weight = _hidden.Weight; // [H, L + H]: the state half reads h, the action half the projected c_a
        var stateWeight = weight.Narrow(1, 0, LatentSize);
        var actionWeight = weight.Narrow(1, LatentSize, hidden);
        var perRow = Tensor.Linear(latent, stateWeight, _hidden.Bias); // [B, H]
        var composedWeight = Tensor.MatMul(actionWeight, _projection.Weight); // [H, D]
        var composedBias = Tensor.Linear(_projection.Bias!, actionWeight, null); // [H]

        Tensor perSlot; // [B, M, H]
        if (rows * width > ActionSize)
        {
            var ids = actions.Ids;
            var index = new int[ids.Length];
            for (int i = 0; i < index.Length; i++) index[i] = Math.Max(ids[i], 0); // padding reads action 0; it is masked
            perSlot = Tensor.Linear(_representations, composedWeight, composedBias).IndexSelect(0, index).Reshape(rows, width, hidden);
        }
        else perSlot = Tensor.Linear(actions.Representations, composedWeight, composedBias);

        var features = (perSlot + perRow.Reshape(rows, 1, hidden)).Relu();
        return _output.Forward(features).Reshape(rows, width);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"UtilityPolicyHead(latent={LatentSize}, actions={ActionSize}, representation={RepresentationSize}, hidden={Options.HiddenSize}; scores each available action by its representation)";
}

/// <summary>
/// Creates a policy head for an <see cref="ActionSet"/> action space from the trunk's latent width, the action universe
/// and a generator; registered as keyed services ("utility", "masked-categorical") by <c>AddClassicAlgorithms()</c>
/// (<see cref="ActionSetHeads.All"/>).
/// </summary>
/// <param name="latentSize">The width of the features the head reads.</param>
/// <param name="actions">The action universe (its count and representations).</param>
/// <param name="rng">Initialises the head's weights.</param>
public delegate PolicyHead ActionSetHeadFactory(int latentSize, ActionSet actions, RandomGenerator rng);

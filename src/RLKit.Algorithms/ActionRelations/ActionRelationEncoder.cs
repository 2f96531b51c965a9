using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// Encodes a padded batch of available actions (graph nodes) into per-action features, relating each action to
/// the other available actions of its row (AGILE's relation encoder, seed 003 §3.3).
/// </summary>
/// <remarks>
/// Implementations guarantee that padding nodes (mask 0) never influence the outputs of real nodes, so a padded
/// batch gives each row exactly what the row alone would give; the outputs at padding slots are unspecified
/// (callers mask them) and receive no gradient from real outputs.
/// </remarks>
public abstract class ActionRelationEncoder : Module
{
    /// <summary>Creates the encoder's shape description.</summary>
    /// <param name="inputSize">Node feature width (≥ 1).</param>
    /// <param name="outputSize">Per-action output width (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">If a width is below 1.</exception>
    protected ActionRelationEncoder(int inputSize, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>Node feature width In.</summary>
    public int InputSize { get; }

    /// <summary>Per-action output width Out.</summary>
    public int OutputSize { get; }

    /// <summary>Whether <see cref="Encode"/> can report attention weights (true for graph attention only).</summary>
    public virtual bool HasAttention => false;

    /// <summary>Encodes the nodes of every row, relating only the real nodes of the same row.</summary>
    /// <param name="nodes">[B, M, <see cref="InputSize"/>] node features (padding slots may hold anything).</param>
    /// <param name="mask">[B, M]: 1 = real action, 0 = padding. Every row needs at least one real action.</param>
    /// <param name="attention">
    /// When non-null, an encoder with attention appends each layer's attention α [B, heads, M, M] (detached;
    /// row i = how action i weighs action j); others leave it unchanged.
    /// </param>
    /// <returns>[B, M, <see cref="OutputSize"/>].</returns>
    /// <exception cref="ArgumentException">If a shape is wrong or a row has no real action.</exception>
    public abstract Tensor Encode(Tensor nodes, Tensor mask, IList<Tensor>? attention = null);

    /// <summary>Checks the shapes shared by every encoder; returns (B, M).</summary>
    /// <exception cref="ArgumentException">If <paramref name="nodes"/> is not [B, M, InputSize], the mask not [B, M], or a row of the mask is empty.</exception>
    protected (int Batch, int Width) CheckInputs(Tensor nodes, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(mask);
        if (nodes.Rank != 3 || nodes.Dim(2) != InputSize)
            throw new ArgumentException($"{GetType().Name}: nodes shape {Tensor.ShapeString(nodes.Shape)} must be [batch, M, {InputSize}].", nameof(nodes));
        int batch = nodes.Dim(0), width = nodes.Dim(1);
        if (mask.Rank != 2 || mask.Dim(0) != batch || mask.Dim(1) != width)
            throw new ArgumentException($"{GetType().Name}: mask shape {Tensor.ShapeString(mask.Shape)} must be [batch={batch}, M={width}].", nameof(mask));
        var m = mask.AsReadOnlySpan();
        for (int b = 0; b < batch; b++)
        {
            bool any = false;
            for (int j = 0; j < width && !any; j++) any = m[b * width + j] != 0f;
            if (!any)
                throw new ArgumentException($"{GetType().Name}: mask row {b} has no real action; every row needs at least one available action.", nameof(mask));
        }
        return (batch, width);
    }
}

/// <summary>Creates a relation encoder; registered as a keyed service by <c>AddClassicAlgorithms()</c> under its name.</summary>
/// <param name="inputSize">Node feature width.</param>
/// <param name="options">The relation options (width, heads, slope).</param>
/// <param name="rng">Initialises the encoder's weights.</param>
public delegate ActionRelationEncoder ActionRelationEncoderFactory(int inputSize, ActionRelationOptions options, RandomGenerator rng);

/// <summary>The built-in relation encoders by name ("gat", "gcn", "deepset", "lstm", "none").</summary>
public static class ActionRelationEncoders
{
    /// <summary>The encoders by name.</summary>
    public static IReadOnlyDictionary<string, ActionRelationEncoderFactory> All { get; } = new Dictionary<string, ActionRelationEncoderFactory>(StringComparer.Ordinal)
    {
        ["gat"] = static (input, options, rng) => new GatEncoder(input, options.HiddenSize, rng, options.Heads, options.NegativeSlope),
        ["gcn"] = static (input, options, rng) => new GcnEncoder(input, options.HiddenSize, rng),
        ["deepset"] = static (input, options, rng) => new DeepSetEncoder(input, options.HiddenSize, rng),
        ["lstm"] = static (input, options, rng) => new LstmEncoder(input, options.HiddenSize, rng),
        ["none"] = static (input, _, _) => new IdentityEncoder(input),
    };

    /// <summary>The encoder names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gat", "gcn", "deepset", "lstm", "none"];

    /// <summary>Creates the encoder named by <paramref name="options"/>.<see cref="ActionRelationOptions.Encoder"/>.</summary>
    /// <exception cref="ArgumentException">If the name is unknown (the message lists the known names).</exception>
    public static ActionRelationEncoder Create(int inputSize, ActionRelationOptions options, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        return All.TryGetValue(options.Encoder ?? "", out var factory)
            ? factory(inputSize, options, rng)
            : throw new ArgumentException($"ActionRelationEncoders: unknown encoder '{options.Encoder}'; known encoders: {string.Join(", ", Names)}.", nameof(options));
    }
}

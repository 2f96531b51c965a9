using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// A graph convolution layer (GCN, Kipf and Welling) over a complete graph of the given nodes, as AGILE-GCN uses
/// it (seed 003 C.3.1): h'_i = Σ_j Â_ij (W h_j) + b with the symmetric-normalised adjacency Â = D^−½ A D^−½,
/// where A links every pair of distinct real nodes and has a zero diagonal.
/// </summary>
/// <remarks>
/// The diagonal is zero on purpose: with self-loops every node of a complete graph would get the same neighbourhood,
/// and the layer would reduce to learning the same edge coefficient for all nodes (the paper's reason). With the
/// diagonal removed, Â_ij = 1/(n − 1) for the n real nodes, so node i sees the mean of the others. A node without
/// neighbours (the only real node, or padding) aggregates nothing and outputs the bias. Parameters: "weight"
/// [out, in] (Xavier-uniform) and "bias" [out] (zeros). No nonlinearity is applied.
/// </remarks>
public sealed class GraphConvolution : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inFeatures">Node feature width F (≥ 1).</param>
    /// <param name="outFeatures">Output width (≥ 1).</param>
    /// <param name="rng">Drives the weight initialiser.</param>
    /// <param name="bias">Whether to add a bias to the output.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a width is not positive.</exception>
    public GraphConvolution(int inFeatures, int outFeatures, RandomGenerator rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "GraphConvolution: inFeatures must be positive.");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "GraphConvolution: outFeatures must be positive.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weight = Tensor.AllocatePersistent([outFeatures, inFeatures]);
        Init.XavierUniform(weight, rng);
        Weight = RegisterParameter("weight", weight);
        if (bias) Bias = RegisterParameter("bias", Tensor.AllocatePersistent([outFeatures]));
    }

    /// <summary>Node feature width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>W [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The output bias, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>
    /// The normalised adjacency Â [B, N, N] (a constant, no gradient) of the complete graph over the nodes whose
    /// <paramref name="mask"/> entry is nonzero, with a zero diagonal: Â_ij = 1/√(d_i d_j) for distinct real i, j,
    /// where d = (number of real nodes − 1), else 0.
    /// </summary>
    /// <param name="mask">[B, N]: nonzero = the node is in the graph.</param>
    /// <exception cref="ArgumentException">If the mask is not rank 2.</exception>
    public static Tensor NormalizedAdjacency(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Rank != 2)
            throw new ArgumentException($"GraphConvolution: mask shape {Tensor.ShapeString(mask.Shape)} must be [batch, N].", nameof(mask));
        int batch = mask.Dim(0), n = mask.Dim(1);
        var adjacency = Tensor.Zeros(batch, n, n);
        var m = mask.AsReadOnlySpan();
        var a = adjacency.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            int real = 0;
            for (int j = 0; j < n; j++) if (m[b * n + j] != 0f) real++;
            if (real < 2) continue; // no edges without a second node
            // Every real node of a complete graph has degree real − 1, so 1/√(d_i d_j) = 1/(real − 1).
            float weight = 1f / (real - 1);
            for (int i = 0; i < n; i++)
            {
                if (m[b * n + i] == 0f) continue;
                for (int j = 0; j < n; j++)
                    if (j != i && m[b * n + j] != 0f) a[(b * n + i) * n + j] = weight;
            }
        }
        return adjacency;
    }

    /// <summary>Applies the layer over the complete graph of the real nodes.</summary>
    /// <param name="nodes">[B, N, F] (or [N, F] for one graph).</param>
    /// <param name="mask">[B, N] (or [N]); nonzero = a real node. Null = every node is real.</param>
    /// <returns>[B, N, out] (or [N, out]). Real nodes read only real nodes; nodes outside the mask output the bias.</returns>
    /// <exception cref="ArgumentException">If a shape is wrong (the message names the expected shape).</exception>
    public Tensor Forward(Tensor nodes, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Rank == 2)
        {
            if (mask is not null && mask.Rank != 1)
                throw new ArgumentException($"GraphConvolution: for unbatched nodes {Tensor.ShapeString(nodes.Shape)} the mask must be [N], got {Tensor.ShapeString(mask.Shape)}.", nameof(mask));
            return Forward(nodes.Unsqueeze(0), mask?.Unsqueeze(0)).Squeeze(0);
        }
        if (nodes.Rank != 3 || nodes.Dim(2) != InFeatures)
            throw new ArgumentException($"GraphConvolution: nodes shape {Tensor.ShapeString(nodes.Shape)} must be [batch, N, {InFeatures}].", nameof(nodes));
        int batch = nodes.Dim(0), n = nodes.Dim(1);
        if (mask is not null && (mask.Rank != 2 || mask.Dim(0) != batch || mask.Dim(1) != n))
            throw new ArgumentException($"GraphConvolution: mask shape {Tensor.ShapeString(mask.Shape)} must be [batch={batch}, N={n}].", nameof(mask));
        var adjacency = NormalizedAdjacency(mask ?? Tensor.Ones(batch, n));
        var output = Tensor.MatMul(adjacency, Tensor.Linear(nodes, Weight, null)); // [B, N, out]
        return Bias is null ? output : output + Bias;
    }

    /// <inheritdoc/>
    public override string ToString() => $"GraphConvolution(in={InFeatures}, out={OutFeatures})";
}

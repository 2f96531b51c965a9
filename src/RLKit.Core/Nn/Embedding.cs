using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// A lookup table of learned vectors, as PyTorch's <c>nn.Embedding</c>: parameter "weight" [count, dim],
/// initialised N(0, 1); row i is the vector of id i. Gradients flow only into the looked-up rows.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    public Embedding(int count, int dim, RandomGenerator rng, Initializer? init = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Embedding: count must be positive.");
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "Embedding: dim must be positive.");
        Count = count;
        Dim = dim;
        var weight = Tensor.AllocatePersistent([count, dim]);
        (init ?? Initializer.Normal()).Apply(weight, rng);
        Weight = RegisterParameter("weight", weight);
    }

    /// <summary>The number of ids.</summary>
    public int Count { get; }

    /// <summary>The vector width.</summary>
    public int Dim { get; }

    /// <summary>The table [count, dim].</summary>
    public Tensor Weight { get; }

    /// <summary>The vectors of <paramref name="ids"/>, in order: [ids.Length, dim].</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an id lies outside [0, count).</exception>
    public Tensor Forward(ReadOnlySpan<int> ids)
    {
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Embedding: ids[{i}] = {ids[i]} is outside [0, {Count}).");
        return Weight.IndexSelect(0, ids);
    }

    /// <summary>The vectors of <paramref name="ids"/> laid out as <paramref name="shape"/> + [dim] (e.g. [B, T] ids → [B, T, dim]).</summary>
    /// <exception cref="ArgumentException">If the shape does not hold ids.Length elements.</exception>
    public Tensor Forward(ReadOnlySpan<int> ids, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long size = 1;
        foreach (int d in shape) size *= d;
        if (size != ids.Length || shape.Any(d => d < 0))
            throw new ArgumentException($"Embedding: shape {Tensor.ShapeString(shape)} must hold exactly the {ids.Length} ids.", nameof(shape));
        return Forward(ids).Reshape([.. shape, Dim]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Embedding({Count}, {Dim})";
}

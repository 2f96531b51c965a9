using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Cdqn;

/// <summary>
/// φ_list of Algorithm 5: the embedding e_list of the items chosen so far, which conditions the cascaded Q-network on
/// the partial list. The reference implementation runs a one-layer GRU over the list followed by a 2-layer MLP (C.3.3);
/// RLKit's engine has no GRU, so this is a DeepSet with a position code instead: e_list = ρ([mean_i φ(c_{a_i}) ‖
/// onehot(n)]), with φ and ρ 2-layer ReLU MLPs and n the number of items chosen (the mean is 0 for the empty list).
/// Order within the prefix is lost, which the cascade does not need: the Q-value of the next item depends on which
/// items are already in the slate, and the position code says how far the list has come.
/// </summary>
internal sealed class CdqnListEncoder : Module
{
    private readonly Mlp _item;
    private readonly Mlp _list;

    /// <param name="representationSize">Item representation width D.</param>
    /// <param name="listLength">List length N (the width of the position code).</param>
    /// <param name="hiddenSize">Width of φ's output and ρ's hidden layer.</param>
    /// <param name="outputSize">Width of e_list.</param>
    /// <param name="rng">Initialises the weights.</param>
    public CdqnListEncoder(int representationSize, int listLength, int hiddenSize, int outputSize, RandomGenerator rng)
    {
        RepresentationSize = representationSize;
        ListLength = listLength;
        OutputSize = outputSize;
        _item = RegisterModule("item", new Mlp([representationSize, hiddenSize, hiddenSize], rng, Activation.ReLU, Activation.ReLU));
        _list = RegisterModule("list", new Mlp([hiddenSize + listLength, hiddenSize, outputSize], rng, Activation.ReLU));
    }

    /// <summary>Item representation width D.</summary>
    public int RepresentationSize { get; }

    /// <summary>List length N.</summary>
    public int ListLength { get; }

    /// <summary>Width of e_list.</summary>
    public int OutputSize { get; }

    /// <summary>e_list for <paramref name="rows"/> partial lists.</summary>
    /// <param name="representations">[items, D] the universe's representations.</param>
    /// <param name="prefixes">[rows, N] item ids: row r's chosen items first, then −1 (at least one −1: a full list has no next position).</param>
    /// <param name="rows">The number of partial lists.</param>
    /// <returns>[rows, OutputSize].</returns>
    public Tensor Encode(ReadOnlySpan<float> representations, ReadOnlySpan<int> prefixes, int rows)
    {
        int n = ListLength, d = RepresentationSize;
        var chosen = new float[rows * n * d];
        var mask = new float[rows * n];
        var scale = new float[rows];
        var position = new float[rows * n];
        for (int r = 0; r < rows; r++)
        {
            int count = 0;
            while (count < n && prefixes[r * n + count] >= 0)
            {
                int id = prefixes[r * n + count];
                representations.Slice(id * d, d).CopyTo(chosen.AsSpan((r * n + count) * d, d));
                mask[r * n + count] = 1f;
                count++;
            }
            if (count == n)
                throw new ArgumentException($"CdqnListEncoder: row {r} already holds a full list of {n} items; there is no next position to encode.", nameof(prefixes));
            scale[r] = count == 0 ? 0f : 1f / count;
            position[r * n + count] = 1f;
        }
        var items = _item.Forward(Tensor.FromArray(chosen, rows, n, d)) * Tensor.FromArray(mask, rows, n, 1); // [R, N, H], 0 past the prefix
        var pooled = items.Sum(1) * Tensor.FromArray(scale, rows, 1);                                           // masked mean [R, H]
        return _list.Forward(Tensor.Concat([pooled, Tensor.FromArray(position, rows, n)], 1));
    }
}

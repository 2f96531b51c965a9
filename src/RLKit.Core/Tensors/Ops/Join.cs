using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Joins tensors end to end along <paramref name="axis"/>. All must have the same rank and agree in every
    /// other dimension.
    /// </summary>
    /// <exception cref="ArgumentException">If the list is empty or two shapes disagree (the message names both).</exception>
    [MethodImpl(HotPath.Optimized)]
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
            throw new ArgumentException("concat: needs at least one tensor, got an empty list.", nameof(tensors));
        var inputs = new Tensor[tensors.Count];
        for (int t = 0; t < inputs.Length; t++)
            inputs[t] = tensors[t] ?? throw new ArgumentNullException(nameof(tensors), $"concat: tensor {t} is null.");
        var first = inputs[0];
        if (first.Rank == 0)
            throw new ArgumentException("concat: scalars (rank 0) cannot be concatenated; use Stack, or Reshape(1) first.", nameof(tensors));
        int a = NormalizeAxis(axis, first.Rank, nameof(axis));
        int total = 0;
        for (int t = 0; t < inputs.Length; t++)
        {
            var shape = inputs[t]._shape;
            bool compatible = shape.Length == first.Rank;
            for (int d = 0; compatible && d < shape.Length; d++)
                if (d != a && shape[d] != first._shape[d]) compatible = false;
            if (!compatible)
                throw new ArgumentException(
                    $"concat: tensor {t} has shape {ShapeString(shape)} but tensor 0 has shape {ShapeString(first._shape)}; they must match in every dimension except axis {axis}.",
                    nameof(tensors));
            total += shape[a];
        }
        var outShape = (int[])first._shape.Clone();
        outShape[a] = total;
        var y = Allocate(outShape, clear: false);
        var (outer, _, inner) = y.AxisLayout(a);
        var yd = y.Data;
        int offset = 0;
        foreach (var t in inputs)
        {
            int block = t._shape[a] * inner;
            var x = t.Data;
            for (int o = 0; o < outer; o++)
                x.AsSpan(o * block, block).CopyTo(yd.AsSpan(o * total * inner + offset, block));
            offset += block;
        }
        return y.Finish("concat", ShouldRecord(inputs) ? new ConcatNode(inputs, a) : null);
    }

    /// <summary>
    /// Joins equally shaped tensors along a new dimension inserted at <paramref name="axis"/>
    /// (so [A, B] tensors stacked at axis 0 give [N, A, B]).
    /// </summary>
    /// <exception cref="ArgumentException">If the list is empty or two shapes differ (the message names both).</exception>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
            throw new ArgumentException("stack: needs at least one tensor, got an empty list.", nameof(tensors));
        var first = tensors[0] ?? throw new ArgumentNullException(nameof(tensors), "stack: tensor 0 is null.");
        int a = NormalizeAxis(axis, first.Rank + 1, nameof(axis));
        var expanded = new Tensor[tensors.Count];
        for (int t = 0; t < expanded.Length; t++)
        {
            var tensor = tensors[t] ?? throw new ArgumentNullException(nameof(tensors), $"stack: tensor {t} is null.");
            if (!tensor.Shape.SequenceEqual(first.Shape))
                throw new ArgumentException(
                    $"stack: tensor {t} has shape {ShapeString(tensor._shape)} but tensor 0 has shape {ShapeString(first._shape)}; all must be equal.",
                    nameof(tensors));
            expanded[t] = tensor.Unsqueeze(a);
        }
        return Concat(expanded, a);
    }

    /// <summary>
    /// Cuts this tensor along <paramref name="axis"/> into consecutive pieces of the given sizes, which must add
    /// up to the dimension. Each piece is a copy; gradients flow back into the matching range.
    /// </summary>
    /// <exception cref="ArgumentException">If a size is negative or the sizes do not add up to the dimension.</exception>
    public Tensor[] Split(int[] sizes, int axis)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        long sum = 0;
        foreach (int s in sizes)
        {
            if (s < 0)
                throw new ArgumentException($"split: sizes {ShapeString(sizes)} contain a negative size.", nameof(sizes));
            sum += s;
        }
        if (sum != _shape[a])
            throw new ArgumentException(
                $"split: sizes {ShapeString(sizes)} add up to {sum}, but axis {axis} of shape {ShapeString(_shape)} has length {_shape[a]}.",
                nameof(sizes));
        var pieces = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            pieces[i] = Narrow(a, start, sizes[i]);
            start += sizes[i];
        }
        return pieces;
    }

    /// <summary>
    /// Cuts this tensor along <paramref name="axis"/> into at most <paramref name="count"/> pieces, as PyTorch's
    /// chunk does: each piece has ⌈length / count⌉ elements along the axis except possibly a shorter last one,
    /// so fewer than <paramref name="count"/> pieces come back when the length does not divide evenly enough
    /// (length 6 in 4 chunks gives 3 pieces of 2). A zero-length axis gives one empty piece.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="count"/> is less than 1.</exception>
    public Tensor[] Chunk(int count, int axis)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, "chunk: count must be at least 1.");
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        int length = _shape[a];
        if (length == 0) return [Narrow(a, 0, 0)];
        int piece = (length + count - 1) / count;
        int pieces = (length + piece - 1) / piece;
        var sizes = new int[pieces];
        for (int i = 0; i < pieces; i++) sizes[i] = Math.Min(piece, length - i * piece);
        return Split(sizes, a);
    }

    private sealed class ConcatNode(Tensor[] inputs, int axis) : GradNode("concat", inputs)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var (outer, total, inner) = outputGrad.AxisLayout(axis);
            var g = outputGrad.AsReadOnlySpan();
            int offset = 0;
            foreach (var t in Inputs)
            {
                int block = t.ShapeRef[axis] * inner;
                var buffer = GradBuffer(t, out bool overwrite);
                if (buffer is not null)
                {
                    var dx = buffer.AsSpan();
                    for (int o = 0; o < outer; o++)
                    {
                        var src = g.Slice(o * total * inner + offset, block);
                        var dst = dx.Slice(o * block, block);
                        if (overwrite) src.CopyTo(dst);
                        else TensorPrimitives.Add(dst, src, dst);
                    }
                }
                offset += block;
            }
        }
    }
}

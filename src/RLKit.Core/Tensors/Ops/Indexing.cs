using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/> − 1 along
    /// <paramref name="axis"/> (a copy). The gradient flows back into that range; elsewhere it is zero.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If the range does not fit in the dimension.</exception>
    [MethodImpl(HotPath.Optimized)]
    public Tensor Narrow(int axis, int start, int length)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        int dim = _shape[a];
        if ((uint)start > (uint)dim)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"narrow: start {start} is out of range; axis {axis} of shape {ShapeString(_shape)} allows start in [0, {dim}].");
        if (length < 0 || length > dim - start)
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"narrow: length {length} is out of range; from start {start}, axis {axis} of shape {ShapeString(_shape)} allows length in [0, {dim - start}].");
        var shape = (int[])_shape.Clone();
        shape[a] = length;
        var y = Allocate(shape, clear: false);
        var (outer, _, inner) = AxisLayout(a);
        int block = length * inner;
        var x = Data;
        for (int o = 0; o < outer; o++)
            x.AsSpan((o * dim + start) * inner, block).CopyTo(y.Data.AsSpan(o * block, block));
        return y.Finish("narrow", ShouldRecord(this) ? new NarrowNode(this, a, start, length) : null);
    }

    /// <summary>
    /// The elements with index in [<paramref name="start"/>, <paramref name="end"/>) along <paramref name="axis"/>
    /// (a copy). Negative bounds count from the end of the dimension, as in Python.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If a bound lies outside the dimension or end precedes start.</exception>
    public Tensor Slice(int axis, int start, int end)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        int dim = _shape[a];
        int s = start < 0 ? start + dim : start, e = end < 0 ? end + dim : end;
        if ((uint)s > (uint)dim)
            throw new ArgumentOutOfRangeException(nameof(start), start,
                $"slice: start {start} is out of range; axis {axis} of shape {ShapeString(_shape)} allows start in [{-dim}, {dim}].");
        if ((uint)e > (uint)dim || e < s)
            throw new ArgumentOutOfRangeException(nameof(end), end,
                $"slice: end {end} is out of range; with start {start}, axis {axis} of shape {ShapeString(_shape)} allows end in [{s}, {dim}] (or its negative form).");
        return Narrow(a, s, e - s);
    }

    /// <summary>
    /// The slices at <paramref name="indices"/> along <paramref name="axis"/>, in that order (a copy). Indices may
    /// repeat; the gradients of repeated slices add up.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If an index lies outside the dimension (the message names it).</exception>
    [MethodImpl(HotPath.Optimized)]
    public Tensor IndexSelect(int axis, ReadOnlySpan<int> indices)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        int dim = _shape[a];
        for (int j = 0; j < indices.Length; j++)
            if ((uint)indices[j] >= (uint)dim)
                throw IndexOutOfRange("index_select", nameof(indices), j, indices[j], axis, dim);
        var shape = (int[])_shape.Clone();
        shape[a] = indices.Length;
        var y = Allocate(shape, clear: false);
        var (outer, _, inner) = AxisLayout(a);
        var x = Data;
        var yd = y.Data;
        int count = indices.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++)
                x.AsSpan((o * dim + indices[j]) * inner, inner).CopyTo(yd.AsSpan((o * count + j) * inner, inner));
        return y.Finish("index_select", ShouldRecord(this) ? new IndexSelectNode(this, a, indices.ToArray()) : null);
    }

    /// <summary>
    /// PyTorch's gather: out[..., k, ...] = this[..., index[..., k, ...], ...] along <paramref name="axis"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="index"/> is laid out row-major in the input's shape with dimension <paramref name="axis"/>
    /// replaced by K = index.Length / (Size / Dim(axis)); the output has that shape. For example
    /// logits [B, A].Gather(1, actions[B]) gives [B, 1], the logit of each taken action.
    /// </remarks>
    /// <exception cref="ArgumentException">If index.Length is not a multiple of the other dimensions' product.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an index lies outside the dimension (the message names it).</exception>
    [MethodImpl(HotPath.Optimized)]
    public Tensor Gather(int axis, ReadOnlySpan<int> index)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        var (outer, dim, inner) = AxisLayout(a);
        int count = IndexedLength("gather", index.Length, outer * inner, a);
        for (int j = 0; j < index.Length; j++)
            if ((uint)index[j] >= (uint)dim)
                throw IndexOutOfRange("gather", nameof(index), j, index[j], axis, dim);
        var shape = (int[])_shape.Clone();
        shape[a] = count;
        var y = Allocate(shape, clear: false);
        var x = Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < count; k++)
            {
                int row = (o * count + k) * inner;
                for (int i = 0; i < inner; i++)
                    yd[row + i] = x[(o * dim + index[row + i]) * inner + i];
            }
        return y.Finish("gather", ShouldRecord(this) ? new GatherNode(this, a, count, index.ToArray()) : null);
    }

    /// <summary>
    /// PyTorch's scatter_add, out of place: a copy of this tensor with out[..., index[..., k, ...], ...] +=
    /// source[..., k, ...] along <paramref name="axis"/>. Differentiable in both this tensor and the source.
    /// </summary>
    /// <remarks>
    /// <paramref name="index"/> has the source's shape (row-major); the source has this tensor's shape except
    /// along <paramref name="axis"/>. Repeated indices add up.
    /// </remarks>
    /// <exception cref="ArgumentException">If the shapes disagree (the message names both) or index.Length ≠ source.Size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an index lies outside the dimension (the message names it).</exception>
    [MethodImpl(HotPath.Optimized)]
    public Tensor ScatterAdd(int axis, ReadOnlySpan<int> index, Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        bool compatible = source.Rank == Rank;
        for (int d = 0; compatible && d < Rank; d++)
            if (d != a && source._shape[d] != _shape[d]) compatible = false;
        if (!compatible)
            throw new ArgumentException(
                $"scatter_add: source shape {ShapeString(source._shape)} must equal the destination shape {ShapeString(_shape)} in every dimension except axis {axis}.",
                nameof(source));
        if (index.Length != source.Size)
            throw new ArgumentException(
                $"scatter_add: index has {index.Length} entries but the source of shape {ShapeString(source._shape)} has {source.Size}; they must match.",
                nameof(index));
        var (outer, dim, inner) = AxisLayout(a);
        for (int j = 0; j < index.Length; j++)
            if ((uint)index[j] >= (uint)dim)
                throw IndexOutOfRange("scatter_add", nameof(index), j, index[j], axis, dim);
        int count = source._shape[a];
        var y = Allocate(_shape, clear: false);
        Data.AsSpan().CopyTo(y.Data);
        var yd = y.Data;
        var s = source.Data;
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < count; k++)
            {
                int row = (o * count + k) * inner;
                for (int i = 0; i < inner; i++)
                    yd[(o * dim + index[row + i]) * inner + i] += s[row + i];
            }
        return y.Finish("scatter_add", ShouldRecord(this, source) ? new ScatterAddNode(this, source, a, count, index.ToArray()) : null);
    }

    /// <summary>
    /// Element-wise choice: <paramref name="a"/> where <paramref name="condition"/> is non-zero, else
    /// <paramref name="b"/>, with NumPy broadcasting over all three. Gradients flow to a and b only.
    /// </summary>
    /// <exception cref="ArgumentException">If the three shapes cannot be broadcast together (the message names them).</exception>
    [MethodImpl(HotPath.Optimized)]
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] shape;
        try
        {
            shape = BroadcastPlan.ResultShape("where", BroadcastPlan.ResultShape("where", condition._shape, a._shape), b._shape);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException(
                $"where: condition {ShapeString(condition._shape)}, a {ShapeString(a._shape)} and b {ShapeString(b._shape)} cannot be broadcast together.");
        }
        var y = Allocate(shape, clear: false);
        var plan = BroadcastPlan.Create(shape, condition._shape, a._shape, b._shape, operands: 3);
        int rowLength = plan.RowLength, rows = plan.Rows;
        bool cRow = plan.RowContiguous(0), aRow = plan.RowContiguous(1), bRow = plan.RowContiguous(2);
        float[] c = condition.Data, ad = a.Data, bd = b.Data, yd = y.Data;
        for (int r = 0; r < rows; r++)
        {
            plan.RowOffsets(r, out int oc, out int oa, out int ob);
            int o = r * rowLength;
            for (int i = 0; i < rowLength; i++)
                yd[o + i] = c[cRow ? oc + i : oc] != 0f ? ad[aRow ? oa + i : oa] : bd[bRow ? ob + i : ob];
        }
        return y.Finish("where", ShouldRecord(a, b) ? new WhereNode(condition, a, b) : null);
    }

    /// <summary>
    /// A copy with <paramref name="value"/> wherever <paramref name="mask"/> (broadcast to this tensor's shape)
    /// is non-zero. The gradient flows to the unmasked elements.
    /// </summary>
    /// <exception cref="ArgumentException">If the mask does not broadcast to this tensor's shape.</exception>
    public Tensor MaskedFill(Tensor mask, float value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        bool fits = mask.Rank <= Rank;
        for (int d = 1; fits && d <= mask.Rank; d++)
            if (mask._shape[^d] != 1 && mask._shape[^d] != _shape[^d]) fits = false;
        if (!fits)
            throw new ArgumentException(
                $"masked_fill: mask shape {ShapeString(mask._shape)} does not broadcast to the tensor's shape {ShapeString(_shape)}.", nameof(mask));
        return Where(mask, Full(value), this);
    }

    /// <summary>K for an index tensor with <paramref name="indexLength"/> entries and <paramref name="others"/> elements per K.</summary>
    private int IndexedLength(string op, int indexLength, int others, int axis)
    {
        if (others == 0)
        {
            if (indexLength != 0)
                throw new ArgumentException($"{op}: the tensor of shape {ShapeString(_shape)} has no elements outside axis {axis}, so index must be empty, but it has {indexLength} entries.", "index");
            return 0;
        }
        if (indexLength % others != 0)
            throw new ArgumentException(
                $"{op}: index has {indexLength} entries, which is not a multiple of {others}, the product of the dimensions of {ShapeString(_shape)} other than axis {axis}.",
                "index");
        return indexLength / others;
    }

    private ArgumentOutOfRangeException IndexOutOfRange(string op, string argument, int position, int value, int axis, int dim) =>
        new(argument, value,
            $"{op}: {argument}[{position}] = {value} is out of range; axis {axis} of shape {ShapeString(_shape)} allows indices 0..{dim - 1}.");

    private sealed class NarrowNode(Tensor x, int axis, int start, int length) : GradNode("narrow", x)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBuffer(x, out bool overwrite);
            if (buffer is null) return;
            var dx = buffer.AsSpan();
            if (overwrite) dx.Clear();
            var (outer, dim, inner) = x.AxisLayout(axis);
            int block = length * inner;
            var g = outputGrad.AsReadOnlySpan();
            for (int o = 0; o < outer; o++)
            {
                var dst = dx.Slice((o * dim + start) * inner, block);
                TensorPrimitives.Add(dst, g.Slice(o * block, block), dst);
            }
        }
    }

    private sealed class IndexSelectNode(Tensor x, int axis, int[] indices) : GradNode("index_select", x)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBufferForAdd(x);
            if (buffer is null) return;
            var dx = buffer.AsSpan();
            var (outer, dim, inner) = x.AxisLayout(axis);
            var g = outputGrad.AsReadOnlySpan();
            int count = indices.Length;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < count; j++)
                {
                    var dst = dx.Slice((o * dim + indices[j]) * inner, inner);
                    TensorPrimitives.Add(dst, g.Slice((o * count + j) * inner, inner), dst);
                }
        }
    }

    private sealed class GatherNode(Tensor x, int axis, int count, int[] index) : GradNode("gather", x)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBufferForAdd(x);
            if (buffer is null) return;
            var dx = buffer.AsSpan();
            var (outer, dim, inner) = x.AxisLayout(axis);
            var g = outputGrad.AsReadOnlySpan();
            for (int o = 0; o < outer; o++)
                for (int k = 0; k < count; k++)
                {
                    int row = (o * count + k) * inner;
                    for (int i = 0; i < inner; i++)
                        dx[(o * dim + index[row + i]) * inner + i] += g[row + i];
                }
        }
    }

    private sealed class ScatterAddNode(Tensor x, Tensor source, int axis, int count, int[] index) : GradNode("scatter_add", x, source)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            Tensor x = Inputs[0], source = Inputs[1];
            var g = outputGrad.AsReadOnlySpan();
            Accumulate(x, g);
            var buffer = GradBuffer(source, out bool overwrite);
            if (buffer is null) return;
            var ds = buffer.AsSpan();
            var (outer, dim, inner) = x.AxisLayout(axis);
            for (int o = 0; o < outer; o++)
                for (int k = 0; k < count; k++)
                {
                    int row = (o * count + k) * inner;
                    for (int i = 0; i < inner; i++)
                    {
                        float v = g[(o * dim + index[row + i]) * inner + i];
                        ds[row + i] = overwrite ? v : ds[row + i] + v;
                    }
                }
        }
    }

    private sealed class WhereNode(Tensor condition, Tensor a, Tensor b) : GradNode("where", a, b)
    {
        private Tensor? _condition = condition;

        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            Tensor a = Inputs[0], b = Inputs[1];
            var shape = outputGrad.ShapeRef;
            var g = outputGrad.AsReadOnlySpan();
            var c = _condition!.Data;
            var plan = BroadcastPlan.Create(shape, _condition.ShapeRef, operands: 1);
            int rowLength = plan.RowLength, rows = plan.Rows;
            bool cRow = plan.RowContiguous(0);
            var temp = BufferPool.Rent(g.Length, clear: false);
            try
            {
                foreach (var (input, selectWhenTrue) in new[] { (a, true), (b, false) })
                {
                    if (!input.RequiresGrad) continue;
                    for (int r = 0; r < rows; r++)
                    {
                        plan.RowOffsets(r, out int oc, out _, out _);
                        int o = r * rowLength;
                        for (int i = 0; i < rowLength; i++)
                            temp[o + i] = (c[cRow ? oc + i : oc] != 0f) == selectWhenTrue ? g[o + i] : 0f;
                    }
                    AccumulateBroadcast(input, shape, temp.AsSpan(0, g.Length));
                }
            }
            finally
            {
                BufferPool.Return(temp);
            }
        }

        public override void Free()
        {
            _condition = null;
            base.Free();
        }
    }
}

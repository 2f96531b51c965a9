using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// A view with a new shape over the same storage (no copy). One dimension may be −1 and is inferred.
    /// </summary>
    /// <exception cref="ArgumentException">If the element count would change.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] resolved = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"reshape: at most one dimension may be -1, got {ShapeString(shape)}.", nameof(shape));
                infer = i;
            }
            else if (resolved[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(shape), $"reshape: dimension {i} of {ShapeString(shape)} is {resolved[i]}; dimensions must be ≥ 0 or -1.");
            else known *= resolved[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Size % known != 0)
                throw new ArgumentException($"reshape: cannot infer the -1 dimension of {ShapeString(shape)} for a tensor of shape {ShapeString(_shape)} ({Size} elements).", nameof(shape));
            resolved[infer] = (int)(Size / known);
            known *= resolved[infer];
        }
        if (known != Size)
            throw new ArgumentException($"reshape: shape {ShapeString(shape)} holds {known} elements, but the tensor of shape {ShapeString(_shape)} has {Size}.", nameof(shape));
        var view = new Tensor(Data, resolved, Owner) { Pooled = Pooled };
        TensorScope.Register(view);
        return view.Finish("reshape", ShouldRecord(this) ? new ReshapeNode(this) : null);
    }

    /// <summary>Same as <see cref="Reshape"/>: a view with a new shape.</summary>
    public Tensor View(params int[] shape) => Reshape(shape);

    /// <summary>A 2-D view [first dimension, everything else] (or [1, size] for scalars and vectors when <paramref name="axis"/> is 0).</summary>
    public Tensor Flatten(int axis = 1)
    {
        int a = axis == Rank ? Rank : NormalizeAxis(axis, Math.Max(Rank, 1), nameof(axis));
        int outer = 1;
        for (int d = 0; d < a; d++) outer *= _shape[d];
        return Reshape(outer, outer == 0 ? 0 : Size / Math.Max(outer, 1));
    }

    /// <summary>A view with a size-1 dimension inserted at <paramref name="axis"/> (−1 appends).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = NormalizeAxis(axis, Rank + 1, nameof(axis));
        var shape = new int[Rank + 1];
        for (int d = 0, s = 0; d < shape.Length; d++) shape[d] = d == a ? 1 : _shape[s++];
        return Reshape(shape);
    }

    /// <summary>A view without dimension <paramref name="axis"/>, which must have size 1.</summary>
    public Tensor Squeeze(int axis)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        if (_shape[a] != 1)
            throw new ArgumentException($"squeeze: dimension {axis} of shape {ShapeString(_shape)} has size {_shape[a]}, not 1.", nameof(axis));
        var shape = new int[Rank - 1];
        for (int d = 0, s = 0; d < Rank; d++) if (d != a) shape[s++] = _shape[d];
        return Reshape(shape);
    }

    /// <summary>Reorders the dimensions: output dimension i is input dimension <paramref name="dims"/>[i]. Copies.</summary>
    /// <exception cref="ArgumentException">If <paramref name="dims"/> is not a permutation of 0..rank−1.</exception>
    public Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length != Rank)
            throw new ArgumentException($"permute: a rank-{Rank} tensor (shape {ShapeString(_shape)}) needs {Rank} dimensions, got {ShapeString(dims)}.", nameof(dims));
        var seen = new bool[Rank];
        var normalized = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int d = NormalizeAxis(dims[i], Rank, nameof(dims));
            if (seen[d]) throw new ArgumentException($"permute: {ShapeString(dims)} repeats dimension {d}.", nameof(dims));
            seen[d] = true;
            normalized[i] = d;
        }
        var shape = new int[Rank];
        for (int i = 0; i < Rank; i++) shape[i] = _shape[normalized[i]];
        var y = Allocate(shape, clear: false);
        PermuteCopy(Data, _shape, normalized, y.Data, accumulate: false);
        return y.Finish("permute", ShouldRecord(this) ? new PermuteNode(this, normalized) : null);
    }

    /// <summary>Swaps two dimensions (a copy).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var dims = new int[Rank];
        for (int i = 0; i < Rank; i++) dims[i] = i;
        int a = NormalizeAxis(dim0, Rank, nameof(dim0)), b = NormalizeAxis(dim1, Rank, nameof(dim1));
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return Permute(dims);
    }

    /// <summary>The transpose of a 2-D tensor (a copy); prefer MatMul's transpose flags in products.</summary>
    public Tensor T()
    {
        if (Rank != 2) throw new InvalidOperationException($"T() needs a 2-D tensor, but the shape is {ShapeString(_shape)}.");
        return Transpose(0, 1);
    }

    /// <summary>Writes (or adds) source, laid out in <paramref name="sourceShape"/>, permuted by <paramref name="dims"/> into destination.</summary>
    [MethodImpl(HotPath.Optimized)]
    private static void PermuteCopy(ReadOnlySpan<float> source, ReadOnlySpan<int> sourceShape, ReadOnlySpan<int> dims, Span<float> destination, bool accumulate)
    {
        int rank = sourceShape.Length;
        if (rank == 0 || source.Length == 0)
        {
            if (source.Length == 1) destination[0] = accumulate ? destination[0] + source[0] : source[0];
            return;
        }
        Span<int> sourceStrides = stackalloc int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) { sourceStrides[d] = stride; stride *= sourceShape[d]; }
        // Walk the destination in order; its dimension i steps the source by sourceStrides[dims[i]].
        Span<int> outShape = stackalloc int[rank];
        Span<int> step = stackalloc int[rank];
        Span<int> counter = stackalloc int[rank];
        for (int i = 0; i < rank; i++) { outShape[i] = sourceShape[dims[i]]; step[i] = sourceStrides[dims[i]]; counter[i] = 0; }
        int inner = outShape[rank - 1], innerStep = step[rank - 1];
        int offset = 0;
        for (int o = 0; o < destination.Length; o += inner)
        {
            int s = offset;
            if (accumulate) for (int j = 0; j < inner; j++, s += innerStep) destination[o + j] += source[s];
            else for (int j = 0; j < inner; j++, s += innerStep) destination[o + j] = source[s];
            for (int d = rank - 2; d >= 0; d--)
            {
                offset += step[d];
                if (++counter[d] < outShape[d]) break;
                offset -= step[d] * outShape[d];
                counter[d] = 0;
            }
        }
    }

    private sealed class ReshapeNode(Tensor x) : GradNode("reshape", x)
    {
        public override void Backward(Tensor outputGrad) => Accumulate(Inputs[0], outputGrad.AsReadOnlySpan());
    }

    private sealed class PermuteNode(Tensor x, int[] dims) : GradNode("permute", x)
    {
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBuffer(x, out bool overwrite);
            if (buffer is null) return;
            var inverse = new int[dims.Length];
            for (int i = 0; i < dims.Length; i++) inverse[dims[i]] = i;
            PermuteCopy(outputGrad.AsReadOnlySpan(), outputGrad.ShapeRef, inverse, buffer.AsSpan(), accumulate: !overwrite);
        }
    }
}

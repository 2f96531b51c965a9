using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>Splits the shape around <paramref name="axis"/> into [outer, length, inner].</summary>
    private (int Outer, int Length, int Inner) AxisLayout(int axis)
    {
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= _shape[d];
        for (int d = axis + 1; d < Rank; d++) inner *= _shape[d];
        return (outer, _shape[axis], inner);
    }

    private int[] ReducedShape(int axis, bool keepDim)
    {
        if (keepDim)
        {
            var kept = (int[])_shape.Clone();
            kept[axis] = 1;
            return kept;
        }
        var shape = new int[Rank - 1];
        for (int d = 0, s = 0; d < Rank; d++) if (d != axis) shape[s++] = _shape[d];
        return shape;
    }

    /// <summary>Sum of all elements (a scalar).</summary>
    public Tensor Sum() => Reshape(Size).Sum(0);

    /// <summary>Sum over <paramref name="axis"/>.</summary>
    [MethodImpl(HotPath.Optimized)]
    public Tensor Sum(int axis, bool keepDim = false)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        var (outer, length, inner) = AxisLayout(a);
        var y = Allocate(ReducedShape(a, keepDim), clear: inner != 1);
        var x = Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1) yd[o] = TensorPrimitives.Sum(x.AsSpan(o * length, length));
            else
            {
                var dst = yd.AsSpan(o * inner, inner);
                for (int l = 0; l < length; l++) SimdMath.Binary<SimdMath.AddOp>(dst, x.AsSpan((o * length + l) * inner, inner), dst);
            }
        }
        return y.Finish("sum", ShouldRecord(this) ? new SumNode(this, a) : null);
    }

    /// <summary>Mean of all elements (a scalar).</summary>
    public Tensor Mean() => Sum() * (1f / Math.Max(Size, 1));

    /// <summary>Mean over <paramref name="axis"/>.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Sum(axis, keepDim) * (1f / Math.Max(Dim(axis), 1));

    /// <summary>Maximum over <paramref name="axis"/>; the gradient goes to the first maximal element.</summary>
    public Tensor Max(int axis, bool keepDim = false)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        var (outer, length, inner) = AxisLayout(a);
        if (length == 0) throw new ArgumentException($"max: dimension {axis} of shape {ShapeString(_shape)} is empty.", nameof(axis));
        var y = Allocate(ReducedShape(a, keepDim), clear: false);
        var argmax = ArgMaxCore(a);
        var x = Data;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                y.Data[o * inner + i] = x[(o * length + argmax[o * inner + i]) * inner + i];
        return y.Finish("max", ShouldRecord(this) ? new MaxNode(this, a, argmax) : null);
    }

    /// <summary>Maximum of all elements (a scalar).</summary>
    public Tensor Max() => Reshape(Size).Max(0);

    /// <summary>Index of the first maximum along <paramref name="axis"/>, laid out in the reduced shape (no gradient).</summary>
    public int[] ArgMax(int axis = -1) => ArgMaxCore(NormalizeAxis(axis, Rank, nameof(axis)));

    [MethodImpl(HotPath.Optimized)]
    private int[] ArgMaxCore(int axis)
    {
        var (outer, length, inner) = AxisLayout(axis);
        var result = new int[outer * inner];
        var x = Data;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                result[o] = length == 0 ? 0 : TensorPrimitives.IndexOfMax(x.AsSpan(o * length, length));
                continue;
            }
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bestValue = x[o * length * inner + i];
                for (int l = 1; l < length; l++)
                {
                    float v = x[(o * length + l) * inner + i];
                    if (v > bestValue || (float.IsNaN(v) && !float.IsNaN(bestValue))) { best = l; bestValue = v; }
                }
                result[o * inner + i] = best;
            }
        }
        return result;
    }

    /// <summary>log Σ exp(x) over <paramref name="axis"/>, computed stably by subtracting the maximum first.</summary>
    public Tensor LogSumExp(int axis, bool keepDim = false)
    {
        var max = Max(axis, keepDim: true).Detach();
        var result = (this - max).Exp().Sum(axis, keepDim: true).Log() + max;
        return keepDim ? result : result.Squeeze(axis);
    }

    /// <summary>Variance over <paramref name="axis"/>; unbiased (divides by n − 1) unless <paramref name="unbiased"/> is false.</summary>
    public Tensor Var(int axis, bool unbiased = true, bool keepDim = false)
    {
        int n = Dim(axis);
        var centered = this - Mean(axis, keepDim: true);
        return centered.Square().Sum(axis, keepDim) * (1f / Math.Max(unbiased ? n - 1 : n, 1));
    }

    /// <summary>Variance of all elements.</summary>
    public Tensor Var(bool unbiased = true) => Reshape(Size).Var(0, unbiased);

    private sealed class SumNode(Tensor x, int axis) : GradNode("sum", x)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBuffer(x, out bool overwrite);
            if (buffer is null) return;
            var (outer, length, inner) = x.AxisLayout(axis);
            var g = outputGrad.AsReadOnlySpan();
            var dx = buffer.AsSpan();
            for (int o = 0; o < outer; o++)
            {
                for (int l = 0; l < length; l++)
                {
                    var dst = dx.Slice((o * length + l) * inner, inner);
                    if (inner == 1)
                    {
                        dst[0] = overwrite ? g[o] : dst[0] + g[o];
                        continue;
                    }
                    var src = g.Slice(o * inner, inner);
                    if (overwrite) src.CopyTo(dst);
                    else SimdMath.Binary<SimdMath.AddOp>(dst, src, dst);
                }
            }
        }
    }

    private sealed class MaxNode(Tensor x, int axis, int[] argmax) : GradNode("max", x)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBufferForAdd(x);
            if (buffer is null) return;
            var (outer, length, inner) = x.AxisLayout(axis);
            var g = outputGrad.AsReadOnlySpan();
            var dx = buffer.AsSpan();
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    dx[(o * length + argmax[o * inner + i]) * inner + i] += g[o * inner + i];
        }
    }
}

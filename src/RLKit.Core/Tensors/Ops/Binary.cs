using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

/// <summary>The broadcasting element-wise binary primitives.</summary>
internal enum BinaryKind { Add, Sub, Mul, Div, Minimum, Maximum, Pow }

public sealed partial class Tensor
{
    /// <summary>Element-wise sum with NumPy broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryKind.Add, "add", a, b);
    /// <summary>Element-wise difference with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(BinaryKind.Sub, "sub", a, b);
    /// <summary>Element-wise product with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(BinaryKind.Mul, "mul", a, b);
    /// <summary>Element-wise quotient with NumPy broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(BinaryKind.Div, "div", a, b);
    /// <summary>Element-wise minimum with NumPy broadcasting; ties split the gradient equally.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryKind.Minimum, "minimum", a, b);
    /// <summary>Element-wise maximum with NumPy broadcasting; ties split the gradient equally.</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryKind.Maximum, "maximum", a, b);
    /// <summary>Element-wise power a^b with NumPy broadcasting (a must be positive where b is differentiated).</summary>
    public static Tensor Pow(Tensor a, Tensor b) => Binary(BinaryKind.Pow, "pow", a, b);

    /// <summary>Element-wise sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    /// <summary>Element-wise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);
    /// <summary>Element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);
    /// <summary>Element-wise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(Tensor a, float b) => a.Affine(1f, b);
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(float a, Tensor b) => b.Affine(1f, a);
    /// <summary>Subtracts a constant.</summary>
    public static Tensor operator -(Tensor a, float b) => a.Affine(1f, -b);
    /// <summary>Subtracts from a constant.</summary>
    public static Tensor operator -(float a, Tensor b) => b.Affine(-1f, a);
    /// <summary>Multiplies by a constant.</summary>
    public static Tensor operator *(Tensor a, float b) => a.Affine(b, 0f);
    /// <summary>Multiplies by a constant.</summary>
    public static Tensor operator *(float a, Tensor b) => b.Affine(a, 0f);
    /// <summary>Divides by a constant.</summary>
    public static Tensor operator /(Tensor a, float b) => a.Affine(1f / b, 0f);
    /// <summary>Divides a constant by each element.</summary>
    public static Tensor operator /(float a, Tensor b) => Div(Full(a), b);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Element-wise minimum with a constant.</summary>
    public Tensor Minimum(float value) => Minimum(this, Full(value));
    /// <summary>Element-wise maximum with a constant.</summary>
    public Tensor Maximum(float value) => Maximum(this, Full(value));

    [MethodImpl(HotPath.Optimized)]
    private static Tensor Binary(BinaryKind kind, string name, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] shape = a._shape.AsSpan().SequenceEqual(b._shape) ? a._shape : BroadcastPlan.ResultShape(name, a._shape, b._shape);
        var y = Allocate(shape, clear: false);
        var plan = BroadcastPlan.Create(shape, a._shape, b._shape, operands: 2);
        BinaryForward(kind, plan, a.Data, b.Data, y.Data);
        return y.Finish(name, ShouldRecord(a, b) ? new BinaryNode(kind, name, a, b) : null);
    }

    [MethodImpl(HotPath.Optimized)]
    private static void BinaryForward(BinaryKind kind, in BroadcastPlan plan, float[] a, float[] b, float[] y)
    {
        int rowLength = plan.RowLength, rows = plan.Rows;
        bool aRow = plan.RowContiguous(0), bRow = plan.RowContiguous(1);
        for (int r = 0; r < rows; r++)
        {
            plan.RowOffsets(r, out int oa, out int ob, out _);
            var dst = y.AsSpan(r * rowLength, rowLength);
            if (aRow && bRow) RowKernel(kind, a.AsSpan(oa, rowLength), b.AsSpan(ob, rowLength), dst);
            else if (aRow) RowKernel(kind, a.AsSpan(oa, rowLength), b[ob], dst);
            else if (bRow) RowKernel(kind, a[oa], b.AsSpan(ob, rowLength), dst);
            else dst.Fill(ScalarKernel(kind, a[oa], b[ob]));
        }
    }

    private static void RowKernel(BinaryKind kind, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (kind)
        {
            case BinaryKind.Add: SimdMath.Binary<SimdMath.AddOp>(a, b, y); break;
            case BinaryKind.Sub: SimdMath.Binary<SimdMath.SubOp>(a, b, y); break;
            case BinaryKind.Mul: SimdMath.Binary<SimdMath.MulOp>(a, b, y); break;
            case BinaryKind.Div: SimdMath.Binary<SimdMath.DivOp>(a, b, y); break;
            case BinaryKind.Minimum: TensorPrimitives.Min(a, b, y); break;
            case BinaryKind.Maximum: TensorPrimitives.Max(a, b, y); break;
            default: TensorPrimitives.Pow(a, b, y); break;
        }
    }

    private static void RowKernel(BinaryKind kind, ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (kind)
        {
            case BinaryKind.Add: SimdMath.Binary<SimdMath.AddOp>(a, b, y); break;
            case BinaryKind.Sub: SimdMath.Binary<SimdMath.SubOp>(a, b, y); break;
            case BinaryKind.Mul: SimdMath.Binary<SimdMath.MulOp>(a, b, y); break;
            case BinaryKind.Div: SimdMath.Binary<SimdMath.DivOp>(a, b, y); break;
            case BinaryKind.Minimum: TensorPrimitives.Min(a, b, y); break;
            case BinaryKind.Maximum: TensorPrimitives.Max(a, b, y); break;
            default: TensorPrimitives.Pow(a, b, y); break;
        }
    }

    private static void RowKernel(BinaryKind kind, float a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (kind)
        {
            case BinaryKind.Add: SimdMath.Binary<SimdMath.AddOp>(a, b, y); break;
            case BinaryKind.Sub: SimdMath.Binary<SimdMath.SubOp>(a, b, y); break;
            case BinaryKind.Mul: SimdMath.Binary<SimdMath.MulOp>(a, b, y); break;
            case BinaryKind.Div: SimdMath.Binary<SimdMath.DivOp>(a, b, y); break;
            case BinaryKind.Minimum: TensorPrimitives.Min(b, a, y); break;
            case BinaryKind.Maximum: TensorPrimitives.Max(b, a, y); break;
            default: TensorPrimitives.Pow(a, b, y); break;
        }
    }

    private static float ScalarKernel(BinaryKind kind, float a, float b) => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => a / b,
        BinaryKind.Minimum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Min(a, b),
        BinaryKind.Maximum => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : Math.Max(a, b),
        _ => MathF.Pow(a, b),
    };

    /// <summary>
    /// Adds <paramref name="contribution"/> (laid out in the op's output shape) into the gradient of
    /// <paramref name="input"/>, summing over the dimensions along which the input was broadcast.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    internal static void AccumulateBroadcast(Tensor input, ReadOnlySpan<int> outputShape, ReadOnlySpan<float> contribution)
    {
        if (!input.RequiresGrad) return;
        if (input._shape.AsSpan().SequenceEqual(outputShape))
        {
            GradNode.Accumulate(input, contribution);
            return;
        }
        var target = GradNode.GradBufferForAdd(input)!;
        var plan = BroadcastPlan.Create(outputShape, input._shape, operands: 1);
        int rowLength = plan.RowLength, rows = plan.Rows;
        bool contiguous = plan.RowContiguous(0);
        var t = target.Data;
        for (int r = 0; r < rows; r++)
        {
            plan.RowOffsets(r, out int o, out _, out _);
            var src = contribution.Slice(r * rowLength, rowLength);
            if (contiguous) SimdMath.Binary<SimdMath.AddOp>(t.AsSpan(o, rowLength), src, t.AsSpan(o, rowLength));
            else t[o] += TensorPrimitives.Sum(src);
        }
    }

    private sealed class BinaryNode(BinaryKind kind, string name, Tensor a, Tensor b) : GradNode(name, a, b)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            Tensor a = Inputs[0], b = Inputs[1];
            var shape = outputGrad.ShapeRef;
            var g = outputGrad.AsReadOnlySpan();
            if (kind is BinaryKind.Add or BinaryKind.Sub)
                AccumulateBroadcast(a, shape, g);
            if (kind == BinaryKind.Add)
            {
                AccumulateBroadcast(b, shape, g);
                return;
            }

            var temp = BufferPool.Rent(g.Length, clear: false);
            try
            {
                var plan = BroadcastPlan.Create(shape, a.ShapeRef, b.ShapeRef, operands: 2);
                if (a.RequiresGrad && kind != BinaryKind.Sub)
                {
                    Partial(wrtA: true, plan, a.Data, b.Data, Output.Data, g, temp);
                    AccumulateBroadcast(a, shape, temp.AsSpan(0, g.Length));
                }
                if (b.RequiresGrad)
                {
                    Partial(wrtA: false, plan, a.Data, b.Data, Output.Data, g, temp);
                    AccumulateBroadcast(b, shape, temp.AsSpan(0, g.Length));
                }
            }
            finally
            {
                BufferPool.Return(temp);
            }
        }

        // ∂L/∂a (wrtA) or ∂L/∂b, laid out in the output shape. Scalar loops: div/min/max/pow backward is rarely
        // hot; mul, the hot one, takes the vectorised branch.
        [MethodImpl(HotPath.Optimized)]
        private void Partial(bool wrtA, in BroadcastPlan plan, float[] a, float[] b, float[] y, ReadOnlySpan<float> g, Span<float> d)
        {
            int rowLength = plan.RowLength, rows = plan.Rows;
            bool aRow = plan.RowContiguous(0), bRow = plan.RowContiguous(1);
            for (int r = 0; r < rows; r++)
            {
                plan.RowOffsets(r, out int oa, out int ob, out _);
                int o = r * rowLength;
                if (kind == BinaryKind.Mul && (wrtA ? bRow : aRow))
                {
                    var other = wrtA ? b.AsSpan(ob, rowLength) : a.AsSpan(oa, rowLength);
                    SimdMath.Binary<SimdMath.MulOp>(g.Slice(o, rowLength), other, d.Slice(o, rowLength));
                    continue;
                }
                for (int i = 0; i < rowLength; i++)
                {
                    float av = a[aRow ? oa + i : oa], bv = b[bRow ? ob + i : ob], gv = g[o + i], yv = y[o + i];
                    d[o + i] = (kind, wrtA) switch
                    {
                        (BinaryKind.Sub, _) => -gv,
                        (BinaryKind.Mul, true) => gv * bv,
                        (BinaryKind.Mul, false) => gv * av,
                        (BinaryKind.Div, true) => gv / bv,
                        (BinaryKind.Div, false) => -gv * yv / bv,
                        (BinaryKind.Minimum, _) => (wrtA ? av < bv : bv < av) ? gv : av == bv ? 0.5f * gv : 0f,
                        (BinaryKind.Maximum, _) => (wrtA ? av > bv : bv > av) ? gv : av == bv ? 0.5f * gv : 0f,
                        (_, true) => bv == 0f ? 0f : gv * bv * MathF.Pow(av, bv - 1f),
                        (_, false) => av <= 0f ? 0f : gv * yv * MathF.Log(av),
                    };
                }
            }
        }
    }
}

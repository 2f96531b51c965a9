using System.Runtime.CompilerServices;

namespace RLKit.Tensors;

/// <summary>Up to eight dimensions stored inline, so broadcast plans never allocate.</summary>
[InlineArray(MaxRank)]
internal struct Dims
{
    public const int MaxRank = 8;
    private int _element;
}

/// <summary>
/// NumPy broadcasting for up to three operands, with adjacent dimensions merged wherever every operand is
/// contiguous across them. The result is a loop over rows of the innermost dimension, each row either a
/// contiguous span or a single repeated value per operand, which is what the SIMD kernels want.
/// </summary>
internal struct BroadcastPlan
{
    public int Rank;
    public Dims Shape;
    public Dims Stride0, Stride1, Stride2;
    public int Operands;

    public readonly int RowLength => Shape[Rank - 1];
    public readonly int Rows
    {
        get
        {
            int rows = 1;
            for (int d = 0; d < Rank - 1; d++) rows *= Shape[d];
            return rows;
        }
    }
    /// <summary>True when operand <paramref name="k"/> is contiguous along rows (else it repeats one value per row).</summary>
    public readonly bool RowContiguous(int k) => StrideOf(k, Rank - 1) != 0;

    private readonly int StrideOf(int k, int d) => k switch { 0 => Stride0[d], 1 => Stride1[d], _ => Stride2[d] };

    /// <summary>The broadcast result shape of <paramref name="a"/> and <paramref name="b"/>, or a clear error naming the op.</summary>
    public static int[] ResultShape(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"{op}: shapes {Tensor.ShapeString(a)} and {Tensor.ShapeString(b)} cannot be broadcast together (dimension {i} of the result: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Plans a loop producing <paramref name="output"/> from operands that broadcast to it.</summary>
    public static BroadcastPlan Create(ReadOnlySpan<int> output, ReadOnlySpan<int> op0, ReadOnlySpan<int> op1 = default, ReadOnlySpan<int> op2 = default, int operands = 1)
    {
        if (output.Length > Dims.MaxRank)
            throw new NotSupportedException($"Broadcasting supports tensors of rank up to {Dims.MaxRank}; got shape {Tensor.ShapeString(output)}.");
        var plan = new BroadcastPlan { Operands = operands };
        // Full-rank strides first (0 for broadcast dimensions), then merge dimensions.
        Dims shape = default, s0 = default, s1 = default, s2 = default;
        int rank = output.Length;
        FillStrides(output, op0, ref s0);
        if (operands > 1) FillStrides(output, op1, ref s1);
        if (operands > 2) FillStrides(output, op2, ref s2);
        for (int d = 0; d < rank; d++) shape[d] = output[d];

        // Drop size-1 dimensions (they contribute nothing to addressing), then merge neighbours.
        int r = 0;
        for (int d = 0; d < rank; d++)
        {
            if (shape[d] == 1) continue;
            if (r > 0 && Mergeable(ref plan, r - 1, shape[d], s0[d], s1[d], s2[d]))
            {
                plan.Shape[r - 1] *= shape[d];
                plan.Stride0[r - 1] = s0[d];
                plan.Stride1[r - 1] = s1[d];
                plan.Stride2[r - 1] = s2[d];
                continue;
            }
            plan.Shape[r] = shape[d];
            plan.Stride0[r] = s0[d];
            plan.Stride1[r] = s1[d];
            plan.Stride2[r] = s2[d];
            r++;
        }
        if (r == 0)
        {
            plan.Shape[0] = 1;
            plan.Stride0[0] = plan.Stride1[0] = plan.Stride2[0] = 1;
            r = 1;
        }
        plan.Rank = r;
        return plan;
    }

    private static bool Mergeable(ref BroadcastPlan plan, int prev, int size, int t0, int t1, int t2) =>
        plan.Stride0[prev] == t0 * size && plan.Stride1[prev] == t1 * size && plan.Stride2[prev] == t2 * size;

    private static void FillStrides(ReadOnlySpan<int> output, ReadOnlySpan<int> operand, ref Dims strides)
    {
        int rank = output.Length, offset = rank - operand.Length;
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int size = d < offset ? 1 : operand[d - offset];
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
    }

    /// <summary>Offsets of each operand at the start of row <paramref name="row"/>.</summary>
    public readonly void RowOffsets(int row, out int o0, out int o1, out int o2)
    {
        o0 = o1 = o2 = 0;
        for (int d = Rank - 2; d >= 0; d--)
        {
            int size = Shape[d];
            int i = row % size;
            row /= size;
            o0 += i * Stride0[d];
            o1 += i * Stride1[d];
            o2 += i * Stride2[d];
        }
    }
}

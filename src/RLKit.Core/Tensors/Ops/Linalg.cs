using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The Cholesky factor of a symmetric positive-definite matrix: the lower-triangular L with A = L·Lᵀ and a
    /// positive diagonal, for every matrix of a batch [..., d, d]. Only the lower triangle of A is read.
    /// </summary>
    /// <remarks>
    /// Computed in double per matrix. The gradient is the symmetric one (PyTorch's convention, Murray 2016):
    /// Ā = ½·L⁻ᵀ·(Φ(Lᵀ·L̄) + Φ(Lᵀ·L̄)ᵀ)·L⁻¹ with Φ the lower triangle with halved diagonal. It treats A's two
    /// triangles as tied, so it is exact for any A built symmetric (such as X·Xᵀ or (Σp + Σq)/2).
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// If <paramref name="a"/> is not a batch of square matrices, or a matrix is not positive definite (a pivot is
    /// not positive or not finite); the message names the op and the batch index.
    /// </exception>
    public static Tensor Cholesky(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Rank < 2 || a._shape[^1] != a._shape[^2])
            throw new ArgumentException($"cholesky: input {ShapeString(a._shape)} must be a batch of square matrices [..., d, d].", nameof(a));
        int d = a._shape[^1];
        int matrixSize = d * d;
        int batch = matrixSize == 0 ? 0 : a.Size / matrixSize;
        var y = Allocate(a._shape, clear: true);
        var factor = new double[matrixSize];
        var x = a.Data;
        var yd = y.Data;
        for (int bi = 0; bi < batch; bi++)
        {
            int offset = bi * matrixSize;
            for (int j = 0; j < d; j++)
            {
                double pivot = x[offset + j * d + j];
                for (int k = 0; k < j; k++) pivot -= factor[j * d + k] * factor[j * d + k];
                if (!(pivot > 0) || !double.IsFinite(pivot))
                    throw new ArgumentException(
                        $"cholesky: the matrix at batch index {bi} of input {ShapeString(a._shape)} is not positive definite (pivot {j} is {pivot:G6}).", nameof(a));
                double diagonal = Math.Sqrt(pivot);
                factor[j * d + j] = diagonal;
                for (int i = j + 1; i < d; i++)
                {
                    double sum = x[offset + i * d + j];
                    for (int k = 0; k < j; k++) sum -= factor[i * d + k] * factor[j * d + k];
                    factor[i * d + j] = sum / diagonal;
                }
            }
            for (int i = 0; i < d; i++)
                for (int j = 0; j <= i; j++)
                    yd[offset + i * d + j] = (float)factor[i * d + j];
        }
        return y.Finish("cholesky", ShouldRecord(a) ? new CholeskyNode(a, d, batch) : null);
    }

    private sealed class CholeskyNode(Tensor a, int d, int batch) : GradNode("cholesky", a)
    {
        public override void Backward(Tensor outputGrad)
        {
            var buffer = GradBuffer(Inputs[0], out bool overwrite);
            if (buffer is null) return;
            var l = Output.AsReadOnlySpan();
            var g = outputGrad.AsReadOnlySpan();
            var da = buffer.AsSpan();
            int matrixSize = d * d;
            var factor = new double[matrixSize];
            var work = new double[matrixSize];
            for (int bi = 0; bi < batch; bi++)
            {
                int offset = bi * matrixSize;
                for (int i = 0; i < matrixSize; i++) factor[i] = l[offset + i];

                // work = sym(Φ(tril(Lᵀ·L̄))): lower triangle of Lᵀ·L̄ (L̄'s upper triangle cannot contribute to it),
                // diagonal halved, mirrored, then halved again.
                for (int i = 0; i < d; i++)
                    for (int j = 0; j <= i; j++)
                    {
                        double sum = 0;
                        for (int k = i; k < d; k++) sum += factor[k * d + i] * g[offset + k * d + j];
                        double value = i == j ? 0.5 * sum : sum;
                        work[i * d + j] = 0.5 * value;
                        work[j * d + i] = 0.5 * value;
                    }
                for (int i = 0; i < d; i++) work[i * d + i] *= 2;

                // work ← L⁻ᵀ·work: back substitution with Lᵀ on each column.
                for (int c = 0; c < d; c++)
                    for (int i = d - 1; i >= 0; i--)
                    {
                        double sum = work[i * d + c];
                        for (int k = i + 1; k < d; k++) sum -= factor[k * d + i] * work[k * d + c];
                        work[i * d + c] = sum / factor[i * d + i];
                    }

                // work ← work·L⁻¹: each row r solves r_new·L = r_old, i.e. Lᵀ·r_newᵀ = r_oldᵀ (back substitution).
                for (int r = 0; r < d; r++)
                    for (int i = d - 1; i >= 0; i--)
                    {
                        double sum = work[r * d + i];
                        for (int k = i + 1; k < d; k++) sum -= factor[k * d + i] * work[r * d + k];
                        work[r * d + i] = sum / factor[i * d + i];
                    }

                for (int i = 0; i < matrixSize; i++)
                    da[offset + i] = overwrite ? (float)work[i] : da[offset + i] + (float)work[i];
            }
        }
    }

    /// <summary>
    /// Solves op(T)·X = B for X, with T triangular [..., d, d] (only its lower triangle is read, or its upper one
    /// when <paramref name="upper"/> is set) and op(T) = Tᵀ when <paramref name="transpose"/> is set. B is [..., d, k].
    /// </summary>
    /// <remarks>
    /// The batch dimensions of T and B broadcast against each other (NumPy rules), so a shared 2-D T solves a
    /// batched B and vice versa. Substitution runs in double. A zero on T's diagonal gives infinities, not an error.
    /// Backward: B̄ = op(T)⁻ᵀ·X̄ and op(T)̄ = −B̄·Xᵀ, masked to T's triangle and summed over broadcast dimensions.
    /// </remarks>
    /// <exception cref="ArgumentException">If T is not a batch of square matrices, B's rows differ from d, or the batch dimensions do not broadcast.</exception>
    public static Tensor SolveTriangular(Tensor t, Tensor b, bool upper = false, bool transpose = false)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(b);
        if (t.Rank < 2 || t._shape[^1] != t._shape[^2])
            throw new ArgumentException($"solve_triangular: T {ShapeString(t._shape)} must be a batch of square matrices [..., d, d].", nameof(t));
        if (b.Rank < 2 || b._shape[^2] != t._shape[^1])
            throw new ArgumentException(
                $"solve_triangular: B {ShapeString(b._shape)} must be [..., d={t._shape[^1]}, k] for T {ShapeString(t._shape)}.", nameof(b));
        var plan = BatchBroadcast.Create("solve_triangular", t._shape.AsSpan(0, t.Rank - 2), b._shape.AsSpan(0, b.Rank - 2));
        int d = t._shape[^1], k = b._shape[^1];
        var shape = new int[plan.Shape.Length + 2];
        plan.Shape.CopyTo(shape, 0);
        shape[^2] = d;
        shape[^1] = k;
        var y = Allocate(shape, clear: false);
        var work = new double[d * k];
        for (int bi = 0; bi < plan.Count; bi++)
        {
            for (int i = 0; i < d * k; i++) work[i] = b.Data[plan.IndexB[bi] * d * k + i];
            TriangularSolve(t.Data.AsSpan(plan.IndexA[bi] * d * d, d * d), d, k, upper, transpose, work);
            var dst = y.Data.AsSpan(bi * d * k, d * k);
            for (int i = 0; i < d * k; i++) dst[i] = (float)work[i];
        }
        return y.Finish("solve_triangular", ShouldRecord(t, b) ? new SolveTriangularNode(t, b, upper, transpose, plan, d, k) : null);
    }

    /// <summary>
    /// In place: x ← op(T)⁻¹·x for one d×d triangular T (row-major) and x [d, k]. op(T) is upper triangular
    /// when exactly one of <paramref name="upper"/> and <paramref name="transpose"/> is set (back substitution),
    /// else lower (forward substitution).
    /// </summary>
    private static void TriangularSolve(ReadOnlySpan<float> t, int d, int k, bool upper, bool transpose, double[] x)
    {
        bool backward = upper ^ transpose;
        for (int step = 0; step < d; step++)
        {
            int i = backward ? d - 1 - step : step;
            int from = backward ? i + 1 : 0, to = backward ? d : i;
            double diagonal = t[i * d + i];
            for (int c = 0; c < k; c++)
            {
                double sum = x[i * k + c];
                for (int j = from; j < to; j++)
                    sum -= (transpose ? t[j * d + i] : t[i * d + j]) * x[j * k + c];
                x[i * k + c] = sum / diagonal;
            }
        }
    }

    private sealed class SolveTriangularNode(Tensor t, Tensor b, bool upper, bool transpose, BatchBroadcast plan, int d, int k)
        : GradNode("solve_triangular", t, b)
    {
        public override void Backward(Tensor outputGrad)
        {
            Tensor t = Inputs[0], b = Inputs[1];
            var dt = GradBufferForAdd(t);
            var db = GradBufferForAdd(b);
            if (dt is null && db is null) return;
            var g = outputGrad.AsReadOnlySpan();
            var x = Output.AsReadOnlySpan();
            var work = new double[d * k];
            for (int bi = 0; bi < plan.Count; bi++)
            {
                // B̄ = op(T)⁻ᵀ·X̄: the same triangle with the transpose flag flipped.
                int outOffset = bi * d * k;
                for (int i = 0; i < d * k; i++) work[i] = g[outOffset + i];
                var tMatrix = t.Data.AsSpan(plan.IndexA[bi] * d * d, d * d);
                TriangularSolve(tMatrix, d, k, upper, !transpose, work);
                if (db is not null)
                {
                    var dst = db.AsSpan().Slice(plan.IndexB[bi] * d * k, d * k);
                    for (int i = 0; i < d * k; i++) dst[i] += (float)work[i];
                }
                if (dt is null) continue;
                // op(T)̄ = −B̄·Xᵀ; T̄ is that or its transpose, restricted to the triangle the forward read.
                var dst2 = dt.AsSpan().Slice(plan.IndexA[bi] * d * d, d * d);
                for (int i = 0; i < d; i++)
                {
                    int jFrom = upper ? i : 0, jTo = upper ? d : i + 1;
                    for (int j = jFrom; j < jTo; j++)
                    {
                        int r = transpose ? j : i, s = transpose ? i : j;   // T̄_ij = op(T)̄_rs
                        double sum = 0;
                        for (int c = 0; c < k; c++) sum += work[r * k + c] * x[outOffset + s * k + c];
                        dst2[i * d + j] -= (float)sum;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Broadcasting of two operands' batch (leading) dimensions: for each entry of the broadcast batch, the flat
    /// batch index into each operand.
    /// </summary>
    private sealed class BatchBroadcast
    {
        public required int[] Shape { get; init; }
        public required int[] IndexA { get; init; }
        public required int[] IndexB { get; init; }
        public int Count => IndexA.Length;

        public static BatchBroadcast Create(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
        {
            int rank = Math.Max(a.Length, b.Length);
            var shape = new int[rank];
            for (int i = 1; i <= rank; i++)
            {
                int da = i <= a.Length ? a[^i] : 1, db = i <= b.Length ? b[^i] : 1;
                if (da != db && da != 1 && db != 1)
                    throw new ArgumentException(
                        $"{op}: batch dimensions {ShapeString(a.ToArray())} and {ShapeString(b.ToArray())} cannot be broadcast together.");
                shape[^i] = da == 1 ? db : da;
            }
            int count = 1;
            foreach (int s in shape) count *= s;
            var indexA = new int[count];
            var indexB = new int[count];
            var coordinate = new int[rank];
            for (int n = 0; n < count; n++)
            {
                indexA[n] = FlatIndex(coordinate, a);
                indexB[n] = FlatIndex(coordinate, b);
                for (int axis = rank - 1; axis >= 0; axis--)
                {
                    if (++coordinate[axis] < shape[axis]) break;
                    coordinate[axis] = 0;
                }
            }
            return new BatchBroadcast { Shape = shape, IndexA = indexA, IndexB = indexB };
        }

        /// <summary>The flat index into an operand of batch shape <paramref name="dims"/> (right-aligned, size-1 dims repeat).</summary>
        private static int FlatIndex(int[] coordinate, ReadOnlySpan<int> dims)
        {
            int flat = 0, offset = coordinate.Length - dims.Length;
            for (int i = 0; i < dims.Length; i++)
                flat = flat * dims[i] + (dims[i] == 1 ? 0 : coordinate[offset + i]);
            return flat;
        }
    }
}

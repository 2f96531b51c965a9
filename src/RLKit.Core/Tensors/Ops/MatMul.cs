using System.Runtime.CompilerServices;
using RLKit.Tensors.Gemm;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product op(a)·op(b), where op transposes its operand when the flag is set (without
    /// materialising the transpose).
    /// </summary>
    /// <remarks>
    /// Both operands are at least 2-D. Leading (batch) dimensions must be equal, or one operand is 2-D and
    /// is shared by every batch entry: [B, m, k]·[k, n], [B, m, k]·[B, k, n], [m, k]·[B, k, n], and so on
    /// with any number of batch dimensions. The backward also uses transposed-operand products only.
    /// </remarks>
    /// <exception cref="ArgumentException">If the inner dimensions or batch dimensions disagree; the message names both shapes.</exception>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var p = MatMulPlan.Create(a, b, transposeA, transposeB);
        var y = Allocate(p.OutputShape, clear: false);
        p.Multiply(transposeA, transposeB, a.Data, b.Data, y.Data, accumulate: false);
        return y.Finish("matmul", ShouldRecord(a, b) ? new MatMulNode(a, b, transposeA, transposeB, p) : null);
    }

    /// <summary>Matrix product of this tensor with <paramref name="other"/>; see <see cref="MatMul(Tensor, Tensor, bool, bool)"/>.</summary>
    public Tensor MatMul(Tensor other, bool transposeA = false, bool transposeB = false) => MatMul(this, other, transposeA, transposeB);

    /// <summary>Sizes of one (possibly batched) product C[m, n] = op(A)[m, k] · op(B)[k, n].</summary>
    private readonly record struct MatMulPlan(int Batch, int M, int N, int K, bool BatchA, bool BatchB, int[] OutputShape)
    {
        public static MatMulPlan Create(Tensor a, Tensor b, bool transposeA, bool transposeB)
        {
            if (a.Rank < 2 || b.Rank < 2)
                throw new ArgumentException($"matmul: both operands must be at least 2-D, got {ShapeString(a._shape)} and {ShapeString(b._shape)}.");
            int m = transposeA ? a._shape[^1] : a._shape[^2];
            int ka = transposeA ? a._shape[^2] : a._shape[^1];
            int kb = transposeB ? b._shape[^1] : b._shape[^2];
            int n = transposeB ? b._shape[^2] : b._shape[^1];
            if (ka != kb)
                throw new ArgumentException(
                    $"matmul: inner dimensions differ: {ShapeString(a._shape)}{(transposeA ? "ᵀ" : "")} · {ShapeString(b._shape)}{(transposeB ? "ᵀ" : "")} gives k = {ka} vs {kb}.");
            bool batchA = a.Rank > 2, batchB = b.Rank > 2;
            if (batchA && batchB && !a._shape.AsSpan(0, a.Rank - 2).SequenceEqual(b._shape.AsSpan(0, b.Rank - 2)))
                throw new ArgumentException($"matmul: batch dimensions of {ShapeString(a._shape)} and {ShapeString(b._shape)} differ.");
            var lead = batchA ? a._shape.AsSpan(0, a.Rank - 2) : b._shape.AsSpan(0, b.Rank - 2);
            int batch = 1;
            foreach (int d in lead) batch *= d;
            var shape = new int[lead.Length + 2];
            lead.CopyTo(shape);
            shape[^2] = m;
            shape[^1] = n;
            return new MatMulPlan(batch, m, n, ka, batchA, batchB, shape);
        }

        /// <summary>C (+)= op(A)·op(B) for every batch entry, with this plan's sizes.</summary>
        public void Multiply(bool transposeA, bool transposeB, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate) =>
            Product(transposeA, transposeB, M, N, K, a, BatchA, b, BatchB, c, accumulate);

        /// <summary>
        /// One possibly-batched product with explicit sizes; an operand without a batch dimension is shared.
        /// When only A is batched and not transposed, the batch folds into A's rows: one large GEMM.
        /// </summary>
        public void Product(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, bool aBatched,
                            ReadOnlySpan<float> b, bool bBatched, Span<float> c, bool accumulate)
        {
            int lda = transA ? m : k, ldb = transB ? k : n;
            if (Batch == 1 || (aBatched && !bBatched && !transA))
            {
                GemmDriver.Multiply(transA, transB, Batch * m, n, k, a, lda, b, ldb, c, n, accumulate);
                return;
            }
            GemmDriver.MultiplyBatched(Batch, transA, transB, m, n, k,
                a, lda, aBatched ? m * k : 0, b, ldb, bBatched ? k * n : 0, c, n, m * n, accumulate);
        }

        /// <summary>Gradient of a shared (unbatched) operand: a sum of per-batch products, accumulated in order.</summary>
        public void ProductSummedOverBatch(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, int strideA,
                                           ReadOnlySpan<float> b, int strideB, Span<float> c, bool accumulate)
        {
            int lda = transA ? m : k, ldb = transB ? k : n;
            for (int i = 0; i < Batch; i++)
                GemmDriver.Multiply(transA, transB, m, n, k, a.Slice(i * strideA), lda, b.Slice(i * strideB), ldb, c, n, accumulate || i > 0);
        }
    }

    private sealed class MatMulNode(Tensor a, Tensor b, bool transA, bool transB, MatMulPlan p) : GradNode("matmul", a, b)
    {
        public override void Backward(Tensor outputGrad)
        {
            Tensor a = Inputs[0], b = Inputs[1];
            var g = outputGrad.AsReadOnlySpan();
            int m = p.M, n = p.N, k = p.K;

            var da = GradBuffer(a, out bool overwriteA);
            if (da is not null)
            {
                // op(A) = G·op(B)ᵀ. Stored A is op(A) (m×k) or op(A)ᵀ (k×m).
                if (p.BatchA || p.Batch == 1)
                {
                    if (!transA) p.Product(false, !transB, m, k, n, g, true, b.Data, p.BatchB, da.AsSpan(), !overwriteA);
                    else p.Product(transB, true, k, m, n, b.Data, p.BatchB, g, true, da.AsSpan(), !overwriteA);
                }
                else if (!transA)
                    p.ProductSummedOverBatch(false, !transB, m, k, n, g, m * n, b.Data, p.BatchB ? k * n : 0, da.AsSpan(), !overwriteA);
                else
                    p.ProductSummedOverBatch(transB, true, k, m, n, b.Data, p.BatchB ? k * n : 0, g, m * n, da.AsSpan(), !overwriteA);
            }

            var db = GradBuffer(b, out bool overwriteB);
            if (db is not null)
            {
                // op(B) = op(A)ᵀ·G. Stored B is op(B) (k×n) or op(B)ᵀ (n×k).
                bool shared = !p.BatchB && p.Batch > 1;
                if (shared && p.BatchA && !transA && !transB)
                {
                    // A's batch folds into its rows, so B's gradient is a single GEMM: Aᵀ (k × B·m) · G (B·m × n).
                    GemmDriver.Multiply(true, false, k, n, p.Batch * m, a.Data, k, g, n, db.AsSpan(), n, !overwriteB);
                }
                else if (shared)
                {
                    if (!transB) p.ProductSummedOverBatch(!transA, false, k, n, m, a.Data, p.BatchA ? m * k : 0, g, m * n, db.AsSpan(), !overwriteB);
                    else p.ProductSummedOverBatch(true, transA, n, k, m, g, m * n, a.Data, p.BatchA ? m * k : 0, db.AsSpan(), !overwriteB);
                }
                else if (!transB) p.Product(!transA, false, k, n, m, a.Data, p.BatchA, g, true, db.AsSpan(), !overwriteB);
                else p.Product(true, transA, n, k, m, g, true, a.Data, p.BatchA, db.AsSpan(), !overwriteB);
            }
        }
    }
}

public sealed partial class Tensor
{
    /// <summary>
    /// The affine map of a dense layer: y = x·Wᵀ + b, with x [.., in], W [out, in] (PyTorch layout), b [out].
    /// </summary>
    /// <remarks>
    /// A fused primitive rather than MatMul + Add: it is the innermost op of every policy and value network, and
    /// fusing writes the bias into the output before one accumulating GEMM, saving a full pass and a buffer in
    /// forward and a broadcast reduction in backward (the bias gradient is a column sum of the output gradient).
    /// </remarks>
    /// <exception cref="ArgumentException">If the shapes do not fit; the message names them.</exception>
    [MethodImpl(HotPath.Optimized)]
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2 || input.Rank < 1 || input._shape[^1] != weight._shape[1])
            throw new ArgumentException(
                $"linear: input {ShapeString(input._shape)} must end in in_features and weight {ShapeString(weight._shape)} must be [out_features, in_features].");
        int outFeatures = weight._shape[0], inFeatures = weight._shape[1];
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outFeatures))
            throw new ArgumentException($"linear: bias {ShapeString(bias._shape)} must be [{outFeatures}] for weight {ShapeString(weight._shape)}.", nameof(bias));
        int rows = inFeatures == 0 ? input.Size : input.Size / inFeatures;
        var shape = (int[])input._shape.Clone();
        shape[^1] = outFeatures;
        var y = Allocate(shape, clear: bias is null);
        if (bias is not null) WriteBiasRows(bias.Data.AsSpan(0, outFeatures), y.Data.AsSpan(0, rows * outFeatures));
        GemmDriver.Multiply(false, true, rows, outFeatures, inFeatures, input.Data, inFeatures, weight.Data, inFeatures, y.Data, outFeatures, accumulate: true);
        bool record = bias is null ? ShouldRecord(input, weight) : ShouldRecord([input, weight, bias]);
        return y.Finish("linear", record ? new LinearNode(input, weight, bias, rows) : null);
    }

    private sealed class LinearNode : GradNode
    {
        private readonly int _rows;

        public LinearNode(Tensor input, Tensor weight, Tensor? bias, int rows)
            : base("linear", bias is null ? [input, weight] : [input, weight, bias]) => _rows = rows;

        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            Tensor x = Inputs[0], w = Inputs[1];
            int outFeatures = w.ShapeRef[0], inFeatures = w.ShapeRef[1];
            var g = outputGrad.AsReadOnlySpan();
            if (GradBuffer(x, out bool overwriteX) is { } dx)   // dX = G·W
                GemmDriver.Multiply(false, false, _rows, inFeatures, outFeatures, g, outFeatures, w.Data, inFeatures, dx.AsSpan(), inFeatures, !overwriteX);
            if (GradBuffer(w, out bool overwriteW) is { } dw)   // dW = Gᵀ·X
                GemmDriver.Multiply(true, false, outFeatures, inFeatures, _rows, g, outFeatures, x.Data, inFeatures, dw.AsSpan(), inFeatures, !overwriteW);
            if (Inputs.Length == 3 && GradBuffer(Inputs[2], out bool overwriteB) is { } db)
            {
                var dbSpan = db.AsSpan();
                if (overwriteB) dbSpan.Clear();
                AddRowsInto(g.Slice(0, _rows * outFeatures), dbSpan);
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="bias"/> into every row of <paramref name="output"/> (rows of bias.Length floats): the
    /// dense layers write their bias first and accumulate the product onto it.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private static void WriteBiasRows(ReadOnlySpan<float> bias, Span<float> output)
    {
        for (int start = 0; start < output.Length; start += bias.Length) bias.CopyTo(output.Slice(start, bias.Length));
    }

    /// <summary>
    /// Adds every row of <paramref name="rows"/> (rows of sum.Length floats), in order, into <paramref name="sum"/>: a
    /// dense layer's bias gradient is the column sum of its output gradient.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    private static void AddRowsInto(ReadOnlySpan<float> rows, Span<float> sum)
    {
        for (int start = 0; start < rows.Length; start += sum.Length) SimdMath.Binary<SimdMath.AddOp>(sum, rows.Slice(start, sum.Length), sum);
    }
}

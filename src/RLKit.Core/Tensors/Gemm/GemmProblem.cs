namespace RLKit.Tensors.Gemm;

/// <summary>
/// One product C (m × n) = (accumulate ? C : 0) + op(A) · op(B) over pinned memory, with m, n, k ≥ 1.
/// </summary>
/// <remarks>
/// Storage conventions match GemmDriver.Multiply: op(A) is A (stored m × k) or Aᵀ (A stored k × m),
/// op(B) is B (stored k × n) or Bᵀ (B stored n × k), all row-major with the given leading dimensions.
/// </remarks>
internal readonly unsafe struct GemmProblem
{
    public readonly bool TransA;
    public readonly bool TransB;
    public readonly int M;
    public readonly int N;
    public readonly int K;
    public readonly float* A;
    public readonly int Lda;
    public readonly float* B;
    public readonly int Ldb;
    public readonly float* C;
    public readonly int Ldc;
    public readonly bool Accumulate;

    public GemmProblem(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        this.TransA = transA;
        this.TransB = transB;
        this.M = m;
        this.N = n;
        this.K = k;
        this.A = a;
        this.Lda = lda;
        this.B = b;
        this.Ldb = ldb;
        this.C = c;
        this.Ldc = ldc;
        this.Accumulate = accumulate;
    }

    /// <summary>Gets the distance between op(A)(i, p) and op(A)(i + 1, p).</summary>
    public nint ARowStride => this.TransA ? 1 : this.Lda;

    /// <summary>Gets the distance between op(A)(i, p) and op(A)(i, p + 1).</summary>
    public nint AColumnStride => this.TransA ? this.Lda : 1;

    /// <summary>Gets the address of op(A)(row, depth).</summary>
    public float* AAt(int row, int depth) => this.A + (row * this.ARowStride) + (depth * this.AColumnStride);

    /// <summary>Gets the address of op(B)(depth, column).</summary>
    public float* BAt(int depth, int column)
        => this.TransB ? this.B + ((nint)column * this.Ldb) + depth : this.B + ((nint)depth * this.Ldb) + column;

    /// <summary>
    /// The sub-product computing rows [row0, row0 + rows) × columns [col0, col0 + cols) of C, over all of k.
    /// </summary>
    public GemmProblem Block(int row0, int rows, int col0, int cols)
        => new(this.TransA, this.TransB, rows, cols, this.K, this.AAt(row0, 0), this.Lda, this.BAt(0, col0), this.Ldb, this.C + ((nint)row0 * this.Ldc) + col0, this.Ldc, this.Accumulate);

    /// <summary>The same product with op(A) replaced by a row-major m × k copy at <paramref name="a"/>.</summary>
    public GemmProblem WithRowMajorA(float* a)
        => new(false, this.TransB, this.M, this.N, this.K, a, this.K, this.B, this.Ldb, this.C, this.Ldc, this.Accumulate);

    /// <summary>The same product with op(B) replaced by a row-major k × n copy at <paramref name="b"/>.</summary>
    public GemmProblem WithRowMajorB(float* b)
        => new(this.TransA, false, this.M, this.N, this.K, this.A, this.Lda, b, this.N, this.C, this.Ldc, this.Accumulate);

    /// <summary>The same product with op(B) replaced by its transpose stored row-major n × k at <paramref name="bTransposed"/>.</summary>
    public GemmProblem WithTransposedB(float* bTransposed)
        => new(this.TransA, true, this.M, this.N, this.K, this.A, this.Lda, bTransposed, this.K, this.C, this.Ldc, this.Accumulate);

    /// <summary>
    /// The transposed product Cᵀ (n × m) = op(B)ᵀ · op(A)ᵀ, written (overwriting) to a row-major n × m buffer
    /// at <paramref name="cTransposed"/>. The operands are reinterpreted in place, nothing is copied.
    /// </summary>
    public GemmProblem TransposedInto(float* cTransposed)
        => new(!this.TransB, !this.TransA, this.N, this.M, this.K, this.B, this.Ldb, this.A, this.Lda, cTransposed, this.M, accumulate: false);
}

using System.Runtime.CompilerServices;
using System.Text;
using RLKit.Autograd;

namespace RLKit.Tensors;

/// <summary>
/// A float32, contiguous, row-major tensor of any rank, with reverse-mode automatic differentiation.
/// </summary>
/// <remarks>
/// <para>
/// Storage is one flat <see cref="float"/> array in row-major order; there are no strides, so every
/// view (<see cref="Reshape"/>) shares the whole array and every other shape op copies.
/// </para>
/// <para>
/// Autograd: an op whose inputs require gradients records a <see cref="GradNode"/> on its output.
/// The graph lives on the tensors themselves, not on a global tape, so two threads that build two
/// graphs never share anything; the no-grad, anomaly and <see cref="TensorScope"/> settings are
/// per thread. A single tensor must not be mutated by two threads at once.
/// </para>
/// </remarks>
public sealed partial class Tensor
{
    private float[]? _data;
    private readonly int[] _shape;
    private bool _requiresGrad;

    /// <summary>The tensor that owns the storage array (this one, unless this is a view).</summary>
    internal readonly Tensor Owner;

    /// <summary>True when the storage array came from the thread's buffer pool.</summary>
    internal bool Pooled;

    /// <summary>The op that produced this tensor, or null for a leaf.</summary>
    internal GradNode? Node;

    /// <summary>Gradient accumulated for a non-leaf tensor while <see cref="Backward"/> runs.</summary>
    internal Tensor? PendingGrad;

    /// <summary>Visit stamp used by the topological sort in <see cref="Backward"/>.</summary>
    internal int VisitStamp;

    /// <summary>The scope that will release this tensor, if any.</summary>
    internal TensorScope? Scope;

    internal Tensor(float[] data, int[] shape, Tensor? owner = null)
    {
        _data = data;
        _shape = shape;
        Size = data.Length;
        Owner = owner ?? this;
    }

    /// <summary>The number of elements.</summary>
    public int Size { get; }

    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => _shape.Length;

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[NormalizeAxis(axis, Rank, nameof(axis))];

    /// <summary>A copy of the shape.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    internal int[] ShapeRef => _shape;

    /// <summary>The storage array; throws if the tensor was released by its <see cref="TensorScope"/>.</summary>
    internal float[] Data
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _data ?? ThrowReleased();
    }

    internal bool IsReleased => _data is null;

    internal void Release() => _data = null;

    private static float[] ThrowReleased() =>
        throw new ObjectDisposedException(nameof(Tensor),
            "This tensor was released when its TensorScope ended. Call TensorScope.Keep on tensors that must outlive the scope.");

    /// <summary>The elements as a writable span, in row-major order.</summary>
    /// <remarks>Writing through the span bypasses autograd; do it only on tensors that no graph has read.</remarks>
    public Span<float> AsSpan() => Data.AsSpan();

    /// <summary>The elements as a read-only span, in row-major order.</summary>
    public ReadOnlySpan<float> AsReadOnlySpan() => Data;

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray() => (float[])Data.Clone();

    /// <summary>The value of a one-element tensor.</summary>
    /// <exception cref="InvalidOperationException">If the tensor has more than one element.</exception>
    public float Item()
    {
        if (Size != 1)
            throw new InvalidOperationException($"Item() needs a tensor with exactly one element, but the shape is {ShapeString(_shape)}.");
        return Data[0];
    }

    /// <summary>The element at the given multi-index.</summary>
    [IndexerName("At")]
    public float this[params int[] index]
    {
        get => Data[FlatIndex(index)];
        set => Data[FlatIndex(index)] = value;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"An index into a tensor of shape {ShapeString(_shape)} needs {Rank} coordinates, got {index.Length}.", nameof(index));
        int flat = 0;
        for (int d = 0; d < Rank; d++)
        {
            int i = index[d];
            if ((uint)i >= (uint)_shape[d])
                throw new ArgumentOutOfRangeException(nameof(index), $"Coordinate {d} is {i}, but dimension {d} of shape {ShapeString(_shape)} allows 0..{_shape[d] - 1}.");
            flat = flat * _shape[d] + i;
        }
        return flat;
    }

    // ----------------------------------------------------------------------------------------
    // Autograd surface
    // ----------------------------------------------------------------------------------------

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (parameters, inputs); an op's output
    /// requires gradients when any of its inputs does and gradient recording is enabled.
    /// </summary>
    /// <exception cref="InvalidOperationException">When set to false on a non-leaf tensor.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (!value && Node is not null)
                throw new InvalidOperationException("RequiresGrad cannot be turned off on a tensor computed by an op; use Detach() instead.");
            _requiresGrad = value;
        }
    }

    /// <summary>The gradient accumulated by <see cref="Backward"/> on a leaf that requires gradients.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>True when the tensor was not produced by a recorded op (parameters and inputs are leaves).</summary>
    public bool IsLeaf => Node is null;

    /// <summary>The name of the op that produced this tensor, or null for a leaf.</summary>
    public string? OpName => Node?.Name;

    /// <summary>Clears the accumulated gradient (sets every entry to zero, keeping the buffer).</summary>
    public void ZeroGrad() => Grad?.AsSpan().Clear();

    /// <summary>A tensor that shares this one's storage but is cut from the graph: no gradient flows through it.</summary>
    public Tensor Detach()
    {
        var view = new Tensor(Data, _shape, Owner);
        TensorScope.Register(view);
        return view;
    }

    /// <summary>
    /// Back-propagates from this tensor. Without <paramref name="gradient"/> the tensor must be a scalar
    /// (one element) and the seed gradient is 1. Leaves accumulate into <see cref="Grad"/>.
    /// The graph is freed afterwards unless <paramref name="retainGraph"/> is true.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        BackwardEngine.Run(this, gradient, retainGraph);

    // ----------------------------------------------------------------------------------------
    // Creation
    // ----------------------------------------------------------------------------------------

    [ThreadStatic] private static long t_allocationLimit;
    [ThreadStatic] private static bool t_allocationLimited;

    /// <summary>
    /// While the returned scope lives, tensors this thread allocates may hold at most <paramref name="maxElements"/>
    /// floats in all; the allocation that would pass the limit throws <see cref="AllocationLimitExceededException"/>
    /// before it allocates. Used where sizes come from a file (a checkpoint's metadata) rather than from code.
    /// </summary>
    internal static AllocationLimitScope LimitAllocations(long maxElements)
    {
        var scope = new AllocationLimitScope(t_allocationLimited, t_allocationLimit);
        t_allocationLimited = true;
        t_allocationLimit = maxElements;
        return scope;
    }

    /// <summary>Restores the limit (or its absence) that was in force before <see cref="LimitAllocations"/>.</summary>
    internal readonly struct AllocationLimitScope(bool wasLimited, long previousLimit) : IDisposable
    {
        public void Dispose()
        {
            t_allocationLimited = wasLimited;
            t_allocationLimit = previousLimit;
        }
    }

    private static void ChargeAllocation(int size)
    {
        if (!t_allocationLimited) return;
        if (size > t_allocationLimit)
            throw new AllocationLimitExceededException(size, t_allocationLimit);
        t_allocationLimit -= size;
    }

    /// <summary>Allocates an output buffer: pooled when a <see cref="TensorScope"/> is active.</summary>
    [MethodImpl(HotPath.Optimized)]
    internal static Tensor Allocate(int[] shape, bool clear)
    {
        int size = SizeOf(shape, nameof(shape));
        ChargeAllocation(size);
        if (TensorScope.Current is { } scope)
        {
            var pooled = new Tensor(BufferPool.Rent(size, clear), shape) { Pooled = true };
            scope.Add(pooled);
            return pooled;
        }
        return new Tensor(new float[size], shape);
    }

    /// <summary>Allocates an unscoped, unpooled tensor (parameters, gradients of leaves, optimizer state).</summary>
    internal static Tensor AllocatePersistent(int[] shape)
    {
        int size = SizeOf(shape, nameof(shape));
        ChargeAllocation(size);
        return new(new float[size], shape);
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Allocate(CheckedShape(shape), clear: true);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Allocate(CheckedShape(shape), clear: false);
        t.Data.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A scalar (rank-0) tensor.</summary>
    public static Tensor Scalar(float value) => Full(value);

    /// <summary>A tensor of zeros with the shape of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.ShapeArray());

    /// <summary>A tensor of ones with the shape of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Ones(like.ShapeArray());

    /// <summary>
    /// A tensor holding a copy of <paramref name="data"/>. Without a shape it is 1-D.
    /// </summary>
    /// <exception cref="ArgumentException">If the shape's element count differs from the data length.</exception>
    public static Tensor FromArray(float[] data, params int[] shape) => FromSpan(data, shape);

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape (1-D if none).</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> data, params int[] shape)
    {
        int[] s = shape.Length == 0 ? [data.Length] : CheckedShape(shape);
        int size = SizeOf(s, nameof(shape));
        if (size != data.Length)
            throw new ArgumentException($"Shape {ShapeString(s)} holds {size} elements but the data has {data.Length}.", nameof(shape));
        var t = Allocate(s, clear: false);
        data.CopyTo(t.Data);
        return t;
    }

    /// <summary>A 2-D tensor from a rectangular array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        int rows = data.GetLength(0), cols = data.GetLength(1);
        var t = Allocate([rows, cols], clear: false);
        var span = t.Data;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                span[i * cols + j] = data[i, j];
        return t;
    }

    /// <summary>Values start, start + step, ... strictly before end (1-D).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If step is zero or points away from end.</exception>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0 || float.IsNaN(step) || (end - start) / step < 0)
            throw new ArgumentOutOfRangeException(nameof(step), step, $"step must be non-zero and move from start ({start}) towards end ({end}).");
        int count = (int)Math.Ceiling((end - start) / (double)step);
        var t = Allocate([count], clear: false);
        for (int i = 0; i < count; i++) t.Data[i] = (float)(start + i * (double)step);
        return t;
    }

    /// <summary>Values drawn from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static Tensor RandomNormal(RandomGenerator rng, int[] shape, float mean = 0f, float std = 1f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(std >= 0) || float.IsInfinity(std))
            throw new ArgumentOutOfRangeException(nameof(std), std, "std must be finite and non-negative.");
        var t = Allocate(CheckedShape(shape), clear: false);
        rng.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>Values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor RandomUniform(RandomGenerator rng, int[] shape, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(high >= low))
            throw new ArgumentOutOfRangeException(nameof(high), high, $"high must be at least low ({low}).");
        var t = Allocate(CheckedShape(shape), clear: false);
        rng.FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>A copy of this tensor that is a leaf (no graph) with its own storage.</summary>
    public Tensor Clone()
    {
        var t = Allocate(_shape, clear: false);
        Data.AsSpan().CopyTo(t.Data);
        return t;
    }

    /// <summary>Copies the values of <paramref name="source"/> into this tensor (same element count), outside autograd.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Size != Size)
            throw new ArgumentException($"CopyFrom: source shape {ShapeString(source._shape)} does not match destination shape {ShapeString(_shape)}.", nameof(source));
        source.Data.AsSpan().CopyTo(Data);
    }

    // ----------------------------------------------------------------------------------------
    // Shape helpers
    // ----------------------------------------------------------------------------------------

    internal static int[] CheckedShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(shape), $"Dimension {i} of shape {ShapeString(shape)} is negative; dimensions must be ≥ 0.");
        return (int[])shape.Clone();
    }

    internal static int SizeOf(ReadOnlySpan<int> shape, string argumentName)
    {
        long size = 1;
        foreach (int d in shape)
        {
            size *= d;
            if (size > Array.MaxLength)
                throw new ArgumentOutOfRangeException(argumentName, $"Shape {ShapeString(shape)} has more elements than an array can hold.");
        }
        return (int)size;
    }

    internal static int NormalizeAxis(int axis, int rank, string argumentName)
    {
        int a = axis < 0 ? axis + rank : axis;
        if ((uint)a >= (uint)rank)
            throw new ArgumentOutOfRangeException(argumentName, axis, $"axis must lie in [{-rank}, {rank - 1}] for a rank-{rank} tensor.");
        return a;
    }

    /// <summary>Formats a shape as [a, b, c].</summary>
    public static string ShapeString(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    /// <summary>A short description: shape, and the values when there are few.</summary>
    public override string ToString()
    {
        if (IsReleased) return $"Tensor{ShapeString(_shape)} (released)";
        var sb = new StringBuilder($"Tensor{ShapeString(_shape)}");
        if (Size <= 16)
        {
            sb.Append(" {");
            for (int i = 0; i < Size; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(Data[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
            }
            sb.Append('}');
        }
        if (Node is not null) sb.Append(" grad_fn=").Append(Node.Name);
        else if (RequiresGrad) sb.Append(" requires_grad");
        return sb.ToString();
    }
}

using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>Which fan a Kaiming initialiser preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass (PyTorch's default).</summary>
    FanIn,

    /// <summary>Preserve the variance of gradients in the backward pass.</summary>
    FanOut,
}

/// <summary>
/// In-place weight initialisers with PyTorch's formulas, driven by <see cref="RandomGenerator"/> so that a seed
/// fixes every initial weight. Fans follow PyTorch: for a weight [out, in, k…], fan-in = in·∏k, fan-out = out·∏k.
/// </summary>
/// <remarks>
/// They write the tensor's storage directly, outside autograd; call them before training. Inside
/// <see cref="Suppress"/> (on this thread) they leave the tensor as it is: a network rebuilt only to receive a
/// checkpoint's weights skips work that grows with the cube of its width.
/// </remarks>
public static class Init
{
    [ThreadStatic] private static int t_suppressed;

    /// <summary>While the returned scope lives, every initialiser on this thread leaves its tensor untouched (and draws nothing).</summary>
    internal static SuppressionScope Suppress()
    {
        t_suppressed++;
        return new SuppressionScope();
    }

    /// <summary>Ends an <see cref="Suppress"/> scope.</summary>
    internal readonly struct SuppressionScope : IDisposable
    {
        public void Dispose() => t_suppressed--;
    }

    private static bool IsSuppressed => t_suppressed > 0;

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>: the tensor, viewed as [shape[0], rest], gets
    /// orthonormal rows (when it is wide) or columns (when it is tall). Computed as PyTorch does: the QR
    /// decomposition of a standard normal matrix with the signs fixed so that R has a positive diagonal, which makes
    /// the result uniformly (Haar) distributed. Done in double by twice-orthogonalised Gram–Schmidt, which yields
    /// exactly that sign-corrected Q.
    /// </summary>
    /// <exception cref="ArgumentException">If the tensor has fewer than 2 dimensions.</exception>
    public static void Orthogonal(Tensor tensor, RandomGenerator rng, float gain = 1f)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        if (tensor.Rank < 2)
            throw new ArgumentException($"Init.Orthogonal: the tensor must have at least 2 dimensions, got shape {Tensor.ShapeString(tensor.Shape)}.", nameof(tensor));
        if (IsSuppressed) return;
        int rows = tensor.Dim(0);
        int cols = rows == 0 ? 0 : tensor.Size / rows;
        if (tensor.Size == 0) return;
        // Orthonormalise the n = min(rows, cols) columns of a tall m×n matrix (m = max(rows, cols)).
        bool wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols;
        var a = new double[m * n]; // column-major: column j at a[j*m .. j*m+m)
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextNormal();
        for (int j = 0; j < n; j++)
        {
            var column = a.AsSpan(j * m, m);
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < j; k++)
                {
                    var previous = a.AsSpan(k * m, m);
                    double dot = 0;
                    for (int i = 0; i < m; i++) dot += previous[i] * column[i];
                    for (int i = 0; i < m; i++) column[i] -= dot * previous[i];
                }
            double norm = 0;
            foreach (double v in column) norm += v * v;
            norm = Math.Sqrt(norm);
            for (int i = 0; i < m; i++) column[i] /= norm;
        }
        // Tall: W[i, j] = Q[i, j]. Wide: W = Qᵀ, so W[i, j] = Q[j, i].
        var w = tensor.AsSpan();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                w[i * cols + j] = (float)(gain * (wide ? a[i * m + j] : a[j * m + i]));
    }

    /// <summary>Glorot/Xavier uniform: U(−b, b) with b = gain·√(6 / (fan-in + fan-out)).</summary>
    public static void XavierUniform(Tensor tensor, RandomGenerator rng, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(tensor, nameof(XavierUniform));
        float bound = gain * MathF.Sqrt(6f / Math.Max(fanIn + fanOut, 1));
        Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>Glorot/Xavier normal: N(0, σ²) with σ = gain·√(2 / (fan-in + fan-out)).</summary>
    public static void XavierNormal(Tensor tensor, RandomGenerator rng, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(tensor, nameof(XavierNormal));
        Normal(tensor, rng, 0f, gain * MathF.Sqrt(2f / Math.Max(fanIn + fanOut, 1)));
    }

    /// <summary>
    /// He/Kaiming uniform: U(−b, b) with b = √3 · gain / √fan, gain = √(2 / (1 + a²)) for a leaky ReLU of slope
    /// <paramref name="negativeSlope"/> (0 for ReLU). PyTorch's default Linear/Conv weight init is a = √5,
    /// which gives b = 1/√fan-in.
    /// </summary>
    public static void KaimingUniform(Tensor tensor, RandomGenerator rng, float negativeSlope = 0f, FanMode mode = FanMode.FanIn)
    {
        float std = KaimingStd(tensor, negativeSlope, mode, nameof(KaimingUniform));
        float bound = MathF.Sqrt(3f) * std;
        Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>He/Kaiming normal: N(0, σ²) with σ = gain / √fan, gain as in <see cref="KaimingUniform"/>.</summary>
    public static void KaimingNormal(Tensor tensor, RandomGenerator rng, float negativeSlope = 0f, FanMode mode = FanMode.FanIn) =>
        Normal(tensor, rng, 0f, KaimingStd(tensor, negativeSlope, mode, nameof(KaimingNormal)));

    private static float KaimingStd(Tensor tensor, float negativeSlope, FanMode mode, string name)
    {
        var (fanIn, fanOut) = Fans(tensor, name);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        float gain = MathF.Sqrt(2f / (1f + negativeSlope * negativeSlope));
        return gain / MathF.Sqrt(Math.Max(fan, 1));
    }

    /// <summary>Values drawn from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="std"/> is negative or not finite.</exception>
    public static void Normal(Tensor tensor, RandomGenerator rng, float mean = 0f, float std = 1f)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(std >= 0) || float.IsInfinity(std))
            throw new ArgumentOutOfRangeException(nameof(std), std, "Init.Normal: std must be finite and non-negative.");
        if (!IsSuppressed) rng.FillNormal(tensor.AsSpan(), mean, std);
    }

    /// <summary>Values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="high"/> is below <paramref name="low"/>.</exception>
    public static void Uniform(Tensor tensor, RandomGenerator rng, float low, float high)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(high >= low))
            throw new ArgumentOutOfRangeException(nameof(high), high, $"Init.Uniform: high must be at least low ({low}).");
        if (!IsSuppressed) rng.FillUniform(tensor.AsSpan(), low, high);
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!IsSuppressed) tensor.AsSpan().Fill(value);
    }

    /// <summary>(fan-in, fan-out) of a weight [out, in, k…], as PyTorch computes them.</summary>
    /// <exception cref="ArgumentException">If the tensor has fewer than 2 dimensions.</exception>
    public static (int FanIn, int FanOut) Fans(Tensor tensor, string initializerName = "Init")
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"Init.{initializerName}: fan-based initialisation needs at least 2 dimensions, got shape {Tensor.ShapeString(tensor.Shape)}.", nameof(tensor));
        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++) receptive *= tensor.Dim(d);
        return (tensor.Dim(1) * receptive, tensor.Dim(0) * receptive);
    }
}

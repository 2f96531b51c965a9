using System.Numerics;
using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>Gradient clipping by the global norm (PyTorch's <c>clip_grad_norm_</c>).</summary>
public static class GradClip
{
    /// <summary>
    /// Computes the total p-norm of the gradients of <paramref name="parameters"/> (as if all were
    /// concatenated into one vector) and, when it exceeds <paramref name="maxNorm"/>, multiplies every
    /// gradient by maxNorm / (norm + 1e-6). Parameters without a gradient are ignored.
    /// </summary>
    /// <param name="parameters">The parameters whose <see cref="Tensor.Grad"/> is clipped.</param>
    /// <param name="maxNorm">The largest allowed norm, in [0, ∞).</param>
    /// <param name="normType">p, in (0, ∞], with <see cref="float.PositiveInfinity"/> for the max-norm.</param>
    /// <param name="errorIfNonFinite">Throw when the total norm is NaN or infinite instead of scaling by it.</param>
    /// <returns>The total norm before clipping, accumulated in double in a fixed order (deterministic).</returns>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="maxNorm"/> or <paramref name="normType"/> is outside its range.</exception>
    /// <exception cref="ArithmeticException">If <paramref name="errorIfNonFinite"/> and the norm is not finite.</exception>
    [MethodImpl(HotPath.Optimized)]
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, float maxNorm, float normType = 2f, bool errorIfNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0) || float.IsInfinity(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "ClipGradNorm: maxNorm must be finite and non-negative (in [0, ∞)).");
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "ClipGradNorm: normType must be positive (in (0, ∞], use float.PositiveInfinity for the max-norm).");

        double norm = TotalNorm(parameters, normType);
        if (!double.IsFinite(norm) && errorIfNonFinite)
            throw new ArithmeticException($"ClipGradNorm: the total {normType}-norm of the gradients is {norm}; some gradient holds NaN or infinity.");
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1 || double.IsNaN(coefficient))
        {
            float scale = (float)coefficient;
            if (parameters is IReadOnlyList<Tensor> list)
            {
                for (int i = 0; i < list.Count; i++) Scale(list[i], scale);
            }
            else foreach (var p in parameters) Scale(p, scale);
        }
        return norm;
    }

    /// <summary>The total p-norm of the gradients, without changing them.</summary>
    [MethodImpl(HotPath.Optimized)]
    public static double TotalNorm(IEnumerable<Tensor> parameters, float normType = 2f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double accumulator = 0;
        bool isMax = float.IsPositiveInfinity(normType);
        if (parameters is IReadOnlyList<Tensor> list)
        {
            for (int i = 0; i < list.Count; i++) accumulator = Accumulate(accumulator, list[i], normType, isMax);
        }
        else foreach (var p in parameters) accumulator = Accumulate(accumulator, p, normType, isMax);
        if (isMax) return accumulator;
        return normType == 2f ? Math.Sqrt(accumulator) : normType == 1f ? accumulator : Math.Pow(accumulator, 1.0 / normType);
    }

    private static void Scale(Tensor parameter, float scale)
    {
        if (parameter.Grad is { } grad) TensorPrimitives.Multiply(grad.AsReadOnlySpan(), scale, grad.AsSpan());
    }

    private static double Accumulate(double accumulator, Tensor parameter, float normType, bool isMax)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Grad is not { } grad) return accumulator;
        var g = grad.AsReadOnlySpan();
        if (isMax)
        {
            for (int i = 0; i < g.Length; i++)
            {
                double a = Math.Abs(g[i]);
                if (a > accumulator || double.IsNaN(a)) accumulator = a;
            }
            return accumulator;
        }
        if (normType == 2f) return accumulator + SumOfSquaresDouble(g);
        if (normType == 1f)
        {
            double sum = 0;
            for (int i = 0; i < g.Length; i++) sum += Math.Abs(g[i]);
            return accumulator + sum;
        }
        double total = 0;
        for (int i = 0; i < g.Length; i++) total += Math.Pow(Math.Abs(g[i]), normType);
        return accumulator + total;
    }

    /// <summary>Σ x² in double, vectorised with a fixed lane layout so the result does not depend on timing.</summary>
    [MethodImpl(HotPath.Optimized)]
    internal static double SumOfSquaresDouble(ReadOnlySpan<float> x)
    {
        var sum = Vector<double>.Zero;
        int width = Vector<float>.Count, i = 0;
        for (; i <= x.Length - width; i += width)
        {
            Vector.Widen(new Vector<float>(x.Slice(i, width)), out var low, out var high);
            sum += low * low + high * high;
        }
        double total = Vector.Sum(sum);
        for (; i < x.Length; i++) total += (double)x[i] * x[i];
        return total;
    }
}

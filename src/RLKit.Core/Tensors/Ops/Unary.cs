using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// A backward rule of an element-wise op: writes dL/dx = g · f'(x) given the input x, the output y and
    /// the output gradient g. Parameters p and q carry the op's constants (slope, bounds, exponent).
    /// </summary>
    private delegate void UnaryRule(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx, float p, float q);

    private Tensor UnaryResult(Tensor y, string name, UnaryRule rule, float p = 0f, float q = 0f) =>
        y.Finish(name, ShouldRecord(this) ? new UnaryNode(name, this, rule, p, q) : null);

    private Tensor NewLike() => Allocate(_shape, clear: false);

    /// <summary>y = scale · x + shift (one op, so constants cost no extra tensors).</summary>
    public Tensor Affine(float scale, float shift)
    {
        var y = NewLike();
        if (shift == 0f) TensorPrimitives.Multiply(Data, scale, y.Data);
        else
        {
            TensorPrimitives.Multiply(Data, scale, y.Data);
            TensorPrimitives.Add(y.Data, shift, y.Data);
        }
        return UnaryResult(y, "affine", static (x, y, g, dx, scale, _) => TensorPrimitives.Multiply(g, scale, dx), scale);
    }

    /// <summary>−x.</summary>
    public Tensor Neg()
    {
        var y = NewLike();
        TensorPrimitives.Negate(Data, y.Data);
        return UnaryResult(y, "neg", static (x, y, g, dx, _, _) => TensorPrimitives.Negate(g, dx));
    }

    /// <summary>eˣ.</summary>
    public Tensor Exp()
    {
        var y = NewLike();
        SimdMath.Exp(Data, y.Data);
        return UnaryResult(y, "exp", static (x, y, g, dx, _, _) => TensorPrimitives.Multiply(g, y, dx));
    }

    /// <summary>Natural logarithm.</summary>
    public Tensor Log()
    {
        var y = NewLike();
        TensorPrimitives.Log(Data, y.Data);
        return UnaryResult(y, "log", static (x, y, g, dx, _, _) => TensorPrimitives.Divide(g, x, dx));
    }

    /// <summary>Square root.</summary>
    public Tensor Sqrt()
    {
        var y = NewLike();
        TensorPrimitives.Sqrt(Data, y.Data);
        return UnaryResult(y, "sqrt", static (x, y, g, dx, _, _) =>
        {
            TensorPrimitives.Divide(g, y, dx);
            TensorPrimitives.Multiply(dx, 0.5f, dx);
        });
    }

    /// <summary>|x| (gradient 0 at 0).</summary>
    public Tensor Abs()
    {
        var y = NewLike();
        TensorPrimitives.Abs(Data, y.Data);
        return UnaryResult(y, "abs", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, _, _) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0f;
        });
    }

    /// <summary>xᵖ for a constant exponent.</summary>
    public Tensor Pow(float exponent)
    {
        var y = NewLike();
        TensorPrimitives.Pow(Data, exponent, y.Data);
        return UnaryResult(y, "pow", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, p, _) =>
        {
            if (p == 2f)
            {
                TensorPrimitives.Multiply(g, x, dx);
                TensorPrimitives.Multiply(dx, 2f, dx);
                return;
            }
            for (int i = 0; i < x.Length; i++) dx[i] = p == 0f ? 0f : g[i] * p * MathF.Pow(x[i], p - 1f);
        }, exponent);
    }

    /// <summary>x² (the same as <c>Pow(2)</c>).</summary>
    public Tensor Square() => Pow(2f);

    /// <summary>Clamps into [<paramref name="min"/>, <paramref name="max"/>]; the gradient passes where min ≤ x ≤ max.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If max &lt; min.</exception>
    public Tensor Clamp(float min, float max)
    {
        if (!(max >= min))
            throw new ArgumentOutOfRangeException(nameof(max), max, $"clamp: max must be at least min ({min}).");
        var y = NewLike();
        TensorPrimitives.Max(Data, min, y.Data);
        TensorPrimitives.Min(y.Data, max, y.Data);
        return UnaryResult(y, "clamp", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, lo, hi) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] >= lo && x[i] <= hi ? g[i] : 0f;
        }, min, max);
    }

    /// <summary>max(x, 0).</summary>
    public Tensor Relu()
    {
        var y = NewLike();
        TensorPrimitives.Max(Data, 0f, y.Data);
        return UnaryResult(y, "relu", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, _, _) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : 0f;
        });
    }

    /// <summary>x for x &gt; 0, else slope · x.</summary>
    [MethodImpl(HotPath.Optimized)]
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var y = NewLike();
        var x = Data;
        var yd = y.Data;
        for (int i = 0; i < x.Length; i++) yd[i] = x[i] > 0 ? x[i] : negativeSlope * x[i];
        return UnaryResult(y, "leaky_relu", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, slope, _) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : slope * g[i];
        }, negativeSlope);
    }

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    [MethodImpl(HotPath.Optimized)]
    public Tensor Elu(float alpha = 1f)
    {
        var y = NewLike();
        var x = Data;
        var yd = y.Data;
        for (int i = 0; i < x.Length; i++) yd[i] = x[i] > 0 ? x[i] : alpha * (MathF.Exp(x[i]) - 1f);
        return UnaryResult(y, "elu", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, a, _) =>
        {
            for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + a);
        }, alpha);
    }

    /// <summary>
    /// Hyperbolic tangent, computed in one vectorised pass as 1 − 2/(e^{2x} + 1) on the engine's float exp
    /// (TensorPrimitives.Tanh is several times slower), saturating cleanly to ±1 when e^{2x} overflows or underflows.
    /// </summary>
    public Tensor Tanh()
    {
        var y = NewLike();
        TanhInto(Data, y.Data);
        return UnaryResult(y, "tanh", static (x, y, g, dx, _, _) => SimdMath.TanhBackward(y, g, dx));
    }

    internal static void TanhInto(ReadOnlySpan<float> x, Span<float> y) => SimdMath.Tanh(x, y);

    /// <summary>Logistic sigmoid 1/(1 + e^{−x}).</summary>
    public Tensor Sigmoid()
    {
        var y = NewLike();
        var yd = y.Data;
        TensorPrimitives.Negate(Data, yd);
        SimdMath.Exp(yd, yd);
        TensorPrimitives.Add(yd, 1f, yd);
        TensorPrimitives.Reciprocal(yd, yd);
        return UnaryResult(y, "sigmoid", static (x, y, g, dx, _, _) =>
        {
            // dx = g y (1 − y)
            TensorPrimitives.Subtract(1f, y, dx);
            TensorPrimitives.Multiply(dx, y, dx);
            TensorPrimitives.Multiply(dx, g, dx);
        });
    }

    /// <summary>log(1 + eˣ), computed stably as max(x, 0) + log(1 + e^{−|x|}).</summary>
    [MethodImpl(HotPath.Optimized)]
    public Tensor Softplus()
    {
        var y = NewLike();
        var x = Data;
        var yd = y.Data;
        for (int i = 0; i < x.Length; i++) yd[i] = MathF.Max(x[i], 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x[i])));
        return UnaryResult(y, "softplus", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, _, _) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                // sigmoid(x), written to stay finite for large |x|
                float e = MathF.Exp(-MathF.Abs(x[i]));
                float s = x[i] >= 0 ? 1f / (1f + e) : e / (1f + e);
                dx[i] = g[i] * s;
            }
        });
    }

    /// <summary>Exact GELU, x·Φ(x), with Φ the standard normal CDF (PyTorch's default form).</summary>
    [MethodImpl(HotPath.Optimized)]
    public Tensor Gelu()
    {
        var y = NewLike();
        var x = Data;
        var yd = y.Data;
        for (int i = 0; i < x.Length; i++) yd[i] = (float)(x[i] * NormalCdf(x[i]));
        return UnaryResult(y, "gelu", [MethodImpl(HotPath.Optimized)] static (x, y, g, dx, _, _) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                double xi = x[i];
                double pdf = Math.Exp(-0.5 * xi * xi) / Math.Sqrt(2 * Math.PI);
                dx[i] = (float)(g[i] * (NormalCdf(xi) + xi * pdf));
            }
        });
    }

    /// <summary>Φ(x) through erfc, accurate to about 1e-7 relative everywhere.</summary>
    internal static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>Complementary error function (Numerical Recipes' Chebyshev fit, |error| &lt; 1.2e-7).</summary>
    internal static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
                   t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
                   t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }

    private sealed class UnaryNode(string name, Tensor x, UnaryRule rule, float p, float q) : GradNode(name, x)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBuffer(x, out bool overwrite);
            if (buffer is null) return;
            if (overwrite)
            {
                rule(x.Data, Output.Data, outputGrad.AsReadOnlySpan(), buffer.AsSpan(), p, q);
                return;
            }
            var temp = BufferPool.Rent(x.Size, clear: false);
            rule(x.Data, Output.Data, outputGrad.AsReadOnlySpan(), temp, p, q);
            TensorPrimitives.Add(buffer.AsReadOnlySpan(), temp, buffer.AsSpan());
            BufferPool.Return(temp);
        }
    }
}

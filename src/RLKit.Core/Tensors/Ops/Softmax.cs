using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Softmax over <paramref name="axis"/>, stabilised by subtracting the maximum.
    /// </summary>
    /// <remarks>
    /// A fused primitive rather than a composite of exp/sum/div: it is on every policy's hot path, and its
    /// backward, y ⊙ (g − Σ g·y), needs only the output.
    /// </remarks>
    public Tensor Softmax(int axis = -1) => SoftmaxCore(axis, log: false);

    /// <summary>
    /// log-softmax over <paramref name="axis"/>: x − logsumexp(x), stable for any logits.
    /// A fused primitive for the same reason as <see cref="Softmax"/>; backward is g − softmax ⊙ Σ g.
    /// </summary>
    public Tensor LogSoftmax(int axis = -1) => SoftmaxCore(axis, log: true);

    /// <summary>
    /// Rows shorter than this (policy logits over a few actions) take the strided scalar loop: there the per-call
    /// overhead of the vectorised helpers costs more than the arithmetic.
    /// </summary>
    private const int ShortRow = 16;

    [MethodImpl(HotPath.Optimized)]
    private Tensor SoftmaxCore(int axis, bool log)
    {
        int a = NormalizeAxis(axis, Rank, nameof(axis));
        var (outer, length, inner) = AxisLayout(a);
        var y = NewLike();
        var x = Data;
        var yd = y.Data;
        if (inner == 1 && length >= ShortRow)
        {
            for (int o = 0; o < outer; o++)
            {
                var src = x.AsSpan(o * length, length);
                var dst = yd.AsSpan(o * length, length);
                float max = TensorPrimitives.Max(src);
                TensorPrimitives.Subtract(src, max, dst);
                if (log)
                {
                    var exps = BufferPool.Rent(length, clear: false);
                    SimdMath.Exp(dst, exps.AsSpan(0, length));
                    TensorPrimitives.Subtract(dst, MathF.Log(TensorPrimitives.Sum(exps.AsSpan(0, length))), dst);
                    BufferPool.Return(exps);
                }
                else
                {
                    SimdMath.Exp(dst, dst);
                    TensorPrimitives.Divide(dst, TensorPrimitives.Sum(dst), dst);
                }
            }
        }
        else
        {
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    int start = o * length * inner + i;
                    float max = float.NegativeInfinity;
                    for (int l = 0; l < length; l++) max = MathF.Max(max, x[start + l * inner]);
                    float sum = 0f;
                    for (int l = 0; l < length; l++)
                    {
                        float e = MathF.Exp(x[start + l * inner] - max);
                        sum += e;
                        if (!log) yd[start + l * inner] = e;
                    }
                    if (log)
                    {
                        // (x − max) first: subtracting max + log(sum) at once loses digits for large logits.
                        float logSum = MathF.Log(sum);
                        for (int l = 0; l < length; l++) yd[start + l * inner] = x[start + l * inner] - max - logSum;
                    }
                    else
                    {
                        float inverse = 1f / sum;
                        for (int l = 0; l < length; l++) yd[start + l * inner] *= inverse;
                    }
                }
        }
        string name = log ? "log_softmax" : "softmax";
        return y.Finish(name, ShouldRecord(this) ? new SoftmaxNode(name, this, a, log) : null);
    }

    private sealed class SoftmaxNode(string name, Tensor x, int axis, bool log) : GradNode(name, x)
    {
        [MethodImpl(HotPath.Optimized)]
        public override void Backward(Tensor outputGrad)
        {
            var x = Inputs[0];
            var buffer = GradBuffer(x, out bool overwrite);
            if (buffer is null) return;
            var (outer, length, inner) = x.AxisLayout(axis);
            var g = outputGrad.AsReadOnlySpan();
            var y = Output.AsReadOnlySpan();
            var dx = buffer.AsSpan();
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    int start = o * length * inner + i;
                    float dot = 0f;
                    for (int l = 0; l < length; l++)
                    {
                        int k = start + l * inner;
                        dot += log ? g[k] : g[k] * y[k];
                    }
                    for (int l = 0; l < length; l++)
                    {
                        int k = start + l * inner;
                        float d = log ? g[k] - MathF.Exp(y[k]) * dot : y[k] * (g[k] - dot);
                        dx[k] = overwrite ? d : dx[k] + d;
                    }
                }
        }
    }
}

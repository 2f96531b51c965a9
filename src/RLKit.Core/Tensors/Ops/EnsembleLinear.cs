using RLKit.Autograd;
using RLKit.Tensors.Gemm;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// T dense layers applied side by side: y[t] = x[t]·W[t]ᵀ + b[t], with weight [T, out, in] (PyTorch layout per
    /// member), bias [T, out] or null, and input [T, N, in] (member t reads input[t]) or [N, in] (every member reads
    /// the same rows). The output is [T, N, out] in both cases.
    /// </summary>
    /// <remarks>
    /// The ensemble counterpart of <see cref="Linear"/>: one batched GEMM per call instead of T small ones, so an
    /// ensemble of networks (one per task, per critic, per bootstrap head) costs one op per layer. The bias is
    /// written into the output first and the product accumulated onto it. Backward: dX and dW are one batched GEMM
    /// each (with a shared input, dX = Σₜ G[t]·W[t] is a single GEMM of depth T·out), db[t] a column sum of G[t].
    /// </remarks>
    /// <exception cref="ArgumentException">If the shapes do not fit; the message names them.</exception>
    public static Tensor EnsembleLinear(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var p = EnsembleLinearPlan.Create(input, weight, bias);
        var y = Allocate([p.Members, p.Rows, p.Out], clear: bias is null);
        var yData = y.Data.AsSpan();
        if (bias is not null)
            for (int t = 0; t < p.Members; t++)
                WriteBiasRows(bias.Data.AsSpan(t * p.Out, p.Out), yData.Slice(t * p.Rows * p.Out, p.Rows * p.Out));
        // Y[t] (N × out) += X[t] (N × in) · W[t]ᵀ (W[t] stored out × in).
        GemmDriver.MultiplyBatched(p.Members, false, true, p.Rows, p.Out, p.In,
            input.Data, p.In, p.SharedInput ? 0 : p.Rows * p.In,
            weight.Data, p.In, p.Out * p.In,
            yData, p.Out, p.Rows * p.Out, accumulate: true);
        bool record = bias is null ? ShouldRecord(input, weight) : ShouldRecord([input, weight, bias]);
        return y.Finish("ensemble_linear", record ? new EnsembleLinearNode(input, weight, bias, p) : null);
    }

    /// <summary>Sizes of one ensemble-linear call: T members, N rows per member, in → out features.</summary>
    private readonly record struct EnsembleLinearPlan(int Members, int Rows, int In, int Out, bool SharedInput)
    {
        public static EnsembleLinearPlan Create(Tensor input, Tensor weight, Tensor? bias)
        {
            if (weight.Rank != 3)
                throw new ArgumentException(
                    $"ensemble_linear: weight {ShapeString(weight._shape)} must be [members, out_features, in_features].", nameof(weight));
            int members = weight._shape[0], outFeatures = weight._shape[1], inFeatures = weight._shape[2];
            bool shared = input.Rank == 2;
            if (!(shared || input.Rank == 3) || input._shape[^1] != inFeatures || (!shared && input._shape[0] != members))
                throw new ArgumentException(
                    $"ensemble_linear: input {ShapeString(input._shape)} must be [{members}, rows, {inFeatures}] (one slice per member) " +
                    $"or [rows, {inFeatures}] (shared by every member) for weight {ShapeString(weight._shape)}.", nameof(input));
            if (bias is not null && (bias.Rank != 2 || bias._shape[0] != members || bias._shape[1] != outFeatures))
                throw new ArgumentException(
                    $"ensemble_linear: bias {ShapeString(bias._shape)} must be [{members}, {outFeatures}] for weight {ShapeString(weight._shape)}.", nameof(bias));
            int rows = shared ? input._shape[0] : input._shape[1];
            return new EnsembleLinearPlan(members, rows, inFeatures, outFeatures, shared);
        }
    }

    private sealed class EnsembleLinearNode : GradNode
    {
        private readonly EnsembleLinearPlan _p;

        public EnsembleLinearNode(Tensor input, Tensor weight, Tensor? bias, EnsembleLinearPlan p)
            : base("ensemble_linear", bias is null ? [input, weight] : [input, weight, bias]) => _p = p;

        public override void Backward(Tensor outputGrad)
        {
            Tensor x = Inputs[0], w = Inputs[1];
            var p = _p;
            int t = p.Members, n = p.Rows, inF = p.In, outF = p.Out;
            var g = outputGrad.AsReadOnlySpan();
            if (GradBuffer(x, out bool overwriteX) is { } dx)
            {
                if (!p.SharedInput)
                {
                    // dX[t] (N × in) = G[t] (N × out) · W[t] (out × in).
                    GemmDriver.MultiplyBatched(t, false, false, n, inF, outF, g, outF, n * outF, w.Data, inF, outF * inF,
                        dx.AsSpan(), inF, n * inF, !overwriteX);
                }
                else
                {
                    // dX = Σₜ G[t]·W[t] = G' · W', where G' [N, T·out] puts the members side by side and W' [T·out, in]
                    // is W's storage as it is: one GEMM of depth T·out.
                    float[] side = BufferPool.Rent(n * t * outF, clear: false);
                    try
                    {
                        var sideSpan = side.AsSpan(0, n * t * outF);
                        for (int m = 0; m < t; m++)
                            for (int r = 0; r < n; r++)
                                g.Slice((m * n + r) * outF, outF).CopyTo(sideSpan.Slice((r * t + m) * outF, outF));
                        GemmDriver.Multiply(false, false, n, inF, t * outF, sideSpan, t * outF, w.Data, inF, dx.AsSpan(), inF, !overwriteX);
                    }
                    finally
                    {
                        BufferPool.Return(side);
                    }
                }
            }
            if (GradBuffer(w, out bool overwriteW) is { } dw)
            {
                // dW[t] (out × in) = G[t]ᵀ (G[t] stored N × out) · X[t] (N × in).
                GemmDriver.MultiplyBatched(t, true, false, outF, inF, n, g, outF, n * outF, x.Data, inF, p.SharedInput ? 0 : n * inF,
                    dw.AsSpan(), inF, outF * inF, !overwriteW);
            }
            if (Inputs.Length == 3 && GradBuffer(Inputs[2], out bool overwriteB) is { } db)
            {
                var dbSpan = db.AsSpan();
                if (overwriteB) dbSpan.Clear();
                for (int m = 0; m < t; m++) AddRowsInto(g.Slice(m * n * outF, n * outF), dbSpan.Slice(m * outF, outF));
            }
        }
    }
}

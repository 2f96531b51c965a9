using RLKit.Tensors.Gemm;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// 1-D convolution (cross-correlation, as in PyTorch): input [batch, inChannels, length], weight
    /// [outChannels, inChannels, kernel], optional bias [outChannels] → [batch, outChannels, outLength] with
    /// outLength = (length + 2·padding − kernel) / stride + 1. Padding is with zeros on both ends.
    /// </summary>
    /// <remarks>
    /// A primitive computed as im2col + one GEMM per batch entry: the unfolded columns [inChannels·kernel,
    /// outLength] turn the convolution into weight [outChannels, inChannels·kernel] · columns, so it runs on
    /// the SIMD GEMM kernel. The backward reuses the same layout (col2im scatters the input gradient back).
    /// </remarks>
    /// <exception cref="ArgumentException">If a shape is wrong (the message names the op and both shapes).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If stride &lt; 1, padding &lt; 0, or the kernel does not fit.</exception>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var p = Conv1dPlan.Create(input, weight, bias, stride, padding);
        var y = Allocate([p.Batch, p.OutChannels, p.OutLength], clear: false);
        var columns = BufferPool.Rent(p.ColumnsSize, clear: false);
        try
        {
            var x = input.Data;
            var w = weight.Data;
            var yd = y.Data;
            int outBlock = p.OutChannels * p.OutLength;
            for (int b = 0; b < p.Batch; b++)
            {
                p.Im2Col(x.AsSpan(b * p.InChannels * p.Length, p.InChannels * p.Length), columns);
                var yb = yd.AsSpan(b * outBlock, outBlock);
                GemmDriver.Multiply(false, false, p.OutChannels, p.OutLength, p.Patch, w, p.Patch, columns, p.OutLength, yb, p.OutLength, false);
                if (bias is not null)
                    for (int c = 0; c < p.OutChannels; c++)
                    {
                        var row = yb.Slice(c * p.OutLength, p.OutLength);
                        TensorPrimitives.Add(row, bias.Data[c], row);
                    }
            }
        }
        finally
        {
            BufferPool.Return(columns);
        }
        bool record = ShouldRecord(input, weight) || (bias is not null && ShouldRecord(bias));
        return y.Finish("conv1d", record ? new Conv1dNode(input, weight, bias, p) : null);
    }

    /// <summary>The sizes of one convolution, and its unfold/fold helpers.</summary>
    private readonly record struct Conv1dPlan(int Batch, int InChannels, int Length, int OutChannels, int Kernel, int Stride, int Padding, int OutLength)
    {
        /// <summary>Rows of the unfolded columns: one per (input channel, kernel tap).</summary>
        public int Patch => InChannels * Kernel;

        public int ColumnsSize => Patch * OutLength;

        public static Conv1dPlan Create(Tensor input, Tensor weight, Tensor? bias, int stride, int padding)
        {
            if (input.Rank != 3)
                throw new ArgumentException(
                    $"conv1d: input shape {ShapeString(input._shape)} must be [batch, channels, length] (weight shape {ShapeString(weight._shape)}).", nameof(input));
            if (weight.Rank != 3 || weight._shape[0] < 1 || weight._shape[2] < 1)
                throw new ArgumentException(
                    $"conv1d: weight shape {ShapeString(weight._shape)} must be [outChannels ≥ 1, inChannels, kernel ≥ 1] (input shape {ShapeString(input._shape)}).", nameof(weight));
            if (weight._shape[1] != input._shape[1])
                throw new ArgumentException(
                    $"conv1d: weight shape {ShapeString(weight._shape)} expects {weight._shape[1]} input channels, but input shape {ShapeString(input._shape)} has {input._shape[1]}.", nameof(weight));
            int outChannels = weight._shape[0];
            if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outChannels))
                throw new ArgumentException(
                    $"conv1d: bias shape {ShapeString(bias._shape)} must be [{outChannels}] to match weight shape {ShapeString(weight._shape)}.", nameof(bias));
            if (stride < 1)
                throw new ArgumentOutOfRangeException(nameof(stride), stride, "conv1d: stride must be at least 1.");
            if (padding < 0)
                throw new ArgumentOutOfRangeException(nameof(padding), padding, "conv1d: padding must be non-negative.");
            int length = input._shape[2], kernel = weight._shape[2];
            int padded = length + 2 * padding;
            if (padded < kernel)
                throw new ArgumentOutOfRangeException(nameof(input),
                    $"conv1d: input shape {ShapeString(input._shape)} with padding {padding} has length {padded}, shorter than the kernel of weight shape {ShapeString(weight._shape)}.");
            int outLength = (padded - kernel) / stride + 1;
            return new Conv1dPlan(input._shape[0], input._shape[1], length, outChannels, kernel, stride, padding, outLength);
        }

        /// <summary>columns[(c·K + k)·outLength + l] = x[c, l·stride + k − padding], zero outside the input.</summary>
        public void Im2Col(ReadOnlySpan<float> x, Span<float> columns)
        {
            for (int c = 0; c < InChannels; c++)
                for (int k = 0; k < Kernel; k++)
                {
                    var dst = columns.Slice((c * Kernel + k) * OutLength, OutLength);
                    var src = x.Slice(c * Length, Length);
                    int offset = k - Padding;
                    for (int l = 0; l < OutLength; l++)
                    {
                        int position = l * Stride + offset;
                        dst[l] = (uint)position < (uint)Length ? src[position] : 0f;
                    }
                }
        }

        /// <summary>The adjoint of <see cref="Im2Col"/>: adds each column entry back onto the input position it came from.</summary>
        public void Col2ImAdd(ReadOnlySpan<float> columns, Span<float> dx)
        {
            for (int c = 0; c < InChannels; c++)
                for (int k = 0; k < Kernel; k++)
                {
                    var src = columns.Slice((c * Kernel + k) * OutLength, OutLength);
                    var dst = dx.Slice(c * Length, Length);
                    int offset = k - Padding;
                    for (int l = 0; l < OutLength; l++)
                    {
                        int position = l * Stride + offset;
                        if ((uint)position < (uint)Length) dst[position] += src[l];
                    }
                }
        }
    }

    private sealed class Conv1dNode : GradNode
    {
        private readonly Conv1dPlan _plan;
        private readonly bool _hasBias;

        public Conv1dNode(Tensor input, Tensor weight, Tensor? bias, Conv1dPlan plan)
            : base("conv1d", bias is null ? new[] { input, weight } : new[] { input, weight, bias })
        {
            _plan = plan;
            _hasBias = bias is not null;
        }

        public override void Backward(Tensor outputGrad)
        {
            var p = _plan;
            Tensor input = Inputs[0], weight = Inputs[1];
            var g = outputGrad.AsReadOnlySpan();
            int outBlock = p.OutChannels * p.OutLength, inBlock = p.InChannels * p.Length;

            if (_hasBias && GradBuffer(Inputs[2], out bool overwriteBias) is { } dBias)
            {
                var db = dBias.AsSpan();
                if (overwriteBias) db.Clear();
                for (int b = 0; b < p.Batch; b++)
                    for (int c = 0; c < p.OutChannels; c++)
                        db[c] += TensorPrimitives.Sum(g.Slice(b * outBlock + c * p.OutLength, p.OutLength));
            }

            var dWeight = GradBuffer(weight, out bool overwriteWeight);
            var dInput = GradBufferForAdd(input);
            if (dWeight is null && dInput is null) return;
            if (dWeight is not null && overwriteWeight && p.Batch == 0) dWeight.AsSpan().Clear();

            var columns = BufferPool.Rent(p.ColumnsSize, clear: false);
            try
            {
                var x = input.Data;
                var w = weight.Data;
                for (int b = 0; b < p.Batch; b++)
                {
                    var gb = g.Slice(b * outBlock, outBlock);
                    if (dWeight is not null)
                    {
                        // dW [outC, patch] += G_b [outC, outLength] · columns_bᵀ.
                        p.Im2Col(x.AsSpan(b * inBlock, inBlock), columns);
                        GemmDriver.Multiply(false, true, p.OutChannels, p.Patch, p.OutLength, gb, p.OutLength, columns, p.OutLength,
                                      dWeight.AsSpan(), p.Patch, !overwriteWeight || b > 0);
                    }
                    if (dInput is not null)
                    {
                        // dColumns [patch, outLength] = Wᵀ · G_b, folded back onto the input.
                        GemmDriver.Multiply(true, false, p.Patch, p.OutLength, p.OutChannels, w, p.Patch, gb, p.OutLength,
                                      columns, p.OutLength, false);
                        p.Col2ImAdd(columns.AsSpan(0, p.ColumnsSize), dInput.AsSpan().Slice(b * inBlock, inBlock));
                    }
                }
            }
            finally
            {
                BufferPool.Return(columns);
            }
        }
    }
}

using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// A 1-D convolution layer over [B, C_in, L], as PyTorch's <c>nn.Conv1d</c>: parameters "weight"
/// [C_out, C_in, k] and "bias" [C_out], both initialised U(±1/√(C_in·k)) by default; zero padding on both ends.
/// </summary>
public sealed class Conv1d : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive or padding is negative.</exception>
    public Conv1d(int inChannels, int outChannels, int kernelSize, RandomGenerator rng, int stride = 1, int padding = 0, bool bias = true,
        Initializer? weightInit = null, Initializer? biasInit = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "Conv1d: inChannels must be positive.");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "Conv1d: outChannels must be positive.");
        if (kernelSize <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "Conv1d: kernelSize must be positive.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Conv1d: stride must be positive.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Conv1d: padding must be non-negative.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        var weight = Tensor.AllocatePersistent([outChannels, inChannels, kernelSize]);
        (weightInit ?? Initializer.PyTorchDefault).Apply(weight, rng);
        Weight = RegisterParameter("weight", weight);
        if (bias)
        {
            var b = Tensor.AllocatePersistent([outChannels]);
            if (biasInit is null)
            {
                float bound = 1f / MathF.Sqrt(inChannels * kernelSize);
                Init.Uniform(b, rng, -bound, bound);
            }
            else biasInit.Apply(b, rng);
            Bias = RegisterParameter("bias", b);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between output positions.</summary>
    public int Stride { get; }

    /// <summary>Zeros added at each end.</summary>
    public int Padding { get; }

    /// <summary>The kernel [C_out, C_in, k].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias [C_out], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>[B, C_in, L] → [B, C_out, (L + 2·padding − k) / stride + 1].</summary>
    /// <exception cref="ArgumentException">If the input is not [B, C_in, L].</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Dim(1) != InChannels)
            throw new ArgumentException($"Conv1d: input shape {Tensor.ShapeString(input.Shape)} must be [batch, {InChannels}, length].", nameof(input));
        return Tensor.Conv1d(input, Weight, Bias, Stride, Padding);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Conv1d({InChannels}, {OutChannels}, k={KernelSize}, stride={Stride}, padding={Padding})";
}

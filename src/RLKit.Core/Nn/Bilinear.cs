using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// A bilinear layer y_o = x1ᵀ W_o x2 + b_o, as PyTorch's <c>nn.Bilinear</c>: parameters "weight" [out, in1, in2]
/// and "bias" [out], both initialised U(±1/√in1).
/// </summary>
public sealed class Bilinear : Module
{
    /// <summary>Creates the layer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    public Bilinear(int in1Features, int in2Features, int outFeatures, RandomGenerator rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (in1Features <= 0) throw new ArgumentOutOfRangeException(nameof(in1Features), in1Features, "Bilinear: in1Features must be positive.");
        if (in2Features <= 0) throw new ArgumentOutOfRangeException(nameof(in2Features), in2Features, "Bilinear: in2Features must be positive.");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "Bilinear: outFeatures must be positive.");
        In1Features = in1Features;
        In2Features = in2Features;
        OutFeatures = outFeatures;
        float bound = 1f / MathF.Sqrt(in1Features);
        var weight = Tensor.AllocatePersistent([outFeatures, in1Features, in2Features]);
        Init.Uniform(weight, rng, -bound, bound);
        Weight = RegisterParameter("weight", weight);
        if (bias)
        {
            var b = Tensor.AllocatePersistent([outFeatures]);
            Init.Uniform(b, rng, -bound, bound);
            Bias = RegisterParameter("bias", b);
        }
    }

    /// <summary>Width of the first input.</summary>
    public int In1Features { get; }

    /// <summary>Width of the second input.</summary>
    public int In2Features { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>W [out, in1, in2].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>[B, in1] × [B, in2] → [B, out].</summary>
    /// <exception cref="ArgumentException">If a shape is wrong.</exception>
    public Tensor Forward(Tensor x1, Tensor x2)
    {
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(x2);
        if (x1.Rank != 2 || x1.Dim(1) != In1Features)
            throw new ArgumentException($"Bilinear: x1 shape {Tensor.ShapeString(x1.Shape)} must be [batch, {In1Features}].", nameof(x1));
        if (x2.Rank != 2 || x2.Dim(0) != x1.Dim(0) || x2.Dim(1) != In2Features)
            throw new ArgumentException($"Bilinear: x2 shape {Tensor.ShapeString(x2.Shape)} must be [batch={x1.Dim(0)}, {In2Features}].", nameof(x2));
        return Functional.Bilinear(x1, x2, Weight, Bias);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Bilinear(in1={In1Features}, in2={In2Features}, out={OutFeatures})";
}

using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// A fully connected layer y = x Wᵀ + b over the last dimension, with W stored [out, in] as in PyTorch
/// (parameters "weight" and "bias"). Inputs may have any number of leading dimensions: [.., in] → [.., out].
/// </summary>
public sealed class Linear : Layer
{
    /// <summary>
    /// Creates the layer. By default the weight gets PyTorch's Kaiming-uniform (a = √5) init, U(±1/√in), and the
    /// bias U(±1/√in); pass <paramref name="weightInit"/> / <paramref name="biasInit"/> to choose otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    public Linear(int inFeatures, int outFeatures, RandomGenerator rng, bool bias = true, Initializer? weightInit = null, Initializer? biasInit = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), inFeatures, "Linear: inFeatures must be positive.");
        if (outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), outFeatures, "Linear: outFeatures must be positive.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weight = Tensor.AllocatePersistent([outFeatures, inFeatures]);
        (weightInit ?? Initializer.PyTorchDefault).Apply(weight, rng);
        Weight = RegisterParameter("weight", weight);
        if (bias)
        {
            var b = Tensor.AllocatePersistent([outFeatures]);
            if (biasInit is null)
            {
                float bound = 1f / MathF.Sqrt(inFeatures);
                Init.Uniform(b, rng, -bound, bound);
            }
            else biasInit.Apply(b, rng);
            Bias = RegisterParameter("bias", b);
        }
    }

    /// <summary>The input size (last dimension of the input).</summary>
    public int InFeatures { get; }

    /// <summary>The output size.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias [out], or null when the layer was built without one.</summary>
    public Tensor? Bias { get; }

    /// <summary>[.., in] → [.., out]. A 1-D input [in] gives [out].</summary>
    /// <exception cref="ArgumentException">If the last dimension is not <see cref="InFeatures"/>.</exception>
    [MethodImpl(HotPath.Optimized)]
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Dim(-1) != InFeatures)
            throw new ArgumentException($"Linear: input shape {Tensor.ShapeString(input.Shape)} must end in in_features = {InFeatures}.", nameof(input));
        return Tensor.Linear(input, Weight, Bias);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Linear(in={InFeatures}, out={OutFeatures}, bias={Bias is not null})";
}

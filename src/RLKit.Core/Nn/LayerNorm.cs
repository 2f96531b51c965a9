using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// Layer normalisation over the last dimension: (x − mean) / √(var + ε) · weight + bias, with the biased
/// variance, as in PyTorch's <c>nn.LayerNorm(features)</c> (parameters "weight" = 1 and "bias" = 0 initially).
/// </summary>
public sealed class LayerNorm : Layer
{
    /// <summary>Creates the layer for inputs [.., <paramref name="features"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">If features is not positive or ε is not positive and finite.</exception>
    public LayerNorm(int features, float epsilon = 1e-5f, bool elementwiseAffine = true)
    {
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "LayerNorm: features must be positive.");
        if (!(epsilon > 0) || !float.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "LayerNorm: epsilon must be positive and finite.");
        Features = features;
        Epsilon = epsilon;
        if (elementwiseAffine)
        {
            var weight = Tensor.AllocatePersistent([features]);
            Init.Constant(weight, 1f);
            Weight = RegisterParameter("weight", weight);
            Bias = RegisterParameter("bias", Tensor.AllocatePersistent([features]));
        }
    }

    /// <summary>The normalised (last) dimension's size.</summary>
    public int Features { get; }

    /// <summary>The ε added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>The scale [features], or null without the elementwise affine transform.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift [features], or null without the elementwise affine transform.</summary>
    public Tensor? Bias { get; }

    /// <summary>Normalises [.., features] over the last dimension.</summary>
    /// <exception cref="ArgumentException">If the last dimension is not <see cref="Features"/>.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Dim(-1) != Features)
            throw new ArgumentException($"LayerNorm: input shape {Tensor.ShapeString(input.Shape)} must end in features = {Features}.", nameof(input));
        return Functional.LayerNorm(input, Weight, Bias, Epsilon);
    }

    /// <inheritdoc/>
    public override string ToString() => $"LayerNorm({Features}, eps={Epsilon})";
}

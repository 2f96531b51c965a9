using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.MixMask;

/// <summary>How the mix/mask networks initialise their linear layers (the reference code's N(0, 0.1)/0.1, or orthogonal/zero).</summary>
internal sealed record LayerInit(Initializer Weight, Initializer Bias)
{
    /// <summary>The reference code's init_weights: weights N(0, 0.1), biases 0.1.</summary>
    public static LayerInit Paper { get; } = new(Initializer.Normal(0f, 0.1f), Initializer.Constant(0.1f));

    /// <summary>Orthogonal weights with gain √2 and zero biases (CleanRL's hidden layers).</summary>
    public static LayerInit Orthogonal { get; } = new(Initializer.Orthogonal(MathF.Sqrt(2f)), Initializer.Zeros);

    /// <summary>A linear layer initialised this way.</summary>
    public Linear Linear(int inFeatures, int outFeatures, RandomGenerator rng) => new(inFeatures, outFeatures, rng, bias: true, Weight, Bias);
}

/// <summary>
/// A mix function (seed 000 eq. 5): couples the actor's and the critic's latents [B, H] into mixed latents [B, H].
/// It computes both sides jointly; the network decides which inputs are detached for which side.
/// </summary>
internal abstract class MixModule : Module
{
    protected MixModule(int width) => Width = width;

    /// <summary>The latent width H of inputs and outputs.</summary>
    public int Width { get; }

    /// <summary>(x̂_π, x̂_v) = Mix(x_π, x_v), each [B, H].</summary>
    public abstract (Tensor Policy, Tensor Value) Forward(Tensor policyLatent, Tensor valueLatent);
}

/// <summary>A mask function (seed 000 eq. 10): decouples a shared latent [B, H] into the actor's and the critic's latents [B, H].</summary>
internal abstract class MaskModule : Module
{
    protected MaskModule(int width) => Width = width;

    /// <summary>The latent width H of the input and the outputs.</summary>
    public int Width { get; }

    /// <summary>(x_π, x_v) = Mask(x_s), each [B, H].</summary>
    public abstract (Tensor Policy, Tensor Value) Forward(Tensor shared);
}

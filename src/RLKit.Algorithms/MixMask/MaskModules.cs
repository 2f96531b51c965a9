using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.MixMask;

/// <summary>Builds the mask representation named by <see cref="MaskOptions.Kind"/> (seed 000 §4.2, Figure 3).</summary>
internal static class MaskModules
{
    /// <summary>The mask module for <paramref name="options"/> over a shared latent of width <paramref name="width"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the width is out of range (positive; at least 2 for the shared attention) or an option is invalid.</exception>
    public static MaskModule Create(MaskOptions options, int width, RandomGenerator rng, Activation activation, LayerInit init)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(init);
        options.Validate();
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "MaskModules.Create: width must be positive.");
        return options.Kind switch
        {
            MaskKind.Mlp => new MlpMask(width, rng, activation, init),
            MaskKind.SelfAttention => new SelfAttentionMask(width, rng, init),
            MaskKind.LatentQuery => new LatentQueryMask(width, rng, init),
            MaskKind.SharedAttention => new SharedAttentionMask(width, rng, init),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "MaskModules.Create: unknown MaskKind."),
        };
    }

    /// <summary>Throws unless the shared latent is [B, H] with H = <paramref name="width"/>.</summary>
    internal static void RequireLatent(string owner, int width, Tensor shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        if (shared.Rank != 2 || shared.Dim(1) != width)
            throw new ArgumentException($"{owner}: shared latent shape {Tensor.ShapeString(shared.Shape)} must be [batch, {width}].", nameof(shared));
    }
}

/// <summary>The base mask: x_π = act(W_π·x_s + b_π), x_v = act(W_v·x_s + b_v), one Linear(H, H) per side.</summary>
internal sealed class MlpMask : MaskModule
{
    private readonly Linear _policy;
    private readonly Linear _value;
    private readonly Activation _activation;

    /// <summary>Creates the two layers.</summary>
    public MlpMask(int width, RandomGenerator rng, Activation activation, LayerInit init) : base(width)
    {
        _activation = activation;
        _policy = RegisterModule("policy", init.Linear(width, width, rng));
        _value = RegisterModule("value", init.Linear(width, width, rng));
    }

    internal Linear PolicyLayer => _policy;
    internal Linear ValueLayer => _value;
    internal Activation Activation => _activation;

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor shared)
    {
        MaskModules.RequireLatent(nameof(MlpMask), Width, shared);
        return (_activation.Apply(_policy.Forward(shared)), _activation.Apply(_value.Forward(shared)));
    }
}

/// <summary>Two independent self-attention modules over the shared latent's features, one per side.</summary>
internal sealed class SelfAttentionMask : MaskModule
{
    private readonly FeatureAttention _policy;
    private readonly FeatureAttention _value;

    /// <summary>Creates the two attention modules.</summary>
    public SelfAttentionMask(int width, RandomGenerator rng, LayerInit init) : base(width)
    {
        _policy = RegisterModule("policy", new FeatureAttention(width, rng, init));
        _value = RegisterModule("value", new FeatureAttention(width, rng, init));
    }

    internal FeatureAttention PolicyAttention => _policy;
    internal FeatureAttention ValueAttention => _value;

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor shared)
    {
        MaskModules.RequireLatent(nameof(SelfAttentionMask), Width, shared);
        return (_policy.Forward(shared, shared), _value.Forward(shared, shared));
    }
}

/// <summary>
/// Self-attention per side whose query input is one learned latent [H] shared by both sides (initialised to ones,
/// as in the reference code) and broadcast over the batch; each side projects it with its own W_q, and its keys
/// and values come from the shared latent.
/// </summary>
internal sealed class LatentQueryMask : MaskModule
{
    private readonly FeatureAttention _policy;
    private readonly FeatureAttention _value;

    /// <summary>Creates the latent query and the two attention modules.</summary>
    public LatentQueryMask(int width, RandomGenerator rng, LayerInit init) : base(width)
    {
        LatentQuery = RegisterParameter("latent_query", Tensor.Ones(width));
        _policy = RegisterModule("policy", new FeatureAttention(width, rng, init));
        _value = RegisterModule("value", new FeatureAttention(width, rng, init));
    }

    internal FeatureAttention PolicyAttention => _policy;
    internal FeatureAttention ValueAttention => _value;

    /// <summary>The learned query input [H], shared by both sides.</summary>
    public Tensor LatentQuery { get; }

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor shared)
    {
        MaskModules.RequireLatent(nameof(LatentQueryMask), Width, shared);
        return (_policy.Forward(LatentQuery, shared), _value.Forward(LatentQuery, shared));
    }
}

/// <summary>
/// One self-attention module for both sides (seed 000 eq. 11): the policy reads the attention a_π as usual, the
/// value the inverted, renormalised a_v = (1 − a_π) / rowsum(1 − a_π) = (1 − a_π)/(H − 1) (each row of a_π sums
/// to 1), applied to the same projected values. Needs H ≥ 2.
/// </summary>
/// <remarks>
/// The reference code normalises 1 − a with F.normalize (unit L2 norm); RLKit uses the sum, which the paper's
/// "normalizing constant" and the policy side's convex weights call for.
/// </remarks>
internal sealed class SharedAttentionMask : MaskModule
{
    private readonly FeatureAttention _attention;

    /// <summary>Creates the shared attention module.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the width is below 2 (1 − a would be all zero).</exception>
    public SharedAttentionMask(int width, RandomGenerator rng, LayerInit init) : base(width)
    {
        if (width < 2)
            throw new ArgumentOutOfRangeException(nameof(width), width, "SharedAttentionMask: width must be at least 2, since the inverted attention (1 − a)/(H − 1) is undefined for H = 1.");
        _attention = RegisterModule("attention", new FeatureAttention(width, rng, init));
    }

    internal FeatureAttention Attention => _attention;

    /// <summary>The policy's attention a_π [B, H, H] and the value's inverted attention a_v [B, H, H] for a shared latent.</summary>
    public (Tensor Policy, Tensor Value) AttentionWeights(Tensor shared)
    {
        MaskModules.RequireLatent(nameof(SharedAttentionMask), Width, shared);
        var policy = _attention.Weights(shared, shared);
        // 1 − a has row sums H − 1 exactly (up to rounding), so the constant renormalises without a reduction.
        var value = policy.Affine(-1f / (Width - 1), 1f / (Width - 1));
        return (policy, value);
    }

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor shared)
    {
        var (policyWeights, valueWeights) = AttentionWeights(shared);
        var values = _attention.Values(shared);
        return (FeatureAttention.Attend(policyWeights, values), FeatureAttention.Attend(valueWeights, values));
    }
}

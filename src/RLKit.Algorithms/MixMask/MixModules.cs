using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.MixMask;

/// <summary>Builds the mix representation named by <see cref="MixOptions.Kind"/> (seed 000 §4.1, Figure 2).</summary>
internal static class MixModules
{
    /// <summary>The mix module for <paramref name="options"/> over latents of width <paramref name="width"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the width is not positive or an option is out of range.</exception>
    public static MixModule Create(MixOptions options, int width, RandomGenerator rng, Activation activation, LayerInit init)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(init);
        options.Validate();
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "MixModules.Create: width must be positive.");
        return options.Kind switch
        {
            MixKind.Mlp => new MlpMix(width, rng, activation, init),
            MixKind.Mixer => new MixerMix(width, options.Blocks, rng, init),
            MixKind.Conv => new ConvMix(width, options.Blocks, options.KernelSize, rng, activation, init),
            MixKind.CrossAttention => new CrossAttentionMix(width, rng, init),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "MixModules.Create: unknown MixKind."),
        };
    }

    /// <summary>Throws unless both latents are [B, H] with the same B and H = <paramref name="width"/>.</summary>
    internal static void RequireLatents(string owner, int width, Tensor policyLatent, Tensor valueLatent)
    {
        ArgumentNullException.ThrowIfNull(policyLatent);
        ArgumentNullException.ThrowIfNull(valueLatent);
        if (policyLatent.Rank != 2 || policyLatent.Dim(1) != width || !policyLatent.Shape.SequenceEqual(valueLatent.Shape))
            throw new ArgumentException(
                $"{owner}: latents {Tensor.ShapeString(policyLatent.Shape)} (policy) and {Tensor.ShapeString(valueLatent.Shape)} (value) must both be [batch, {width}].",
                nameof(policyLatent));
    }

    /// <summary>The two latents as the two channels of [B, 2, H] (channel 0 the policy's, 1 the value's).</summary>
    internal static Tensor AsChannels(Tensor policyLatent, Tensor valueLatent) => Tensor.Stack([policyLatent, valueLatent], 1);

    /// <summary>Channel <paramref name="channel"/> of [B, 2, H] as [B, H].</summary>
    internal static Tensor Channel(Tensor channels, int channel) => channels.Narrow(1, channel, 1).Squeeze(1);
}

/// <summary>The base mix: x̂_π = act(W_π·[x_π, x_v] + b_π), x̂_v = act(W_v·[x_π, x_v] + b_v), two independent Linear(2H, H).</summary>
internal sealed class MlpMix : MixModule
{
    private readonly Linear _policy;
    private readonly Linear _value;
    private readonly Activation _activation;

    /// <summary>Creates the two layers.</summary>
    public MlpMix(int width, RandomGenerator rng, Activation activation, LayerInit init) : base(width)
    {
        _activation = activation;
        _policy = RegisterModule("policy", init.Linear(2 * width, width, rng));
        _value = RegisterModule("value", init.Linear(2 * width, width, rng));
    }

    internal Linear PolicyLayer => _policy;
    internal Linear ValueLayer => _value;
    internal Activation Activation => _activation;

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor policyLatent, Tensor valueLatent)
    {
        MixModules.RequireLatents(nameof(MlpMix), Width, policyLatent, valueLatent);
        var joint = Tensor.Concat([policyLatent, valueLatent], 1);
        return (_activation.Apply(_policy.Forward(joint)), _activation.Apply(_value.Forward(joint)));
    }
}

/// <summary>
/// The MLP-Mixer mix: the latents are two channels [B, 2, H]; each block applies Linear(2, 2) across the channels,
/// ReLU, Linear(H, H) across the features, ReLU, LayerNorm(H) (the reference code's block, without a residual).
/// Channel 0 is the policy's output, channel 1 the value's.
/// </summary>
internal sealed class MixerMix : MixModule
{
    private readonly Linear[] _channelMixers;
    private readonly Linear[] _featureMixers;
    private readonly LayerNorm[] _norms;

    /// <summary>Creates <paramref name="blocks"/> blocks.</summary>
    public MixerMix(int width, int blocks, RandomGenerator rng, LayerInit init) : base(width)
    {
        _channelMixers = new Linear[blocks];
        _featureMixers = new Linear[blocks];
        _norms = new LayerNorm[blocks];
        for (int i = 0; i < blocks; i++)
        {
            _channelMixers[i] = RegisterModule($"channel{i}", init.Linear(2, 2, rng));
            _featureMixers[i] = RegisterModule($"feature{i}", init.Linear(width, width, rng));
            _norms[i] = RegisterModule($"norm{i}", new LayerNorm(width));
        }
    }

    /// <summary>The number of blocks.</summary>
    public int Blocks => _norms.Length;

    internal IReadOnlyList<Linear> ChannelMixers => _channelMixers;
    internal IReadOnlyList<Linear> FeatureMixers => _featureMixers;
    internal IReadOnlyList<LayerNorm> Norms => _norms;

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor policyLatent, Tensor valueLatent)
    {
        MixModules.RequireLatents(nameof(MixerMix), Width, policyLatent, valueLatent);
        var x = MixModules.AsChannels(policyLatent, valueLatent); // [B, 2, H]
        for (int i = 0; i < Blocks; i++)
        {
            // Linear acts on the last axis, so the channel mixing runs on the transposed [B, H, 2].
            x = _channelMixers[i].Forward(x.Transpose(1, 2)).Relu().Transpose(1, 2);
            x = _norms[i].Forward(_featureMixers[i].Forward(x).Relu());
        }
        return (MixModules.Channel(x, 0), MixModules.Channel(x, 1));
    }
}

/// <summary>
/// The convolutional mix: the latents are two channels [B, 2, H]; each block is Conv1d(2 → 2, kernel k, zero
/// padding k/2), the activation, BatchNorm1d(2). Each output channel has its own kernel over both input channels
/// (the paper's "two independent kernels"). Channel 0 is the policy's output, channel 1 the value's.
/// </summary>
internal sealed class ConvMix : MixModule
{
    private readonly Conv1d[] _convolutions;
    private readonly BatchNorm1d[] _norms;
    private readonly Activation _activation;

    /// <summary>Creates <paramref name="blocks"/> blocks with odd kernel width <paramref name="kernelSize"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the kernel width is even (the output would not keep the width H).</exception>
    public ConvMix(int width, int blocks, int kernelSize, RandomGenerator rng, Activation activation, LayerInit init) : base(width)
    {
        if (kernelSize <= 0 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "ConvMix: kernelSize must be odd and positive so that padding k/2 keeps the width.");
        _activation = activation;
        _convolutions = new Conv1d[blocks];
        _norms = new BatchNorm1d[blocks];
        for (int i = 0; i < blocks; i++)
        {
            _convolutions[i] = RegisterModule($"conv{i}", new Conv1d(2, 2, kernelSize, rng, padding: kernelSize / 2, weightInit: init.Weight, biasInit: init.Bias));
            _norms[i] = RegisterModule($"norm{i}", new BatchNorm1d(2));
        }
    }

    /// <summary>The number of blocks.</summary>
    public int Blocks => _norms.Length;

    internal IReadOnlyList<Conv1d> Convolutions => _convolutions;
    internal IReadOnlyList<BatchNorm1d> Norms => _norms;
    internal Activation Activation => _activation;

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor policyLatent, Tensor valueLatent)
    {
        MixModules.RequireLatents(nameof(ConvMix), Width, policyLatent, valueLatent);
        var x = MixModules.AsChannels(policyLatent, valueLatent); // [B, 2, H]
        for (int i = 0; i < Blocks; i++)
            x = _norms[i].Forward(_activation.Apply(_convolutions[i].Forward(x)));
        return (MixModules.Channel(x, 0), MixModules.Channel(x, 1));
    }
}

/// <summary>
/// The cross-attention mix: x̂_π attends over x_π's features with the query from x_v, and x̂_v over x_v's with the
/// query from x_π (seed 000 §4.1), one <see cref="FeatureAttention"/> per side.
/// </summary>
/// <remarks>The reference code passes the other side's latent as the key instead; RLKit follows the paper's text.</remarks>
internal sealed class CrossAttentionMix : MixModule
{
    private readonly FeatureAttention _policy;
    private readonly FeatureAttention _value;

    /// <summary>Creates the two attention modules.</summary>
    public CrossAttentionMix(int width, RandomGenerator rng, LayerInit init) : base(width)
    {
        _policy = RegisterModule("policy", new FeatureAttention(width, rng, init));
        _value = RegisterModule("value", new FeatureAttention(width, rng, init));
    }

    internal FeatureAttention PolicyAttention => _policy;
    internal FeatureAttention ValueAttention => _value;

    /// <inheritdoc/>
    public override (Tensor Policy, Tensor Value) Forward(Tensor policyLatent, Tensor valueLatent)
    {
        MixModules.RequireLatents(nameof(CrossAttentionMix), Width, policyLatent, valueLatent);
        return (_policy.Forward(queryInput: valueLatent, keyValueInput: policyLatent),
                _value.Forward(queryInput: policyLatent, keyValueInput: valueLatent));
    }
}

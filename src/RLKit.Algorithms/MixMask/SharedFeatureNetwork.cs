using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Algorithms.MixMask;

/// <summary>
/// The Mix &amp; Mask actor-critic network (seed 000) and its baselines, as <see cref="SharedFeatureOptions"/> describe
/// them: separated trunks or a shared backbone, optionally a mask that decouples the backbone's latent, optionally a
/// mix that couples the two sides' latents, then a policy head and a value head.
/// </summary>
/// <remarks>
/// <para>
/// Gradient routing follows the paper. In the heads' pass each side's mix input detaches the other side's latent, so
/// the policy loss never reaches the critic's trunk nor the value loss the actor's. The penalties (<see cref="Penalties"/>)
/// run the mechanisms on detached inputs, so their gradients reach only the mix and mask parameters (eqs. 6 and 12);
/// an auxiliary mechanism is the exception, by design: its penalty shapes the layers before it (§4.3).
/// </para>
/// <para>
/// Gaussian mechanisms feed the heads a reparameterised sample in training mode and their mean in evaluation mode;
/// batch-normalised mechanisms (the Conv mix) use batch statistics in training mode, as usual.
/// </para>
/// </remarks>
public sealed class SharedFeatureNetwork : ActorCriticModel
{
    private readonly Activation _activation;
    private readonly Linear? _backbone;
    private readonly Mlp? _actorTrunk;
    private readonly Mlp? _criticTrunk;
    private readonly MaskModule? _mask;
    private readonly GaussianFeatures? _maskPolicyNoise;
    private readonly GaussianFeatures? _maskValueNoise;
    private readonly LayerNorm? _maskPolicyNorm;
    private readonly LayerNorm? _maskValueNorm;
    private readonly Linear? _actorExtra;
    private readonly Linear? _criticExtra;
    private readonly Linear? _actorBridge;
    private readonly Linear? _criticBridge;
    private readonly MixModule? _mix;
    private readonly GaussianFeatures? _mixPolicyNoise;
    private readonly GaussianFeatures? _mixValueNoise;
    private readonly LayerNorm? _mixPolicyNorm;
    private readonly LayerNorm? _mixValueNorm;
    private readonly Linear? _actorHidden;
    private readonly Linear? _criticHidden;
    private readonly Linear _valueOutput;
    private readonly Tensor? _contrastiveWeight;
    private readonly MixModule? _mixMomentum;
    private readonly MaskModule? _maskMomentum;
    // (momentum copy, mechanism) parameter pairs in matching order, for the soft update after every step.
    private readonly (Tensor[] Copy, Tensor[] Source)[] _momentumPairs = [];
    private readonly RandomGenerator _noiseRng;

    /// <summary>Builds the network for <paramref name="observationSize"/> inputs.</summary>
    /// <param name="observationSize">The flattened observation size.</param>
    /// <param name="headFactory">Builds the policy head for a latent width.</param>
    /// <param name="rng">Drives every initialiser and the Gaussian features' noise.</param>
    /// <param name="options">The architecture; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="observationSize"/> is below 1 or an option is invalid.</exception>
    public SharedFeatureNetwork(int observationSize, Func<int, RandomGenerator, PolicyHead> headFactory, RandomGenerator rng, SharedFeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(headFactory);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(options);
        if (observationSize < 1)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "SharedFeatureNetwork: observationSize must be at least 1.");
        options.Validate();
        Options = options;
        ObservationSize = observationSize;
        int width = options.HiddenSize;
        _activation = options.HiddenActivation();
        var init = options.PaperInitialization ? LayerInit.Paper : LayerInit.Orthogonal;

        // Layout: a mask (with or without a mix) or an explicit shared backbone share the first layer; otherwise two trunks.
        bool backboneLayout = options.Mask is not null || options.SharedBackbone;
        if (backboneLayout)
        {
            _backbone = RegisterModule("backbone", init.Linear(observationSize, width, rng));
        }
        else
        {
            _actorTrunk = RegisterModule("actor", Trunk(observationSize, width, rng, init));
            _criticTrunk = RegisterModule("critic", Trunk(observationSize, width, rng, init));
        }

        // The reference mix-and-mask normalises the mask's and the mix's outputs; its base mix and mask do not.
        bool normalise = options.Mix is not null && options.Mask is not null && options.MixAndMaskLayerNorm;
        int latent = width;
        if (options.DepthMatched)
        {
            _actorExtra = RegisterModule("actor_extra", init.Linear(2 * width, width, rng));
            _criticExtra = RegisterModule("critic_extra", init.Linear(2 * width, width, rng));
        }
        if (options.Mask is { } mask)
        {
            _mask = RegisterModule("mask", MaskModules.Create(mask, width, rng, _activation, init));
            (_maskPolicyNoise, _maskValueNoise) = Noise("mask", mask, width, rng, init);
            if (normalise) (_maskPolicyNorm, _maskValueNorm) = (RegisterModule("mask_policy_norm", new LayerNorm(width)), RegisterModule("mask_value_norm", new LayerNorm(width)));
            latent = HeadWidth(mask, width);
        }
        if (options.Mix is { } mix)
        {
            if (backboneLayout)
            {
                // Mix-and-mask: each side gets its own layer between the mask and the mix (the reference code's Linear(128)).
                _actorBridge = RegisterModule("actor_bridge", init.Linear(latent, width, rng));
                _criticBridge = RegisterModule("critic_bridge", init.Linear(latent, width, rng));
            }
            _mix = RegisterModule("mix", MixModules.Create(mix, width, rng, _activation, init));
            (_mixPolicyNoise, _mixValueNoise) = Noise("mix", mix, width, rng, init);
            if (normalise) (_mixPolicyNorm, _mixValueNorm) = (RegisterModule("mix_policy_norm", new LayerNorm(width)), RegisterModule("mix_value_norm", new LayerNorm(width)));
            latent = HeadWidth(mix, width);
        }

        // Heads: linear after trunks or a mix (the reference's mix networks), Linear–act–Linear after a backbone or mask.
        bool hiddenHeads = backboneLayout && options.Mix is null;
        if (hiddenHeads)
        {
            _actorHidden = RegisterModule("actor_head", init.Linear(latent, width, rng));
            _criticHidden = RegisterModule("critic_head", init.Linear(latent, width, rng));
        }
        int headInput = hiddenHeads ? width : latent;
        Head = RegisterModule("policy", headFactory(headInput, rng));
        if (Head.LatentSize != headInput)
            throw new ArgumentException($"SharedFeatureNetwork: the head reads latents of width {Head.LatentSize} but the network produces {headInput}.", nameof(headFactory));
        _valueOutput = RegisterModule("value", new Linear(headInput, 1, rng, bias: true, Initializer.Orthogonal(1f), Initializer.Zeros));

        if (options.PaperInitialization) ApplyPaperInitialization(this, rng);

        if (options.Contrastive is not null)
        {
            // The reference code draws W from U[0, 1).
            _contrastiveWeight = RegisterParameter("contrastive_w", Tensor.RandomUniform(rng, [width, width], 0f, 1f));
            // Momentum copies are training state, not part of the model: they stay outside the parameter tree.
            if (options.Mix is { } mixCopy) { _mixMomentum = MixModules.Create(mixCopy, width, rng, _activation, init); _mixMomentum.CopyFrom(_mix!); }
            if (options.Mask is { } maskCopy) { _maskMomentum = MaskModules.Create(maskCopy, width, rng, _activation, init); _maskMomentum.CopyFrom(_mask!); }
            _momentumPairs = new (Module? Copy, Module? Source)[] { (_mixMomentum, _mix), (_maskMomentum, _mask) }
                .Where(pair => pair.Copy is not null)
                .Select(pair => (pair.Copy!.Parameters().ToArray(), pair.Source!.Parameters().ToArray()))
                .ToArray();
        }
        _noiseRng = rng.Split();
    }

    /// <summary>The architecture this network was built from.</summary>
    public SharedFeatureOptions Options { get; }

    /// <inheritdoc/>
    public override int ObservationSize { get; }

    /// <inheritdoc/>
    public override PolicyHead Head { get; }

    /// <inheritdoc/>
    public override IActionDistribution Policy(Tensor observations, ReadOnlySpan<bool> actionMask = default) => Forward(observations, actionMask).Policy;

    /// <inheritdoc/>
    public override Tensor Value(Tensor observations) => Forward(observations).Value;

    /// <inheritdoc/>
    public override (IActionDistribution Policy, Tensor Value) Forward(Tensor observations, ReadOnlySpan<bool> actionMask = default)
    {
        var x = Flat(observations, nameof(SharedFeatureNetwork));
        var (policyLatent, valueLatent) = Latents(x);
        if (_actorHidden is not null)
        {
            policyLatent = _activation.Apply(_actorHidden.Forward(policyLatent));
            valueLatent = _activation.Apply(_criticHidden!.Forward(valueLatent));
        }
        return (Head.Distribution(policyLatent, actionMask), _valueOutput.Forward(valueLatent).Reshape(x.Dim(0)));
    }

    // The parts in acting order, for exporters (RLKit.Onnx); null where the layout has none.
    internal Activation HiddenActivation => _activation;
    internal Linear? Backbone => _backbone;
    internal Mlp? ActorTrunk => _actorTrunk;
    internal Mlp? CriticTrunk => _criticTrunk;
    internal MaskModule? MaskModule => _mask;
    internal (LayerNorm Policy, LayerNorm Value)? MaskNorms => _maskPolicyNorm is null ? null : (_maskPolicyNorm, _maskValueNorm!);
    internal Linear? ActorExtra => _actorExtra;
    internal Linear? CriticExtra => _criticExtra;
    internal Linear? ActorBridge => _actorBridge;
    internal Linear? CriticBridge => _criticBridge;
    internal MixModule? MixModule => _mix;
    internal (LayerNorm Policy, LayerNorm Value)? MixNorms => _mixPolicyNorm is null ? null : (_mixPolicyNorm, _mixValueNorm!);
    internal Linear? ActorHidden => _actorHidden;
    internal Linear? CriticHidden => _criticHidden;
    internal Linear ValueOutput => _valueOutput;

    /// <summary>
    /// The parameters that generate features both heads read: the shared backbone, the mask and the mix. These are
    /// the parameters PCGrad projects (eq. 14). Empty for separated networks.
    /// </summary>
    public IReadOnlyList<Tensor> SharedFeatureParameters()
    {
        var shared = new List<Tensor>();
        if (_backbone is not null) shared.AddRange(_backbone.Parameters());
        if (_mask is not null) shared.AddRange(_mask.Parameters());
        if (_mix is not null) shared.AddRange(_mix.Parameters());
        foreach (var norm in new[] { _maskPolicyNorm, _maskValueNorm, _mixPolicyNorm, _mixValueNorm })
            if (norm is not null) shared.AddRange(norm.Parameters());
        if (_maskPolicyNoise is not null) { shared.AddRange(_maskPolicyNoise.Parameters()); shared.AddRange(_maskValueNoise!.Parameters()); }
        if (_mixPolicyNoise is not null) { shared.AddRange(_mixPolicyNoise.Parameters()); shared.AddRange(_mixValueNoise!.Parameters()); }
        return shared;
    }

    /// <summary>
    /// The mechanisms' training signal on a batch of observations: for each of mix and mask, either its penalty's
    /// measure (mean over the batch of 1 − cosine, or of the divergence between the two sides' Gaussians) or, with
    /// contrastive learning, its contrastive loss. The caller weights and signs them (see <see cref="SharedFeatureObjective"/>).
    /// </summary>
    internal (Tensor? Mix, Tensor? Mask) Penalties(Tensor observations)
    {
        var x = Flat(observations, nameof(SharedFeatureNetwork));
        Tensor? maskTerm = null, mixTerm = null;
        var (policy, value) = FirstLatents(x);
        if (_mask is not null)
        {
            var shared = Options.Mask!.Auxiliary ? policy : policy.Detach();
            var (maskPolicy, maskValue) = RunMask(_mask, shared);
            maskTerm = Options.Contrastive is null
                ? Measure(maskPolicy, maskValue, Options.Mask.Similarity)
                : MaskContrastive(maskPolicy.Features, maskValue.Features, shared);
            (policy, value) = Join(Options.Mask, maskPolicy.Features, maskValue.Features, shared, shared);
        }
        if (_mix is not null)
        {
            (policy, value) = Bridge(policy, value);
            if (!Options.Mix!.Auxiliary) (policy, value) = (policy.Detach(), value.Detach());
            var (mixPolicy, mixValue) = RunMix(_mix, policy, value);
            mixTerm = Options.Contrastive is null
                ? Measure(mixPolicy, mixValue, Options.Mix.Similarity)
                : MixContrastive(mixPolicy.Features, mixValue.Features, policy, value);
        }
        return (mixTerm, maskTerm);
    }

    /// <summary>Moves the contrastive momentum copies towards the mechanisms: φ' ← m·φ + (1 − m)·φ'.</summary>
    internal void UpdateMomentumCopies()
    {
        if (Options.Contrastive is not { } contrastive) return;
        foreach (var (copy, source) in _momentumPairs) Polyak.SoftUpdate(copy, source, contrastive.Momentum);
    }

    /// <summary>Resets the momentum copies to the mechanisms (after loading weights, before training resumes).</summary>
    internal void ResetMomentumCopies()
    {
        _mixMomentum?.CopyFrom(_mix!);
        _maskMomentum?.CopyFrom(_mask!);
    }

    // The heads' inputs: the latents after the backbone or trunks, the mask, the bridges and the mix.
    private (Tensor Policy, Tensor Value) Latents(Tensor x)
    {
        var (policy, value) = FirstLatents(x);
        if (_actorExtra is not null)
        {
            // The mix's input with the other side's latent replaced by this side's own (detached, as the mix detaches it).
            policy = _activation.Apply(_actorExtra.Forward(Tensor.Concat([policy, policy.Detach()], 1)));
            value = _activation.Apply(_criticExtra!.Forward(Tensor.Concat([value, value.Detach()], 1)));
        }
        if (_mask is not null)
        {
            var (maskPolicy, maskValue) = RunMask(_mask, policy);
            (policy, value) = Join(Options.Mask!, maskPolicy.Features, maskValue.Features, policy, value);
        }
        if (_mix is not null)
        {
            (policy, value) = Bridge(policy, value);
            // Each side's output keeps its own input's gradient and detaches the other's: φ_π and φ_v stay disjoint.
            // Without gradients (acting, evaluation) the detaching changes nothing, so one pass serves both sides.
            var (fromPolicy, fromValue) = GradMode.IsEnabled
                ? (RunMix(_mix, policy, value.Detach()).Policy, RunMix(_mix, policy.Detach(), value).Value)
                : RunMix(_mix, policy, value);
            (policy, value) = Join(Options.Mix!, fromPolicy.Features, fromValue.Features, policy, value);
        }
        return (policy, value);
    }

    private (Tensor Policy, Tensor Value) FirstLatents(Tensor x)
    {
        if (_backbone is not null)
        {
            var shared = _activation.Apply(_backbone.Forward(x));
            return (shared, shared);
        }
        return (_actorTrunk!.Forward(x), _criticTrunk!.Forward(x));
    }

    // Mix-and-mask: each side's layer between the mask and the mix; the identity in the other layouts.
    private (Tensor Policy, Tensor Value) Bridge(Tensor policy, Tensor value) => _actorBridge is null
        ? (policy, value)
        : (_activation.Apply(_actorBridge.Forward(policy)), _activation.Apply(_criticBridge!.Forward(value)));

    private (MechanismOutput Policy, MechanismOutput Value) RunMask(MaskModule mask, Tensor shared)
    {
        var (policy, value) = mask.Forward(shared);
        (policy, value) = Normalise(_maskPolicyNorm, _maskValueNorm, policy, value);
        return (Output(_maskPolicyNoise, policy, shared), Output(_maskValueNoise, value, shared));
    }

    private (MechanismOutput Policy, MechanismOutput Value) RunMix(MixModule mix, Tensor policyLatent, Tensor valueLatent)
    {
        var (policy, value) = mix.Forward(policyLatent, valueLatent);
        (policy, value) = Normalise(_mixPolicyNorm, _mixValueNorm, policy, value);
        return (Output(_mixPolicyNoise, policy, policyLatent), Output(_mixValueNoise, value, valueLatent));
    }

    private static (Tensor Policy, Tensor Value) Normalise(LayerNorm? policyNorm, LayerNorm? valueNorm, Tensor policy, Tensor value) =>
        policyNorm is null ? (policy, value) : (policyNorm.Forward(policy), valueNorm!.Forward(value));

    // A deterministic output is its own feature; a Gaussian one is sampled in training mode and its mean otherwise.
    private MechanismOutput Output(GaussianFeatures? noise, Tensor mean, Tensor input)
    {
        if (noise is null) return new MechanismOutput(mean, null);
        var distribution = noise.Forward(mean, input);
        return new MechanismOutput(distribution.Sample(IsTraining ? _noiseRng : null), distribution);
    }

    // The heads read the mechanism's output, joined with the latent it replaces by the skip connection; an auxiliary
    // mechanism's output is not read at all.
    private static (Tensor Policy, Tensor Value) Join(FeatureMechanismOptions options, Tensor policyOut, Tensor valueOut, Tensor policyIn, Tensor valueIn)
    {
        if (options.Auxiliary) return (policyIn, valueIn);
        return options.Skip switch
        {
            SkipConnection.Residual => (policyOut + policyIn, valueOut + valueIn),
            SkipConnection.Dense => (Tensor.Concat([policyOut, policyIn], 1), Tensor.Concat([valueOut, valueIn], 1)),
            _ => (policyOut, valueOut),
        };
    }

    // Mean over the batch of the distance between the sides: 1 − cosine for points, the divergence for Gaussians.
    private static Tensor Measure(MechanismOutput policy, MechanismOutput value, Similarity similarity) =>
        similarity == Similarity.Cosine
            ? (Functional.CosineSimilarity(policy.Features, value.Features) * -1f + 1f).Mean()
            : policy.Distribution!.Divergence(value.Distribution!, similarity).Mean();

    // Mix (eq. 13, reference code): each side's anchor should pick out the OTHER side's momentum output in the batch.
    private Tensor MixContrastive(Tensor policyAnchor, Tensor valueAnchor, Tensor policyInput, Tensor valueInput)
    {
        Tensor policyKey, valueKey;
        using (GradMode.NoGrad())
        {
            (policyKey, valueKey) = _mixMomentum!.Forward(policyInput.Detach(), valueInput.Detach());
            (policyKey, valueKey) = Normalise(_mixPolicyNorm, _mixValueNorm, policyKey, valueKey);
        }
        return ContrastiveLoss(policyAnchor, valueKey) + ContrastiveLoss(valueAnchor, policyKey);
    }

    // Mask: the opposite — each side's anchor should pick out its OWN side's momentum output.
    private Tensor MaskContrastive(Tensor policyAnchor, Tensor valueAnchor, Tensor sharedInput)
    {
        Tensor policyKey, valueKey;
        using (GradMode.NoGrad())
        {
            (policyKey, valueKey) = _maskMomentum!.Forward(sharedInput.Detach());
            (policyKey, valueKey) = Normalise(_maskPolicyNorm, _maskValueNorm, policyKey, valueKey);
        }
        return ContrastiveLoss(policyAnchor, policyKey) + ContrastiveLoss(valueAnchor, valueKey);
    }

    // Cross-entropy over logits q·W·kᵀ [B, B] with the positive on the diagonal (log-softmax subtracts the row max).
    private Tensor ContrastiveLoss(Tensor anchors, Tensor keys)
    {
        var logits = Tensor.MatMul(Tensor.MatMul(anchors, _contrastiveWeight!), keys, transposeB: true);
        var diagonal = new int[anchors.Dim(0)];
        for (int i = 0; i < diagonal.Length; i++) diagonal[i] = i;
        return Functional.CrossEntropy(logits, diagonal) * Options.Contrastive!.Weight;
    }

    private (GaussianFeatures? Policy, GaussianFeatures? Value) Noise(string name, FeatureMechanismOptions options, int width, RandomGenerator rng, LayerInit init)
    {
        if (options.Distribution == FeatureDistribution.Deterministic) return (null, null);
        return (RegisterModule(name + "_policy_noise", new GaussianFeatures(options.Distribution, options.StateDependentCovariance, width, rng, init, _activation)),
                RegisterModule(name + "_value_noise", new GaussianFeatures(options.Distribution, options.StateDependentCovariance, width, rng, init, _activation)));
    }

    private static int HeadWidth(FeatureMechanismOptions options, int width) =>
        options.Skip == SkipConnection.Dense && !options.Auxiliary ? 2 * width : width;

    private Mlp Trunk(int observationSize, int width, RandomGenerator rng, LayerInit init) =>
        new([observationSize, width, width], rng, _activation, outputActivation: _activation, weightInit: init.Weight, biasInit: init.Bias);

    // The reference code's init_weights, applied to every linear layer (heads included): N(0, 0.1) weights, 0.1 biases.
    private static void ApplyPaperInitialization(Module module, RandomGenerator rng)
    {
        if (module is Linear linear)
        {
            LayerInit.Paper.Weight.Apply(linear.Weight, rng);
            if (linear.Bias is not null) LayerInit.Paper.Bias.Apply(linear.Bias, rng);
        }
        foreach (var child in module.Children()) ApplyPaperInitialization(child, rng);
    }

    private readonly record struct MechanismOutput(Tensor Features, FeatureDistributionValue? Distribution);
}

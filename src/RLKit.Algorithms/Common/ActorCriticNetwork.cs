using System.Runtime.CompilerServices;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The actor-critic network PPO and A2C share: an MLP trunk (separate for actor and critic, or shared), a
/// <see cref="PolicyHead"/> for the actor and a linear value output. Initialisation follows CleanRL: orthogonal
/// weights with gain √2 in the hidden layers, 0.01 for the policy output (set by the head), 1 for the value output,
/// zero biases.
/// </summary>
public sealed class ActorCriticNetwork : ActorCriticModel
{
    private readonly Mlp _actorTrunk;
    private readonly Mlp? _criticTrunk;
    private readonly Linear _value;

    /// <summary>
    /// Builds the network for <paramref name="observationSize"/> inputs. <paramref name="headFactory"/> receives the
    /// latent width (the last hidden size) and the generator, and returns the policy head.
    /// </summary>
    /// <param name="observationSize">The flattened observation size.</param>
    /// <param name="headFactory">Builds the policy head for the trunk's latent width.</param>
    /// <param name="rng">Drives every initialiser.</param>
    /// <param name="hiddenSizes">Hidden widths; [64, 64] (CleanRL / SB3) when null.</param>
    /// <param name="sharedTrunk">One trunk feeds both heads (fewer parameters; the losses compete) instead of two.</param>
    /// <param name="activation">The hidden activation; tanh (CleanRL / SB3 on-policy default) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    /// <exception cref="ArgumentException">If the head's latent size differs from the last hidden width.</exception>
    public ActorCriticNetwork(int observationSize, Func<int, RandomGenerator, PolicyHead> headFactory, RandomGenerator rng,
                       IReadOnlyList<int>? hiddenSizes = null, bool sharedTrunk = false, Activation? activation = null)
    {
        ArgumentNullException.ThrowIfNull(headFactory);
        ArgumentNullException.ThrowIfNull(rng);
        if (observationSize < 1)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "ActorCritic: observationSize must be at least 1.");
        int[] hidden = hiddenSizes?.ToArray() ?? [64, 64];
        if (hidden.Length == 0 || hidden.Any(h => h < 1))
            throw new ArgumentOutOfRangeException(nameof(hiddenSizes), $"[{string.Join(", ", hidden)}]", "ActorCritic: hiddenSizes needs at least one width, each at least 1.");
        var act = activation ?? Activation.Tanh;
        int[] sizes = [observationSize, .. hidden];
        ObservationSize = observationSize;
        SharedTrunk = sharedTrunk;
        LatentSize = hidden[^1];

        _actorTrunk = RegisterModule(sharedTrunk ? "trunk" : "actor", Trunk(sizes, rng, act));
        if (!sharedTrunk) _criticTrunk = RegisterModule("critic", Trunk(sizes, rng, act));
        Head = RegisterModule("policy", headFactory(LatentSize, rng));
        if (Head.LatentSize != LatentSize)
            throw new ArgumentException($"ActorCritic: the head reads latents of width {Head.LatentSize} but the trunk produces {LatentSize}.", nameof(headFactory));
        _value = RegisterModule("value", new Linear(LatentSize, 1, rng, bias: true, Initializer.Orthogonal(1f), Initializer.Zeros));
    }

    /// <inheritdoc/>
    public override int ObservationSize { get; }

    /// <summary>The trunk's output width.</summary>
    public int LatentSize { get; }

    /// <summary>Whether actor and critic share one trunk.</summary>
    public bool SharedTrunk { get; }

    /// <inheritdoc/>
    public override PolicyHead Head { get; }

    /// <inheritdoc/>
    public override IActionDistribution Policy(Tensor observations, ReadOnlySpan<bool> actionMask = default) =>
        Head.Distribution(_actorTrunk.Forward(Flat(observations)), actionMask);

    /// <inheritdoc/>
    public override Tensor Value(Tensor observations)
    {
        var x = Flat(observations);
        return _value.Forward((_criticTrunk ?? _actorTrunk).Forward(x)).Reshape(x.Dim(0));
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Optimized)]
    public override (IActionDistribution Policy, Tensor Value) Forward(Tensor observations, ReadOnlySpan<bool> actionMask = default)
    {
        var x = Flat(observations);
        var actorLatent = _actorTrunk.Forward(x);
        var criticLatent = _criticTrunk is null ? actorLatent : _criticTrunk.Forward(x);
        return (Head.Distribution(actorLatent, actionMask), _value.Forward(criticLatent).Reshape(x.Dim(0)));
    }

    /// <summary>The actor's trunk (the shared trunk when <see cref="SharedTrunk"/>), for exporters.</summary>
    internal Mlp ActorTrunk => _actorTrunk;

    /// <summary>The critic's trunk, or null when the trunk is shared.</summary>
    internal Mlp? CriticTrunk => _criticTrunk;

    /// <summary>The value output Linear(latent, 1).</summary>
    internal Linear ValueOutput => _value;

    private Tensor Flat(Tensor observations) => Flat(observations, "ActorCritic");

    // Hidden layers only, each followed by the activation; CleanRL's layer_init(std=√2, bias 0).
    private static Mlp Trunk(int[] sizes, RandomGenerator rng, Activation activation) =>
        new(sizes, rng, activation, outputActivation: activation, weightInit: Initializer.Orthogonal(MathF.Sqrt(2f)), biasInit: Initializer.Zeros);
}

using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// A diagonal Gaussian head with a state-independent log-std parameter (PPO / A2C style, as CleanRL's
/// <c>actor_logstd</c>): a linear layer gives the mean, one learned log-std per action dimension is shared by all states.
/// </summary>
public sealed class DiagGaussianHead : PolicyHead
{
    private readonly Linear _mean;
    private readonly Tensor _logStd;

    /// <summary>Creates the head; the mean layer is orthogonal with <paramref name="gain"/>, the log-std starts at <paramref name="initialLogStd"/>.</summary>
    public DiagGaussianHead(int latentSize, int actionSize, RandomGenerator rng, float gain = 0.01f, float initialLogStd = 0f)
        : base(latentSize, actionSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _mean = RegisterModule("mean", OutputLayer(latentSize, actionSize, rng, gain));
        _logStd = RegisterParameter("log_std", Tensor.Full(initialLogStd, 1, actionSize));
    }

    /// <summary>The mean layer Linear(latent, actions).</summary>
    internal Linear MeanLayer => _mean;

    /// <summary>The learned log standard deviation, [1, ActionSize].</summary>
    public Tensor LogStd => _logStd;

    /// <inheritdoc/>
    public override bool IsDiscrete => false;

    /// <inheritdoc/>
    public override IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default)
    {
        CheckLatent(latent);
        RejectMask(actionMask);
        return new DiagGaussianDistribution(_mean.Forward(latent), _logStd);
    }
}

/// <summary>
/// A tanh-squashed Gaussian head with state-dependent mean and log-std (SAC style): actions lie in [−1, 1], the log-std
/// is clamped to [<see cref="MinLogStd"/>, <see cref="MaxLogStd"/>] as in SB3.
/// </summary>
public sealed class TanhGaussianHead : PolicyHead
{
    /// <summary>The smallest log-std (SB3's LOG_STD_MIN).</summary>
    public const float MinLogStd = -20f;

    /// <summary>The largest log-std (SB3's LOG_STD_MAX).</summary>
    public const float MaxLogStd = 2f;

    private readonly Linear _mean;
    private readonly Linear _logStd;

    /// <summary>Creates the head; both layers use PyTorch's default initialisation, as SAC implementations do.</summary>
    public TanhGaussianHead(int latentSize, int actionSize, RandomGenerator rng) : base(latentSize, actionSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _mean = RegisterModule("mean", new Linear(latentSize, actionSize, rng));
        _logStd = RegisterModule("log_std", new Linear(latentSize, actionSize, rng));
    }

    /// <inheritdoc/>
    public override bool IsDiscrete => false;

    /// <inheritdoc/>
    public override IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default)
    {
        CheckLatent(latent);
        RejectMask(actionMask);
        return new TanhGaussianDistribution(_mean.Forward(latent), _logStd.Forward(latent).Clamp(MinLogStd, MaxLogStd));
    }
}

/// <summary>
/// A deterministic tanh head (TD3 / DDPG style): the action is tanh(linear(latent)) in [−1, 1]; stochastic acting adds
/// Gaussian exploration noise of std <see cref="ExplorationNoise"/> and clips to [−1, 1].
/// </summary>
public sealed class DeterministicHead : PolicyHead
{
    private readonly Linear _action;

    /// <summary>Creates the head; <paramref name="explorationNoise"/> is TD3's default 0.1 (in units of the [−1, 1] range).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the noise is negative or not finite.</exception>
    public DeterministicHead(int latentSize, int actionSize, RandomGenerator rng, float explorationNoise = 0.1f) : base(latentSize, actionSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(explorationNoise >= 0f && float.IsFinite(explorationNoise)))
            throw new ArgumentOutOfRangeException(nameof(explorationNoise), explorationNoise, "DeterministicHead: explorationNoise must be finite and ≥ 0.");
        ExplorationNoise = explorationNoise;
        _action = RegisterModule("action", new Linear(latentSize, actionSize, rng));
    }

    /// <summary>The std of the Gaussian noise added when sampling.</summary>
    public float ExplorationNoise { get; }

    /// <inheritdoc/>
    public override bool IsDiscrete => false;

    /// <inheritdoc/>
    public override IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default)
    {
        CheckLatent(latent);
        RejectMask(actionMask);
        return new DeterministicDistribution(_action.Forward(latent).Tanh(), ExplorationNoise);
    }
}

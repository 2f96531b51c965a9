using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>The exploration noise a deterministic actor (TD3, DDPG) adds to its actions while collecting data.</summary>
public enum ExplorationNoiseKind
{
    /// <summary>Independent N(0, σ²) per step and dimension (TD3 paper, CleanRL).</summary>
    Gaussian,

    /// <summary>Temporally correlated Ornstein–Uhlenbeck noise (DDPG paper; θ = 0.15, dt = 0.01 as SB3).</summary>
    OrnsteinUhlenbeck,
}

/// <summary>A per-sub-environment noise process, in units of the squashed action range [−1, 1].</summary>
internal interface IActionNoise
{
    /// <summary>Writes the next noise for every sub-environment, [N × action size].</summary>
    void Sample(Span<float> destination);

    /// <summary>Restarts sub-environment <paramref name="index"/>'s process (at an episode boundary).</summary>
    void Reset(int index);

    /// <summary>The process's state, [N × action size], for resuming training; empty for memoryless noise.</summary>
    Span<float> State { get; }
}

/// <summary>Independent Gaussian noise N(0, σ²).</summary>
internal sealed class GaussianActionNoise(float sigma, RandomGenerator rng) : IActionNoise
{
    public void Sample(Span<float> destination) => rng.FillNormal(destination, 0f, sigma);

    public void Reset(int index) { }

    public Span<float> State => [];
}

/// <summary>
/// Ornstein–Uhlenbeck noise x ← x + θ(μ − x)dt + σ√dt·ε (SB3's OrnsteinUhlenbeckActionNoise, μ = 0). Its stationary
/// standard deviation is σ√(dt / (1 − (1 − θdt)²)) ≈ σ/√(2θ), and its lag-one autocorrelation is 1 − θdt.
/// </summary>
internal sealed class OrnsteinUhlenbeckActionNoise : IActionNoise
{
    private readonly float[] _state;
    private readonly int _actionSize;
    private readonly float _sigma;
    private readonly float _theta;
    private readonly float _dt;
    private readonly RandomGenerator _rng;

    public OrnsteinUhlenbeckActionNoise(int count, int actionSize, float sigma, RandomGenerator rng, float theta = 0.15f, float dt = 1e-2f)
    {
        _state = new float[count * actionSize];
        _actionSize = actionSize;
        _sigma = sigma;
        _theta = theta;
        _dt = dt;
        _rng = rng;
    }

    /// <summary>The stationary standard deviation of the discretised process.</summary>
    public double StationaryStd
    {
        get
        {
            double decay = 1 - _theta * _dt;
            return _sigma * Math.Sqrt(_dt / (1 - decay * decay));
        }
    }

    public void Sample(Span<float> destination)
    {
        float diffusion = _sigma * MathF.Sqrt(_dt);
        for (int i = 0; i < _state.Length; i++)
        {
            _state[i] += -_theta * _state[i] * _dt + diffusion * _rng.Normal();
            destination[i] = _state[i];
        }
    }

    public void Reset(int index) => _state.AsSpan(index * _actionSize, _actionSize).Clear();

    public Span<float> State => _state;
}

/// <summary>Creates the noise process an option names.</summary>
internal static class ActionNoise
{
    public static IActionNoise Create(ExplorationNoiseKind kind, int count, int actionSize, float sigma, RandomGenerator rng) => kind switch
    {
        ExplorationNoiseKind.Gaussian => new GaussianActionNoise(sigma, rng),
        ExplorationNoiseKind.OrnsteinUhlenbeck => new OrnsteinUhlenbeckActionNoise(count, actionSize, sigma, rng),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown exploration noise kind."),
    };
}

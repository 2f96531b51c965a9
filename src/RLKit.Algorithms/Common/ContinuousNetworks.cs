using RLKit.Distributions;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The affine map from the squashed range [−1, 1]ᴰ to a bounded <see cref="Box"/>: a = scale·y + bias with
/// scale = (high − low)/2 and bias = (high + low)/2 (CleanRL's action_scale / action_bias).
/// </summary>
internal sealed class ActionRescaler
{
    public ActionRescaler(Box space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!space.IsBounded)
            throw new ArgumentException($"Actor-critic algorithms need a bounded Box action space, got {space.Description}.", nameof(space));
        int size = space.FlatSize;
        var scale = new float[size];
        var bias = new float[size];
        for (int i = 0; i < size; i++)
        {
            scale[i] = (space.High[i] - space.Low[i]) / 2f;
            bias[i] = (space.High[i] + space.Low[i]) / 2f;
            LogScaleSum += MathF.Log(scale[i]);
        }
        Space = space;
        Scale = Tensor.FromArray(scale, size);
        // A zero-width coordinate (a constant representation feature) maps to the centre rather than to ∞.
        InverseScale = Tensor.FromArray(scale.Select(x => x > 0f ? 1f / x : 0f).ToArray(), size);
        Bias = Tensor.FromArray(bias, size);
        Low = Tensor.FromArray(space.Low.ToArray(), size);
        High = Tensor.FromArray(space.High.ToArray(), size);
    }

    public Box Space { get; }
    public int Size => Space.FlatSize;
    public Tensor Scale { get; }
    public Tensor Bias { get; }
    public Tensor Low { get; }
    public Tensor High { get; }

    /// <summary>Σ log scaleᵢ: the log-determinant of the rescaling, subtracted from squashed log-probabilities.</summary>
    public float LogScaleSum { get; }

    public Tensor ToEnvironment(Tensor squashed) => squashed * Scale + Bias;

    /// <summary>The inverse of <see cref="ToEnvironment"/>: a point of the box in squashed units.</summary>
    public Tensor ToSquashed(Tensor action) => (action - Bias) * InverseScale;

    private Tensor InverseScale { get; }
}

/// <summary>Q(s, a): an MLP on the concatenated observation and action, one value per row.</summary>
internal sealed class ContinuousQNetwork : Module
{
    private readonly Mlp _mlp;

    public ContinuousQNetwork(int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, RandomGenerator rng)
    {
        ObservationSize = observationSize;
        ActionSize = actionSize;
        HiddenSizes = hiddenSizes;
        _mlp = RegisterModule("mlp", new Mlp([observationSize + actionSize, .. hiddenSizes, 1], rng));
    }

    public int ObservationSize { get; }
    public int ActionSize { get; }
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Q values [B] for observations [B, obs] and actions [B, act].</summary>
    public Tensor Forward(Tensor observations, Tensor actions)
    {
        var q = _mlp.Forward(Tensor.Concat([observations, actions], 1));
        return q.Reshape(q.Dim(0));
    }

    /// <summary>A new network with the same architecture and a copy of the weights (a target network).</summary>
    public ContinuousQNetwork CloneAsTarget(RandomGenerator rng)
    {
        var clone = new ContinuousQNetwork(ObservationSize, ActionSize, HiddenSizes, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

/// <summary>
/// SAC's squashed Gaussian actor (CleanRL's <c>Actor</c>): a ReLU trunk with a mean head and a log-std head; the
/// log-std goes through tanh and is rescaled into [<see cref="LogStdMin"/>, <see cref="LogStdMax"/>] (CleanRL's
/// smooth alternative to clamping, so the log-std head never sees a zero gradient); actions are tanh(u) rescaled to the box.
/// </summary>
internal sealed class TanhGaussianActor : Module
{
    /// <summary>The lower log-std bound (CleanRL: −5).</summary>
    public const float LogStdMin = -5f;

    /// <summary>The upper log-std bound (CleanRL: 2).</summary>
    public const float LogStdMax = 2f;

    private readonly Mlp _trunk;
    private readonly Linear _mean;
    private readonly Linear _logStd;

    public TanhGaussianActor(int observationSize, Box actionSpace, IReadOnlyList<int> hiddenSizes, RandomGenerator rng)
    {
        Rescaler = new ActionRescaler(actionSpace);
        _trunk = RegisterModule("trunk", new Mlp([observationSize, .. hiddenSizes], rng, outputActivation: Activation.ReLU));
        _mean = RegisterModule("mean", new Linear(hiddenSizes[^1], Rescaler.Size, rng));
        _logStd = RegisterModule("log_std", new Linear(hiddenSizes[^1], Rescaler.Size, rng));
    }

    public ActionRescaler Rescaler { get; }

    /// <summary>The ReLU trunk, its output activated.</summary>
    public Mlp Trunk => _trunk;

    /// <summary>The pre-squash mean head.</summary>
    public Linear MeanLayer => _mean;

    /// <summary>The pre-squash mean and the bounded log-std, each [B, act].</summary>
    public (Tensor Mean, Tensor LogStd) Forward(Tensor observations)
    {
        var hidden = _trunk.Forward(observations);
        var squashedLogStd = _logStd.Forward(hidden).Tanh();
        // log σ = min + ½(max − min)(t + 1) for t = tanh(·) in (−1, 1).
        float half = 0.5f * (LogStdMax - LogStdMin);
        return (_mean.Forward(hidden), squashedLogStd.Affine(half, LogStdMin + half));
    }

    /// <summary>
    /// A reparameterised action in the environment's units and its log-probability (CleanRL's get_action):
    /// log π(a) = log N(u; μ, σ) − Σ log(scale·(1 − tanh²u)), with u = μ + σ·<paramref name="noise"/>.
    /// </summary>
    public (Tensor Action, Tensor LogProb) Sample(Tensor observations, Tensor noise)
    {
        var (mean, logStd) = Forward(observations);
        var (squashed, logProb) = new TanhGaussian(mean, logStd).RSampleWithLogProb(noise);
        // The rescaling's Jacobian is constant: it moves log π (and the entropy compared against the target) by Σ log scale.
        return (Rescaler.ToEnvironment(squashed), logProb - Rescaler.LogScaleSum);
    }

    /// <summary>The deterministic action tanh(μ) in the environment's units.</summary>
    public Tensor Deterministic(Tensor observations) => Rescaler.ToEnvironment(Forward(observations).Mean.Tanh());
}

/// <summary>TD3/DDPG's deterministic actor: an MLP with a tanh output, rescaled to the box.</summary>
internal sealed class DeterministicActor : Module
{
    private readonly Mlp _mlp;

    public DeterministicActor(int observationSize, Box actionSpace, IReadOnlyList<int> hiddenSizes, RandomGenerator rng)
    {
        ObservationSize = observationSize;
        HiddenSizes = hiddenSizes;
        Rescaler = new ActionRescaler(actionSpace);
        _mlp = RegisterModule("mlp", new Mlp([observationSize, .. hiddenSizes, Rescaler.Size], rng, outputActivation: Activation.Tanh));
    }

    public int ObservationSize { get; }
    public IReadOnlyList<int> HiddenSizes { get; }
    public ActionRescaler Rescaler { get; }

    /// <summary>The MLP with its tanh output, before rescaling.</summary>
    public Mlp Mlp => _mlp;

    /// <summary>μ(s) in the environment's units, [B, act].</summary>
    public Tensor Forward(Tensor observations) => Rescaler.ToEnvironment(_mlp.Forward(observations));

    /// <summary>A new actor with the same architecture and a copy of the weights (a target network).</summary>
    public DeterministicActor CloneAsTarget(RandomGenerator rng)
    {
        var clone = new DeterministicActor(ObservationSize, Rescaler.Space, HiddenSizes, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

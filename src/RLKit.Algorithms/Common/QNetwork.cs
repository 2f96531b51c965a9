using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// A state-action value network for discrete actions: observations [B, obs] → Q-values [B, actions]. Either a plain
/// MLP, or a dueling network (Wang et al. 2016) whose shared trunk feeds a state-value head V(s) and an advantage head
/// A(s, a), aggregated as Q = V + A − mean_a A.
/// </summary>
public sealed class QNetwork : Layer
{
    private readonly Mlp _trunk;
    private readonly Linear? _valueHead;
    private readonly Linear? _advantageHead;

    /// <summary>Creates the network.</summary>
    /// <param name="observationSize">Floats per observation, ≥ 1.</param>
    /// <param name="actionCount">Number of discrete actions, ≥ 1.</param>
    /// <param name="hiddenSizes">Hidden layer widths (ReLU); a dueling network needs at least one.</param>
    /// <param name="dueling">Use the dueling aggregation.</param>
    /// <param name="rng">Drives the initialisers.</param>
    /// <exception cref="ArgumentException">If a size is not positive, or a dueling network has no hidden layer.</exception>
    public QNetwork(int observationSize, int actionCount, IReadOnlyList<int> hiddenSizes, bool dueling, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(rng);
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "QNetwork: observationSize must be ≥ 1.");
        if (actionCount < 1) throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount, "QNetwork: actionCount must be ≥ 1.");
        if (dueling && hiddenSizes.Count == 0)
            throw new ArgumentException("QNetwork: a dueling network needs at least one hidden layer for its shared trunk.", nameof(hiddenSizes));
        ObservationSize = observationSize;
        ActionCount = actionCount;
        HiddenSizes = hiddenSizes.ToArray();
        IsDueling = dueling;
        if (dueling)
        {
            // The trunk ends in a hidden layer, so its output gets the hidden nonlinearity too.
            _trunk = RegisterModule("trunk", new Mlp([observationSize, .. hiddenSizes], rng, Activation.ReLU, Activation.ReLU));
            _valueHead = RegisterModule("value", new Linear(hiddenSizes[^1], 1, rng));
            _advantageHead = RegisterModule("advantage", new Linear(hiddenSizes[^1], actionCount, rng));
        }
        else
        {
            _trunk = RegisterModule("trunk", new Mlp([observationSize, .. hiddenSizes, actionCount], rng, Activation.ReLU));
        }
    }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Number of discrete actions (the output width).</summary>
    public int ActionCount { get; }

    /// <summary>Hidden layer widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Whether the network uses the dueling aggregation.</summary>
    public bool IsDueling { get; }

    /// <summary>The MLP: the whole network, or the dueling network's shared trunk (its output activated).</summary>
    internal Mlp Trunk => _trunk;

    /// <summary>The dueling network's V(s) head Linear(hidden, 1), or null.</summary>
    internal Linear? ValueHead => _valueHead;

    /// <summary>The dueling network's A(s, a) head Linear(hidden, actions), or null.</summary>
    internal Linear? AdvantageHead => _advantageHead;

    /// <summary>Q-values, [B, obs] → [B, actions].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = _trunk.Forward(input);
        return IsDueling ? DuelingAggregate(_valueHead!.Forward(features), _advantageHead!.Forward(features)) : features;
    }

    /// <summary>
    /// Q = V + A − mean_a A, with value [B, 1] and advantage [B, actions]. Subtracting the mean advantage makes V and A
    /// identifiable (any constant could otherwise move between them) without changing the greedy action.
    /// </summary>
    internal static Tensor DuelingAggregate(Tensor value, Tensor advantage) =>
        value + (advantage - advantage.Mean(1, keepDim: true));

    /// <summary>A new network of the same architecture (fresh weights from <paramref name="rng"/>).</summary>
    internal QNetwork CloneArchitecture(RandomGenerator rng) => new(ObservationSize, ActionCount, HiddenSizes, IsDueling, rng);

    /// <inheritdoc/>
    public override string ToString() =>
        $"QNetwork({ObservationSize} → [{string.Join(", ", HiddenSizes)}] → {ActionCount}{(IsDueling ? ", dueling" : "")})";
}

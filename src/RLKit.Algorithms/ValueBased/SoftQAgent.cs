using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ValueBased;

/// <summary>
/// A trained soft Q-learning policy: stochastic acting samples the Boltzmann policy π(a|s) ∝ exp(β Q(s, a));
/// deterministic acting takes argmax_a Q(s, a).
/// </summary>
public sealed class SoftQAgent : IAgent
{
    private readonly RandomGenerator _fallbackRng;

    internal SoftQAgent(QNetwork qNetwork, Space observationSpace, Space actionSpace, float inverseTemperature, int seed)
    {
        QNetwork = qNetwork;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        InverseTemperature = inverseTemperature;
        _fallbackRng = new RandomGenerator(seed);
    }

    /// <inheritdoc/>
    public string Algorithm => SoftQEstimator.Name;

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The soft Q-network, observations [N, obs] → Q-values [N, actions].</summary>
    public QNetwork QNetwork { get; }

    /// <summary>The inverse temperature β of the Boltzmann policy.</summary>
    public float InverseTemperature { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the observations are not [N, obs] or <paramref name="actions"/> is not N long.</exception>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int count = QAgentGuard.CheckBatch(observations, actions.Length, QNetwork.ObservationSize, Algorithm);
        int actionCount = QNetwork.ActionCount;
        rng ??= _fallbackRng;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var q = QNetwork.Forward(QAgentGuard.Flat(observations, count, QNetwork.ObservationSize)).AsReadOnlySpan();
        for (int i = 0; i < count; i++)
        {
            var row = q.Slice(i * actionCount, actionCount);
            actions[i] = deterministic ? ValueTargets.Argmax(row) : SoftQ.SampleBoltzmann(row, InverseTemperature, rng);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: soft Q-learning acts in a discrete action space.</exception>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException($"sql acts in the discrete space {ActionSpace}; pass a Span<int> for the actions.");
}

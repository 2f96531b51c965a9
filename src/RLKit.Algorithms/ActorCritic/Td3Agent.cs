using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ActorCritic;

/// <summary>
/// A policy trained by <see cref="Td3Estimator"/> (Twin Delayed DDPG): a deterministic tanh actor rescaled to the action box.
/// Deterministic acting returns μ(s); stochastic acting adds Gaussian noise of the training exploration scale, clipped to the box.
/// </summary>
public sealed class Td3Agent : IAgent
{
    private readonly RandomGenerator _fallbackRng;

    internal Td3Agent(Space observationSpace, Box actionSpace, DeterministicNetworks networks, Td3Options options)
    {
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        Networks = networks;
        Options = options;
        _fallbackRng = new RandomGenerator(options.Seed + 7919);
    }

    /// <inheritdoc/>
    public string Algorithm => "td3";

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The options the agent was trained with.</summary>
    public Td3Options Options { get; }

    internal DeterministicNetworks Networks { get; }

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("td3 acts in a continuous (Box) action space; use the Span<float> overload.");

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int actionSize = ActionSpace.FlatSize;
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, actionSize, Algorithm);
        using (TensorScope.Begin())
        using (GradMode.NoGrad())
            Networks.Actor.Forward(AgentActing.Flat(observations)).AsReadOnlySpan().CopyTo(actions);
        if (deterministic) return;
        var box = (Box)ActionSpace;
        var random = rng ?? _fallbackRng;
        var scale = Networks.Actor.Rescaler.Scale.AsReadOnlySpan();
        for (int j = 0; j < actions.Length; j++)
        {
            int d = j % actionSize;
            actions[j] = Math.Clamp(actions[j] + random.Normal(0f, Options.ExplorationNoiseStd) * scale[d], box.Low[d], box.High[d]);
        }
    }
}

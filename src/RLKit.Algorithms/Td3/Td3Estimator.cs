using RLKit.Algorithms.Common;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Td3;

/// <summary>
/// Twin Delayed DDPG for Box actions (see <see cref="Td3Options"/>); the loop lives in <see cref="DeterministicPolicyGradient"/>.
/// Losses reported per update: "critic" and "actor" (the latest actor loss; NaN before the first delayed actor step).
/// </summary>
public sealed class Td3Estimator : OffPolicyEstimator<Td3Options, Td3Agent>
{
    /// <summary>Creates the estimator; the options are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range (the message names it).</exception>
    public Td3Estimator(Td3Options? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new Td3Options(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "td3".</summary>
    public const string Name = "td3";

    /// <inheritdoc/>
    protected override AgentEstimator<Td3Agent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new Td3Estimator(Options, callbacks);

    /// <inheritdoc/>
    protected override Td3Agent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, Td3Agent? initialAgent)
    {
        var actionSpace = environment.SingleActionSpace as Box
            ?? throw new ArgumentException($"td3 needs a Box action space, got {environment.SingleActionSpace.Description}.", nameof(environment));
        var agent = initialAgent ?? Td3Agent.Create(environment.SingleObservationSpace, actionSpace, Options, new RandomGenerator(Options.Seed));
        DeterministicPolicyGradient.Train(environment, monitor, agent, Options, Name);
        return agent;
    }

    /// <inheritdoc/>
    private protected override Td3Agent FitCore(ExperienceFeed feed, TrainingMonitor monitor, Td3Agent? initialAgent) =>
        DeterministicPolicyGradient.Train(feed, monitor, initialAgent, Td3Agent.Create, Options, Name);
}

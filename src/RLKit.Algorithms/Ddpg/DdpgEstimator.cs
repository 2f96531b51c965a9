using RLKit.Algorithms.Common;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Ddpg;

/// <summary>
/// DDPG for Box actions (see <see cref="DdpgOptions"/>); the loop lives in <see cref="DeterministicPolicyGradient"/>.
/// Losses reported per update: "critic" and "actor" (the latest actor loss; NaN before the first delayed actor step).
/// </summary>
public sealed class DdpgEstimator : OffPolicyEstimator<DdpgOptions, DdpgAgent>
{
    /// <summary>Creates the estimator; the options are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range (the message names it).</exception>
    public DdpgEstimator(DdpgOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new DdpgOptions(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "ddpg".</summary>
    public const string Name = "ddpg";

    /// <inheritdoc/>
    protected override AgentEstimator<DdpgAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new DdpgEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override DdpgAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, DdpgAgent? initialAgent)
    {
        var actionSpace = environment.SingleActionSpace as Box
            ?? throw new ArgumentException($"ddpg needs a Box action space, got {environment.SingleActionSpace.Description}.", nameof(environment));
        var agent = initialAgent ?? DdpgAgent.Create(environment.SingleObservationSpace, actionSpace, Options, new RandomGenerator(Options.Seed));
        DeterministicPolicyGradient.Train(environment, monitor, agent, Options, Name);
        return agent;
    }

    /// <inheritdoc/>
    private protected override DdpgAgent FitCore(ExperienceFeed feed, TrainingMonitor monitor, DdpgAgent? initialAgent) =>
        DeterministicPolicyGradient.Train(feed, monitor, initialAgent, DdpgAgent.Create, Options, Name);
}

using RLKit.Algorithms.Common;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// SAVO-TD3 (Successive Actors for Value Optimization; seed 003 ch. 4) and the actor architectures it is compared with
/// (<see cref="SavoOptions.Architecture"/>): TD3's twin critics and delayed updates, with the single actor replaced by
/// an architecture that proposes k candidates, of which the maximizer μ_M(s) = argmax_i Q1(s, a_i) acts and makes the
/// critic's targets. Works on bounded Box actions and, through 1-NN projection, on <see cref="Spaces.ActionSet"/>
/// actions with representations. Usually made from a TD3 estimator: <c>rl.Agents.Td3().WithSuccessiveActors(k: 3)</c>.
/// </summary>
/// <remarks>
/// Losses reported per update: "critic"; "actor" (the summed actor loss, NaN before the first delayed step or for
/// CEM); "surrogate" (the eq. 4.9 fit summed over Ψ̂_1 … Ψ̂_{k−1}, NaN without learned surrogates).
/// </remarks>
public sealed class SavoEstimator : AlgorithmEstimator<SavoOptions, SavoAgent>
{
    /// <summary>Creates the estimator; the options are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range (the message names it).</exception>
    public SavoEstimator(SavoOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new SavoOptions(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "savo".</summary>
    public const string Name = "savo";

    /// <inheritdoc/>
    protected override AgentEstimator<SavoAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new SavoEstimator(Options, callbacks);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// If the action space is neither a bounded one-dimensional Box nor an ActionSet whose actions have representations.
    /// </exception>
    protected override SavoAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, SavoAgent? initialAgent)
    {
        ActionDomain.For(environment.SingleActionSpace, nameof(environment));
        var agent = initialAgent ?? SavoAgent.Create(environment.SingleObservationSpace, environment.SingleActionSpace, Options, new RandomGenerator(Options.Seed));
        SavoTraining.Train(environment, monitor, agent, Options);
        return agent;
    }
}

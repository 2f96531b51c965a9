using RLKit.Algorithms.Td3;
using RLKit.Training;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// Actor architectures selected on a TD3 estimator: <c>rl.Agents.Td3(options).WithSuccessiveActors(k: 3)</c> or
/// <c>.WithActorArchitecture("wolpertinger")</c>. Each returns a <see cref="SavoEstimator"/> (callbacks kept) whose
/// options carry every TD3 setting over (γ, τ, learning rate, buffer, batch, warm-up, noise, networks, policy delay,
/// target noise, seed).
/// </summary>
public static class SavoEstimatorExtensions
{
    /// <summary>
    /// SAVO-TD3 with <paramref name="k"/> successive actor-surrogates, with §4.4.5's change to TD3: no target policy
    /// smoothing. <paramref name="configure"/> changes the result, e.g. for the ablations
    /// (<c>o =&gt; o with { LearnedSurrogates = false }</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="k"/> or another resulting option is out of range (the message names it).</exception>
    public static SavoEstimator WithSuccessiveActors(this Td3Estimator estimator, int k = 3, Func<SavoOptions, SavoOptions>? configure = null) =>
        WithActorArchitecture(estimator, ActorArchitectures.Savo, k, configure);

    /// <summary>
    /// TD3 with the actor architecture named <paramref name="architecture"/> (<see cref="ActorArchitectures"/>) and
    /// <paramref name="k"/> candidates. TD3's settings are kept except where the architecture's method differs
    /// (<see cref="IActorArchitecture.FromTd3"/>): "savo" drops target smoothing (§4.4.5), "greedy-ac" drops it and the
    /// policy delay (Greedy-AC has neither).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If the name is unknown or a resulting option is out of range (the message names it).</exception>
    public static SavoEstimator WithActorArchitecture(this Td3Estimator estimator, string architecture, int k = 3, Func<SavoOptions, SavoOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        var td3 = estimator.Options;
        var options = new SavoOptions
        {
            Architecture = architecture,
            ActorCount = k,
            Gamma = td3.Gamma,
            Tau = td3.Tau,
            LearningRate = td3.LearningRate,
            BufferSize = td3.BufferSize,
            BatchSize = td3.BatchSize,
            LearningStarts = td3.LearningStarts,
            ExplorationNoise = td3.ExplorationNoise,
            ExplorationNoiseStd = td3.ExplorationNoiseStd,
            HiddenSizes = td3.HiddenSizes,
            PolicyDelay = td3.PolicyDelay,
            TargetPolicySmoothing = td3.TargetPolicySmoothing,
            TargetNoiseStd = td3.TargetNoiseStd,
            TargetNoiseClip = td3.TargetNoiseClip,
        };
        if (((ISeedableOptions)td3).IsSeedSet) options = options with { Seed = td3.Seed };
        if (architecture is not null && ActorArchitectures.All.TryGetValue(architecture, out var known)) options = known.FromTd3(options);
        return new SavoEstimator(configure is null ? options : configure(options), estimator.Callbacks);
    }
}

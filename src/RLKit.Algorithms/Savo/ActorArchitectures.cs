using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// An actor architecture for <see cref="SavoEstimator"/>'s TD3 loop: how candidate actions are proposed and how the
/// proposers are trained; the maximizer over the candidates (seed 003 eq. 4.5), the twin critics and the loop are
/// shared. The built-ins are registered as keyed singletons by <c>AddClassicAlgorithms()</c> under their
/// <see cref="Name"/> (<see cref="ActorArchitectures"/>), so a configuration file or command line can name them.
/// </summary>
/// <remarks>The networks an architecture builds are internal to RLKit.Algorithms; new architectures are added there.</remarks>
public interface IActorArchitecture
{
    /// <summary>The name in options, registries and configuration files ("savo", "wolpertinger", …).</summary>
    string Name { get; }

    /// <summary>One line for listings: what the architecture proposes and how it trains.</summary>
    string Description { get; }

    /// <summary>
    /// Whether it proposes k candidates per state (k = <see cref="SavoOptions.ActorCount"/>); false for the architectures
    /// that act with one action whatever k is (TD3's single actor, CEM, Greedy-TD3, Greedy-AC).
    /// </summary>
    bool UsesCandidateCount { get; }

    /// <summary>
    /// The options <c>WithActorArchitecture</c> builds from a TD3 estimator's, with the TD3 settings this architecture's
    /// method changes (SAVO drops target smoothing, §4.4.5; Greedy-AC has neither smoothing nor a policy delay).
    /// </summary>
    internal SavoOptions FromTd3(SavoOptions td3Settings);

    /// <summary>Builds the architecture's networks for an action domain, from the options.</summary>
    internal ActorNetwork Create(ActionDomain domain, int observationSize, SavoOptions options, RandomGenerator rng);
}

/// <summary>The built-in actor architectures of seed 003 §4.6.1 by name.</summary>
public static class ActorArchitectures
{
    /// <summary>"savo": k successive actors and surrogates (§4.4), the default.</summary>
    public const string Savo = "savo";

    /// <summary>"single": TD3's one actor ("1-Actor (TD3)").</summary>
    public const string Single = "single";

    /// <summary>"wolpertinger": one actor widened to k Gaussian samples, or its k nearest discrete actions.</summary>
    public const string Wolpertinger = "wolpertinger";

    /// <summary>"ensemble": k independent actors ("k-Actors (Ensemble)").</summary>
    public const string Ensemble = "ensemble";

    /// <summary>"cem": the cross-entropy method over the action space, no actor network (QT-Opt).</summary>
    public const string Cem = "cem";

    /// <summary>"greedy": Greedy-TD3, TD3's actor moved towards the best of a broad proposal policy's samples (Greedy-AC's update).</summary>
    public const string Greedy = "greedy";

    /// <summary>"greedy-ac": Greedy-AC, a Gaussian actor raising the likelihood of the best of a broad proposal policy's samples (Neumann et al. 2018).</summary>
    public const string GreedyAc = "greedy-ac";

    /// <summary>"joint": one actor with k·D outputs ("SAVO + joint action" ablation).</summary>
    public const string Joint = "joint";

    /// <summary>Every built-in architecture by name.</summary>
    public static IReadOnlyDictionary<string, IActorArchitecture> All { get; } = new Dictionary<string, IActorArchitecture>(StringComparer.Ordinal)
    {
        [Savo] = new Builtin(Savo, "Successive actors ν_i conditioned on a_<i (DeepSet + FiLM), each ascending a learned surrogate Ψ̂_i; argmax-Q maximizer.", usesCandidateCount: true, Td3Changes.NoTargetSmoothing,
            static (domain, obs, o, rng) => new SuccessiveActors(domain,
                new SuccessiveActors.Settings(obs, o.HiddenSizes, o.ActorCount, o.ConditionOnPreviousActions ? o.SummarySize : 0, o.LearnedSurrogates), rng)),
        [Single] = new Builtin(Single, "TD3's single deterministic actor ascending Q.", usesCandidateCount: false, Td3Changes.None,
            static (domain, obs, o, rng) => new SuccessiveActors(domain, new SuccessiveActors.Settings(obs, o.HiddenSizes, 1, 0, false), rng)),
        [Wolpertinger] = new Builtin(Wolpertinger, "One actor; k Gaussian samples around its action (continuous) or its k nearest real actions (discrete); argmax-Q.", usesCandidateCount: true, Td3Changes.None,
            static (domain, obs, o, rng) => new WolpertingerActor(domain, obs, o.HiddenSizes, o.ActorCount, o.SampleStd, rng)),
        [Ensemble] = new Builtin(Ensemble, "k independently initialised TD3 actors evaluated as one ensemble; argmax-Q.", usesCandidateCount: true, Td3Changes.None,
            static (domain, obs, o, rng) => new EnsembleActors(domain, obs, o.HiddenSizes, o.ActorCount, rng)),
        [Cem] = new Builtin(Cem, "Cross-entropy search over the action space scored by Q (no actor network).", usesCandidateCount: false, Td3Changes.None,
            static (domain, obs, o, rng) => new CemActor(domain, o.CemPopulation, o.CemElites, o.CemIterations)),
        [Greedy] = new Builtin(Greedy, "Greedy-TD3: one actor regressed onto the top-ρ of N samples of a high-entropy proposal policy ranked by Q (Greedy-AC's CCEM update).", usesCandidateCount: false, Td3Changes.None,
            static (domain, obs, o, rng) => new GreedyActor(domain, new GreedyActor.Settings(obs, o.HiddenSizes, o.GreedySamples, o.GreedyPercentile, o.GreedyEntropy), rng)),
        [GreedyAc] = new Builtin(GreedyAc, "Greedy-AC: a Gaussian actor that samples to explore, raising the likelihood of the top-ρ of N proposal-policy samples ranked by Q.", usesCandidateCount: false, Td3Changes.NoTargetSmoothing | Td3Changes.NoPolicyDelay,
            static (domain, obs, o, rng) => new GreedyActor(domain, new GreedyActor.Settings(obs, o.HiddenSizes, o.GreedySamples, o.GreedyPercentile, o.GreedyEntropy, StochasticActor: true), rng)),
        [Joint] = new Builtin(Joint, "One actor with k·D outputs split into k candidates, trained on max_i Q(s, a_i).", usesCandidateCount: true, Td3Changes.None,
            static (domain, obs, o, rng) => new JointActor(domain, obs, o.HiddenSizes, o.ActorCount, rng)),
    };

    /// <summary>The built-in names, in the order above.</summary>
    public static IReadOnlyList<string> Names { get; } = [Savo, Single, Wolpertinger, Ensemble, Cem, Greedy, GreedyAc, Joint];

    /// <summary>What an architecture's method changes in the TD3 settings it is built from.</summary>
    [Flags]
    private enum Td3Changes
    {
        None = 0,
        NoTargetSmoothing = 1,
        NoPolicyDelay = 2,
    }

    private sealed class Builtin(string name, string description, bool usesCandidateCount, Td3Changes changes,
                                 Func<ActionDomain, int, SavoOptions, RandomGenerator, ActorNetwork> create) : IActorArchitecture
    {
        public string Name => name;

        public string Description => description;

        public bool UsesCandidateCount => usesCandidateCount;

        SavoOptions IActorArchitecture.FromTd3(SavoOptions td3Settings) => td3Settings with
        {
            TargetPolicySmoothing = td3Settings.TargetPolicySmoothing && !changes.HasFlag(Td3Changes.NoTargetSmoothing),
            PolicyDelay = changes.HasFlag(Td3Changes.NoPolicyDelay) ? 1 : td3Settings.PolicyDelay,
        };

        ActorNetwork IActorArchitecture.Create(ActionDomain domain, int observationSize, SavoOptions options, RandomGenerator rng) =>
            create(domain, observationSize, options, rng);

        public override string ToString() => name;
    }
}

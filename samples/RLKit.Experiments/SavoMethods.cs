using RLKit.Algorithms.Common;
using RLKit.Algorithms.Savo;
using RLKit.Algorithms.Td3;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>
/// The actor architectures of seed 003 Fig. 4.8 (baselines, k = 3) and Fig. 4.7b (SAVO's ablations) by name, all on
/// one TD3 loop (<see cref="SavoEstimator"/>) with the same critic, optimiser, buffer and OU exploration noise, so only
/// the actor differs. "td3" is the single actor and keeps TD3's target smoothing, as do the sampling, ensemble and
/// CEM baselines (<c>WithActorArchitecture</c>'s rule); SAVO and its ablations drop it (§4.4.5), except
/// "savo-smoothing", which is that ablation. "greedy" is Greedy-TD3 (Greedy-AC's proposal-policy update with TD3's
/// exploration and targets), "greedy-ac" Greedy-AC itself (a sampling Gaussian actor, no delay, no smoothing); an architecture the library registers later runs under its own name with TD3's settings.
/// </summary>
internal static class SavoMethods
{
    /// <summary>The baselines' and SAVO's names first, then the ablations (the order of the report's rows).</summary>
    private static readonly string[] Fixed = ["savo", "td3", "wolpertinger", "ensemble", "cem"];

    private static readonly string[] Ablations = ["savo-no-approx", "savo-no-condition", "savo-smoothing", "joint"];

    /// <summary>Library architectures with a method name of their own here (the others run under their registry name).</summary>
    private static readonly string[] Mapped = [ActorArchitectures.Savo, ActorArchitectures.Single, ActorArchitectures.Joint];

    /// <summary>Every method, in report order: SAVO, the baselines (with any newer library architecture), the ablations.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. Fixed, .. ActorArchitectures.Names.Where(n => !Mapped.Contains(n) && !Fixed.Contains(n)), .. Ablations];

    /// <summary>The default methods of a sweep: SAVO and the baselines (the ablations are asked for by name).</summary>
    public static IReadOnlyList<string> Baselines { get; } = Names.Except(Ablations).ToArray();

    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>Whether the method's proposals depend on k (TD3, CEM, Greedy-TD3 and Greedy-AC act with one action whatever k is).</summary>
    public static bool UsesK(string name) => name != "td3" && (!ActorArchitectures.All.TryGetValue(name, out var architecture) || architecture.UsesCandidateCount);

    /// <summary>The k a run of <paramref name="name"/> records (its directory k&lt;k&gt;): 1 for the methods that ignore k.</summary>
    public static int EffectiveK(string name, int k) => UsesK(name) ? k : 1;

    /// <summary>
    /// The TD3 options every method shares: γ 0.99, τ 0.005, lr 3e-4, batch 256 (Table C.1), OU exploration noise σ 0.1
    /// (§4.4.5; C.10 finds OU and Gaussian alike), the environment's networks (or <paramref name="hidden"/>), the buffer
    /// capped at the run's budget.
    /// </summary>
    public static Td3Options Td3Options(SavoEnvironment env, long budget, int learningStarts, IReadOnlyList<int>? hidden, ulong seed) => new()
    {
        Gamma = 0.99f,
        Tau = 5e-3f,
        LearningRate = 3e-4f,
        BatchSize = 256,
        BufferSize = (int)Math.Clamp(budget, 10_000, 500_000),
        LearningStarts = learningStarts,
        ExplorationNoise = ExplorationNoiseKind.OrnsteinUhlenbeck,
        ExplorationNoiseStd = 0.1f,
        HiddenSizes = hidden ?? env.HiddenSizes,
        Seed = seed,
    };

    /// <summary>The estimator of method <paramref name="name"/> with <paramref name="k"/> candidates.</summary>
    /// <exception cref="ArgumentException">If the method is unknown.</exception>
    public static SavoEstimator Build(string name, int k, Td3Options options, IReadOnlyList<ITrainingCallback> callbacks)
    {
        var td3 = new Td3Estimator(options, callbacks);
        return name switch
        {
            "savo" => td3.WithSuccessiveActors(k),
            "td3" => td3.WithActorArchitecture(ActorArchitectures.Single, 1),
            "savo-no-approx" => td3.WithSuccessiveActors(k, o => o with { LearnedSurrogates = false }),
            "savo-no-condition" => td3.WithSuccessiveActors(k, o => o with { ConditionOnPreviousActions = false }),
            "savo-smoothing" => td3.WithSuccessiveActors(k, o => o with { TargetPolicySmoothing = true }),
            "joint" => td3.WithActorArchitecture(ActorArchitectures.Joint, k, o => o with { TargetPolicySmoothing = false }),
            _ when ActorArchitectures.All.ContainsKey(name) => td3.WithActorArchitecture(name, k),
            _ => throw new ArgumentException($"savo: unknown method '{name}' (known: {string.Join(", ", Names)}).", nameof(name)),
        };
    }

    /// <summary>One line for the log and result.json: the architecture and every option that differs between methods.</summary>
    public static string Describe(string name, SavoOptions o, int environments) => FormattableString.Invariant(
        $"{name}: architecture {o.Architecture}, {o.CandidateCountText()}, {(o.Architecture == ActorArchitectures.Savo ? $"surrogates {(o.LearnedSurrogates ? "learned Ψ̂" : "exact Ψ")}, {(o.ConditionOnPreviousActions ? $"DeepSet({o.SummarySize}) + FiLM on a_<i" : "no conditioning on a_<i")}, " : "")}target smoothing {(o.TargetPolicySmoothing ? $"on (σ {o.TargetNoiseStd}, clip {o.TargetNoiseClip})" : "off")}; TD3 γ {o.Gamma}, τ {o.Tau}, lr {o.LearningRate}, batch {o.BatchSize}, buffer {o.BufferSize}, learning starts {o.LearningStarts}, policy delay {o.PolicyDelay}, {o.ExplorationNoise} noise σ {o.ExplorationNoiseStd}, hidden [{string.Join(", ", o.HiddenSizes)}], {environments} env(s), seed {o.Seed}");

    private static string CandidateCountText(this SavoOptions o) => o.Architecture switch
    {
        ActorArchitectures.Single => "1 actor",
        ActorArchitectures.Cem => FormattableString.Invariant($"CEM {o.CemIterations} rounds of {o.CemPopulation} samples, {o.CemElites} elites"),
        ActorArchitectures.GreedyAc => FormattableString.Invariant($"1 Gaussian actor, proposal policy: top {o.GreedyPercentile} of {o.GreedySamples} samples, entropy {o.GreedyEntropy}"),
        ActorArchitectures.Greedy => FormattableString.Invariant($"1 actor, proposal policy: top {o.GreedyPercentile} of {o.GreedySamples} samples, entropy {o.GreedyEntropy}"),
        _ => FormattableString.Invariant($"k = {o.ActorCount}"),
    };
}

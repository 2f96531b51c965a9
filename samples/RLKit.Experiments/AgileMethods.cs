using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Cdqn;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Environments.Vector;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>
/// What one run trains: a description for the log, how each environment copy is wrapped (the Mask-Input-Output
/// baseline sees the availability in its observation; every other method sees the plain state), the number of
/// training copies, and the training call on a vector environment of those copies.
/// </summary>
internal sealed record AgileTraining(string Description, int Environments, Func<IEnvironment, IEnvironment> Wrap,
                                     Func<IVectorEnvironment, Budget, IReadOnlyList<ITrainingCallback>, IAgent> Fit);

/// <summary>
/// The methods of seed 003's Figs. 3.4, 3.5 and 3.7 by name. On the dig-lava and mining grids they are PPO policies
/// (Table B.4's grid-world column, with 16 copies × 128 steps per rollout instead of 64 × 128 for a CPU); on RecSim
/// they are cascaded DQN Q-networks (<c>CdqnOptions.RecSim</c>). The relation pieces (encoder, summary, utility input)
/// come from <c>Relations.Method(name)</c>; Mask-Output is PPO's masked softmax head over the whole action universe,
/// Mask-Input-Output the same head on an observation extended by the availability vector.
/// </summary>
internal static class AgileMethods
{
    /// <summary>Training copies of a PPO run (the paper's 64 parallel processes, reduced for a CPU).</summary>
    public const int PpoEnvironments = 16;

    /// <summary>Training copies of a CDQN run (Table B.4's 16 parallel processes for RecSim).</summary>
    public const int CdqnEnvironments = 16;

    /// <summary>The relation-based methods shared by both learners, in report order (the names <c>Relations.Method</c> knows).</summary>
    private static readonly string[] RelationMethods =
        ["agile", "summary-gat", "summary-deepset", "summary-lstm", "utility-policy", "agile-gcn", "agile-only-action"];

    /// <summary>Every PPO method, in report order.</summary>
    public static IReadOnlyList<string> PpoNames { get; } = [.. RelationMethods, "mask-output", "mask-input-output", Random];

    /// <summary>
    /// Every CDQN method, in report order. Mask-Output is left out on RecSim: a fixed 500-way output cannot score the
    /// test items it never trained on, and a list-wise masked head is not a method of the chapter's recommender figures.
    /// </summary>
    public static IReadOnlyList<string> CdqnNames { get; } = [.. RelationMethods, "simple-dqn", Random];

    /// <summary>The untrained reference: uniformly random available actions (distinct items for a list), no learning.</summary>
    public const string Random = "random";

    /// <summary>Every method name of either learner.</summary>
    public static IReadOnlyList<string> Names { get; } = PpoNames.Union(CdqnNames).ToArray();

    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>The methods defined on <paramref name="env"/>, in report order.</summary>
    public static IReadOnlyList<string> DefinedOn(AgileEnvironment env) => env.Learner == AgileLearner.Ppo ? PpoNames : CdqnNames;

    /// <summary>Why <paramref name="name"/> cannot run on <paramref name="env"/>, or null when it can.</summary>
    public static string? WhyUndefined(string name, AgileEnvironment env) =>
        DefinedOn(env).Contains(name) ? null
        : name == "mask-output" ? "a fixed output over all 500 items cannot score unseen test items (left out on RecSim)"
        : env.Learner == AgileLearner.Ppo ? $"{name} is a cascaded-DQN method (RecSim only)"
        : $"{name} is a PPO method (dig-lava and mining only)";

    /// <summary>The training of method <paramref name="name"/> on <paramref name="env"/> with seed <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">If the method is unknown or undefined on the environment.</exception>
    public static AgileTraining Build(string name, AgileEnvironment env, ulong seed)
    {
        if (WhyUndefined(name, env) is { } why) throw new ArgumentException($"agile: {name} is not defined on {env.Name}: {why}.", nameof(name));
        if (name == Random)
            return new AgileTraining($"uniformly random available actions (no training), seed {seed}", 1, e => e,
                (vector, _, _) => new UniformActionSetAgent(vector.SingleObservationSpace, vector.SingleActionSpace, seed));
        return env.Learner == AgileLearner.Ppo ? Ppo(name, seed) : Cdqn(name, seed);
    }

    /// <summary>Table B.4, grid-world column: lr 1e-3, entropy 0.05, clip 0.1, 4 epochs, value coefficient 0.5, γ 0.99, hidden 64.</summary>
    public static PpoOptions PpoOptions(ulong seed) => new()
    {
        LearningRate = 1e-3f,
        EntropyCoefficient = 0.05f,
        ClipRange = 0.1f,
        Epochs = 4,
        ValueCoefficient = 0.5f,
        Gamma = 0.99f,
        GaeLambda = 0.95f,
        StepsPerEnvironment = 128,
        // The paper gives only the rollout size (8192 rows); minibatches of 128 (16 per epoch here) give the small
        // budgets this machine affords enough gradient steps, for the same rows processed per update (as the PPO
        // helper's dig-lava learning test, which learns the shortcut in 40,000 steps with both digs offered).
        MinibatchSize = 128,
        HiddenSizes = [64, 64],
        Seed = seed,
    };

    private static AgileTraining Ppo(string name, ulong seed)
    {
        var options = PpoOptions(seed);
        string common = FormattableString.Invariant(
            $"PPO lr {options.LearningRate}, entropy {options.EntropyCoefficient}, clip {options.ClipRange}, {options.Epochs} epochs of {PpoEnvironments * options.StepsPerEnvironment / options.MinibatchSize} minibatches, value coef {options.ValueCoefficient}, γ {options.Gamma}, λ {options.GaeLambda}, {PpoEnvironments} envs × {options.StepsPerEnvironment} steps, seed {seed}");
        switch (name)
        {
            case "mask-output":
                return new AgileTraining($"Mask-Output (masked softmax over the universe, MLP [64, 64]), {common}", PpoEnvironments, e => e,
                    (vector, budget, callbacks) => new PpoEstimator(options, callbacks).Fit(vector, budget));
            case "mask-input-output":
                return new AgileTraining($"Mask-Input-Output (availability appended to the state, masked softmax, MLP [64, 64]), {common}", PpoEnvironments,
                    AvailabilityInput,
                    (vector, budget, callbacks) => new PpoEstimator(options, callbacks).Fit(vector, budget));
            default:
                return RelationalPpo(name, options, common);
        }
    }

    private static IEnvironment AvailabilityInput(IEnvironment environment) => new AvailabilityObservation(environment);

    private static AgileTraining RelationalPpo(string name, PpoOptions options, string common)
    {
        var relations = Relations.Method(name);
        return new AgileTraining($"{Describe(name, relations)}, {common}", PpoEnvironments, e => e,
            (vector, budget, callbacks) => new PpoEstimator(options, callbacks).WithActionRelations(relations).Fit(vector, budget));
    }

    /// <summary>The method's relation pieces, for the log and result.json.</summary>
    private static string Describe(string name, ActionRelationOptions r) => FormattableString.Invariant(
        $"{name} (encoder {r.Encoder}, summary {r.Summarizer}, utility on {(r.RelationalUtility ? "encoded" : "raw")} actions, {(r.StateInGraph ? "state in graph" : "actions only in graph")}, hidden {r.HiddenSize}, {r.Heads} head(s))");

    /// <summary>
    /// CDQN with Table B.4's RecSim column (<see cref="CdqnOptions.RecSim"/>) and the method's relation pieces; Simple
    /// DQN = top-k of independent Q-values (no cascade) with Utility-Policy's scorer (no relations, no summary).
    /// </summary>
    private static AgileTraining Cdqn(string name, ulong seed)
    {
        var options = name == "simple-dqn"
            ? CdqnOptions.RecSim with { Cascade = false, Relations = Relations.UtilityPolicy, Seed = seed }
            : CdqnOptions.RecSim with { Relations = Relations.Method(name), Seed = seed };
        string common = FormattableString.Invariant(
            $"{(options.Cascade ? "cascaded DQN (shared Q-network over positions)" : "Simple DQN (top-k of independent Q-values)")}, lr {options.LearningRate}, batch {options.BatchSize}, γ {options.Gamma}, ε {options.EpsilonStart} → {options.EpsilonEnd} over {options.ExplorationFraction} of the budget, target sync {options.TargetSyncInterval}, buffer {options.BufferSize}, learning starts {options.LearningStarts}, list encoder {options.ListEncoderSize}, {CdqnEnvironments} envs, seed {seed}");
        return new AgileTraining($"{Describe(name, options.Relations)}, {common}", CdqnEnvironments, e => e,
            (vector, budget, callbacks) => new CdqnEstimator(options, callbacks).Fit(vector, budget));
    }
}

/// <summary>
/// The random reference of the agile experiment: every row draws uniformly among its available actions (an ActionSet),
/// or a list of distinct available items (an ActionList), whatever the deterministic flag says.
/// </summary>
internal sealed class UniformActionSetAgent(Spaces.Space observationSpace, Spaces.Space actionSpace, ulong seed) : IActionSetAgent
{
    private readonly Tensors.RandomGenerator _rng = new(seed);

    public string Algorithm => "random";

    public Spaces.Space ObservationSpace => observationSpace;

    public Spaces.Space ActionSpace => actionSpace;

    public void Act(Tensors.Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, Tensors.RandomGenerator? rng = null)
    {
        var (universe, length) = actionSpace switch
        {
            Spaces.ActionSet set => (set.Count, 1),
            Spaces.ActionList list => (list.Items.Count, list.Length),
            _ => throw new NotSupportedException($"random: {actionSpace.Description} is not an ActionSet or ActionList."),
        };
        var generator = rng ?? _rng;
        var candidates = new List<int>(universe);
        for (int row = 0; row < actions.Length / length; row++)
        {
            candidates.Clear();
            for (int id = 0; id < universe; id++)
                if (availability[row * universe + id]) candidates.Add(id);
            for (int k = 0; k < length; k++)
            {
                int pick = k + generator.NextInt(candidates.Count - k);
                (candidates[k], candidates[pick]) = (candidates[pick], candidates[k]);
                actions[row * length + k] = candidates[k];
            }
        }
    }

    public void Act(Tensors.Tensor observations, Span<int> actions, bool deterministic, Tensors.RandomGenerator? rng = null) =>
        throw new NotSupportedException("random: acting needs each row's available actions (IActionSetAgent).");

    public void Act(Tensors.Tensor observations, Span<float> actions, bool deterministic, Tensors.RandomGenerator? rng = null) =>
        throw new NotSupportedException("random: the action space is discrete.");
}

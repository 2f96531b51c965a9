using System.Globalization;
using RLKit.Algorithms.Distral;
using RLKit.Algorithms.SoftQ;

namespace RLKit.Experiments;

/// <summary>
/// What one variant trains: Distral (or one of its α = 0 per-task baselines) with <see cref="Distral"/>, or the shared
/// soft-Q baseline with <see cref="Shared"/>; exactly one is set.
/// </summary>
internal sealed record DistralVariantOptions(DistralOptions? Distral, SoftQOptions? Shared)
{
    /// <summary>A short description of the options for the log.</summary>
    public string Describe(CultureInfo culture) => Distral is { } d
        ? string.Create(culture, $"{d.Framework} {(d.Alpha == 0 ? "separate" : d.Columns.ToString())}, α {d.Alpha}, β {d.Beta}{(d.TaskPolicyScale != 1 ? $", β′ {d.TaskPolicyScale}" : "")}, {d.NStep}-step, γ {d.Gamma}, lr {d.LearningRate}")
        : string.Create(culture, $"shared soft-Q, β {Shared!.InverseTemperature}, {Shared.NStep}-step, γ {Shared.Gamma}, lr {Shared.LearningRate}, buffer {Shared.BufferSize}");
}

/// <summary>
/// The agents compared in seed 001's chapter 3, by name: per-task soft Q-learning and Distral 1-col / 2-col under the
/// soft Q-learning framework (§3.2–3.3), per-task A2C and Distral under the regularised actor-critic framework (§3.4),
/// 1-col with the task-policy scale β′ (§3.5), and one soft-Q policy shared by every task.
/// </summary>
internal static class DistralVariants
{
    private const string BetaPrefix = "1col-beta";

    /// <summary>The largest β′ a "1col-beta&lt;k&gt;" name may ask for (the thesis tried up to 100).</summary>
    public const int MaxTaskPolicyScale = 100;

    /// <summary>The fixed names, in the order they are listed; "1col-beta&lt;k&gt;" (k = 1 … 100) adds any β′.</summary>
    public static IReadOnlyList<string> FixedNames { get; } =
        ["sql", "1col", "2col", "2col-raw", "ac-1col", "ac-2col", "a2c", "shared", "sql-paper", "2col-paper"];

    private const string SoftQBetaPrefix = "sql-beta";

    /// <summary>Whether <paramref name="name"/> is a variant: a fixed name, "1col-beta&lt;k&gt;" or "sql-beta&lt;k&gt;".</summary>
    public static bool IsKnown(string name) => FixedNames.Contains(name) || TaskPolicyScaleOf(name) is not null || SoftQBetaOf(name) is not null;

    /// <summary>The β′ of a "1col-beta&lt;k&gt;" name (k an integer in [1, 100]), or null for any other name.</summary>
    public static int? TaskPolicyScaleOf(string name) => NumberAfter(BetaPrefix, name);

    /// <summary>
    /// The β of a "sql-beta&lt;k&gt;" name (per-task soft Q-learning at inverse temperature k, an integer in [1, 100]), or
    /// null for any other name. Not in the thesis: with β = 5 the entropy bonus outweighs the grids' step cost.
    /// </summary>
    public static int? SoftQBetaOf(string name) => NumberAfter(SoftQBetaPrefix, name);

    private static int? NumberAfter(string prefix, string name) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int k)
        && k >= 1 && k <= MaxTaskPolicyScale && name == prefix + k.ToString(CultureInfo.InvariantCulture)
            ? k : null;

    /// <summary>"1col-beta&lt;k&gt;".</summary>
    public static string BetaName(int taskPolicyScale) => BetaPrefix + taskPolicyScale.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The options of variant <paramref name="name"/> for a run on <paramref name="taskCount"/> tasks with n-step TD
    /// targets of <paramref name="nStep"/> (the protocol's: 10 in the paper replication, else 1) and seed
    /// <paramref name="seed"/>. n applies to every variant: the soft-Q replay targets and the actor-critic critic's
    /// targets (eq. 2.73) alike.
    /// </summary>
    /// <exception cref="ArgumentException">If the name is not a variant.</exception>
    public static DistralVariantOptions Build(string name, int taskCount, int nStep, ulong seed)
    {
        if (TaskPolicyScaleOf(name) is { } k)
            return Distral(DistralOptions.ThesisSql with { Columns = DistralColumns.OneColumn, TaskPolicyScale = k });
        if (SoftQBetaOf(name) is { } beta)
            return Distral(DistralOptions.SeparateSoftQ with { Beta = beta });
        return name switch
        {
            "sql" => Distral(DistralOptions.SeparateSoftQ),
            "1col" => Distral(DistralOptions.ThesisSql with { Columns = DistralColumns.OneColumn }),
            "2col" => Distral(DistralOptions.ThesisSql),
            // Not in the thesis: 2-col with Teh et al.'s soft Bellman equation (raw reward; the soft value alone carries
            // the KL and entropy terms), where the thesis adds them to the reward as well.
            "2col-raw" => Distral(DistralOptions.ThesisSql with { RegulariseReward = false }),
            // The thesis's 1-col actor-critic used Adam 5e-5 (3e-4, the 2-col rate, and 1e-3 diverged).
            "ac-1col" => Distral(DistralOptions.ThesisActorCritic with { Columns = DistralColumns.OneColumn, LearningRate = 5e-5f }),
            "ac-2col" => Distral(DistralOptions.ThesisActorCritic),
            "a2c" => Distral(DistralOptions.SeparateActorCritic),
            // §3.2 replicates Teh et al.: 2-col with α = 1 (KL only) against per-task soft Q-learning, both 10-step
            // (the n-step comes from the protocol, so --n-step can still change it).
            "2col-paper" => Distral(DistralOptions.PaperReplication),
            "sql-paper" => Distral(DistralOptions.SeparateSoftQ),
            "shared" => new DistralVariantOptions(null, SharedSoftQ(taskCount, nStep, seed)),
            _ => throw new ArgumentException($"unknown Distral variant '{name}'", nameof(name)),
        };

        DistralVariantOptions Distral(DistralOptions options) => new(options with { NStep = nStep, Seed = seed }, null);
    }

    /// <summary>
    /// The "Shared" baseline: one soft-Q network for every task, which sees no task id (the grid's observation has
    /// none), trained by <see cref="SoftQEstimator"/> on the same task set. Its options are the thesis's soft Q-learning
    /// runs as far as <see cref="SoftQOptions"/> can express them:
    /// <list type="bullet">
    /// <item>β (InverseTemperature) 5, Adam 1e-3, batch 128, γ 0.999, hidden 64-128-64, the protocol's n-step: as the thesis;</item>
    /// <item>replay 10,000 per task, as one buffer of 10,000 × tasks (Distral keeps one buffer per task);</item>
    /// <item>one gradient step after every vector step (TrainFrequency 1, GradientSteps 1): Distral takes one per task
    /// per step, but each on its own network, so the shared network gets as many updates per step as each f_i;</item>
    /// <item>no lagging target network (a hard sync after every vector step, TargetUpdateInterval 1): Alg. 1 regresses
    /// onto V(s′) of the current networks;</item>
    /// <item>128 steps of uniform actions before learning starts (one batch), where Distral explores with
    /// ε = 0.05 + 0.85·exp(−episode/5) per task: SoftQOptions has no ε schedule, and after learning starts the shared
    /// policy explores only by sampling its Boltzmann policy;</item>
    /// <item>differences it cannot express: ReLU instead of LeakyReLU, Huber loss instead of squared error, and gradient
    /// clipping at norm 10.</item>
    /// </list>
    /// </summary>
    public static SoftQOptions SharedSoftQ(int taskCount, int nStep, ulong seed) => new()
    {
        InverseTemperature = 5f,
        LearningRate = 1e-3f,
        BatchSize = 128,
        Gamma = 0.999f,
        HiddenSizes = [64, 128, 64],
        BufferSize = 10_000 * taskCount,
        LearningStarts = 128,
        TrainFrequency = 1,
        GradientSteps = 1,
        TargetUpdateInterval = 1,
        NStep = nStep,
        Seed = seed,
    };
}

/// <summary>
/// A protocol of seed 001's chapter 3: which variants run on which task subsets, for how many episodes of at most
/// how many steps, with n-step TD targets of what n. The command line overrides any part.
/// </summary>
internal sealed record DistralProtocol(string Name, string Section, IReadOnlyList<string> Variants, IReadOnlyList<IReadOnlyList<int>> Subsets,
                                       int Episodes, int MaxSteps, int NStep)
{
    private static readonly IReadOnlyList<IReadOnlyList<int>> ThesisSubsets = [[4, 5], [7, 8], [4, 5, 7], [4, 5, 6, 7, 8]];

    /// <summary>§3.2: Teh et al.'s grid-world comparison, 2-col (α = 1) vs per-task soft-Q on grids 4–8, 10-step, 100 steps, 1000 episodes.</summary>
    public static DistralProtocol Paper { get; } = new("paper", "§3.2", ["2col-paper", "sql-paper"], [[4, 5, 6, 7, 8]], 1000, 100, 10);

    /// <summary>§3.3: per-task soft-Q vs Distral 1-col and 2-col on four subsets, 1-step, 1000 steps, 200 episodes.</summary>
    public static DistralProtocol Thesis { get; } = new("thesis", "§3.3", ["sql", "1col", "2col"], ThesisSubsets, 200, 1000, 1);

    /// <summary>§3.4: per-task A2C vs Distral 1-col and 2-col actor-critic, with the §3.3 subsets and settings.</summary>
    public static DistralProtocol ActorCritic { get; } = new("ac", "§3.4", ["a2c", "ac-1col", "ac-2col"], ThesisSubsets, 200, 1000, 1);

    /// <summary>§3.5: 1-col with β′ = 1 … 10 against 2-col on grids 4 and 5, with the §3.3 settings.</summary>
    public static DistralProtocol Beta { get; } = new("beta", "§3.5",
        [.. Enumerable.Range(1, 10).Select(DistralVariants.BetaName), "2col"], [[4, 5]], 200, 1000, 1);

    /// <summary>Every protocol, by name.</summary>
    public static IReadOnlyList<DistralProtocol> All { get; } = [Paper, Thesis, ActorCritic, Beta];
}

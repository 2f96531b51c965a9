using RLKit.Environments;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Envs.Recommender;

namespace RLKit.Experiments;

/// <summary>Which learner an environment's methods use: PPO (one action from a varying set) or cascaded DQN (a list of items).</summary>
internal enum AgileLearner { Ppo, Cdqn }

/// <summary>
/// One of the AGILE chapter's environments that RLKit has (seed 003 ch. 3; CREATE and the real RecSys are out of
/// reach): how to make its training and evaluation copies, whether it has a held-out test split of actions, and the
/// extra number its evaluation reports (dig-lava: the shortcut rate; RecSim: the mean CPR of the recommended slates).
/// </summary>
internal sealed record AgileEnvironment(string Name, string Id, string Title, string Description, AgileLearner Learner, bool HasTest,
                                        string? ExtraName, string? ExtraTitle, Func<bool, object?> Options)
{
    /// <summary>What differs from the paper's environment (e.g. a larger dig reward), or null; recorded with every run.</summary>
    public string? Deviation { get; init; }

    /// <summary>
    /// The dig-lava grid with R_Dig = <paramref name="digReward"/> instead of the paper's 0.01 (seed 003 A.1): the
    /// paper's reward makes a dig worth almost nothing next to the goal, so small budgets rarely learn to dig.
    /// </summary>
    public static AgileEnvironment DigLavaWithDigReward(double digReward) => DigLava with
    {
        Options = _ => new DigLavaGridOptions { DigReward = digReward },
        Deviation = FormattableString.Invariant($"dig reward {digReward} (the paper's is {DigLavaGridOptions.Default.DigReward})"),
    };

    /// <summary>The dig-lava grid (A.1): 5 fixed skills plus 2 of 4 specials drawn per episode; no test split.</summary>
    public static AgileEnvironment DigLava { get; } = new("diglava", "DigLavaGrid-v0", "Dig-lava grid",
        "dig-lava grid (11×11, 5 fixed skills + 2 of {turn-right, move-forward, dig-orange, dig-pink} per episode, 50 steps)",
        AgileLearner.Ppo, HasTest: false, "shortcut_rate", "Shortcut rate (dug through lava | a dig skill offered)", _ => null);

    /// <summary>RecSim with CPR (A.3): a slate of 6 from 20 candidates, 250 train and 250 test items.</summary>
    public static AgileEnvironment RecSim { get; } = new("recsim", "RecSim-Slate-v0", "RecSim (CPR)",
        "list-wise RecSim with CPR (slate of 6 from 20 candidates of 250 train / 250 test items, 15 steps, reward 1 per click)",
        AgileLearner.Cdqn, HasTest: true, "cpr", "Mean CPR of the recommended slates",
        test => new RecSimSlateOptions { Split = test ? ItemSplit.Test : ItemSplit.Train });

    /// <summary>The mining grid (SAVO's, C.1): navigation and 100 pick-axes, all available; no test split.</summary>
    public static AgileEnvironment Mining { get; } = new("mining", "MiningGrid-v0", "Mining grid",
        "mining grid (10×10, 20 mines of 10 types, 4 moves + 100 pick-axes, 100 steps)",
        AgileLearner.Ppo, HasTest: false, null, null, _ => null);

    public static IReadOnlyList<AgileEnvironment> All { get; } = [DigLava, RecSim, Mining];

    /// <summary>The environment named <paramref name="name"/>, or null.</summary>
    public static AgileEnvironment? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    /// <summary>
    /// Makes fresh copies from one standard catalog (time limit included): train actions, or test actions when
    /// <paramref name="test"/> (RecSim's held-out half of the items).
    /// </summary>
    public Func<IEnvironment> Factory(bool test = false)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        object? options = Options(test);
        if (test && !HasTest) throw new InvalidOperationException($"agile: the {Name} environment has no test split.");
        return () => catalog.Make(Id, options);
    }
}

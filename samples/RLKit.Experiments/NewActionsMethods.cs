using RLKit.Algorithms.Ppo;

namespace RLKit.Experiments;

/// <summary>How a method's policy picks an action.</summary>
internal enum NewActionsPolicy
{
    /// <summary>The utility policy (eq. 2.3): a softmax over the available actions' utilities f(c_a, s).</summary>
    Utility,

    /// <summary>Continuous output (Dulac-Arnold et al.): a Gaussian over representation space, executed as the nearest available action.</summary>
    Continuous,

    /// <summary>Nearest neighbour: a masked categorical policy over the training actions; at evaluation its choice is replaced by the nearest available action.</summary>
    NearestNeighbour,
}

/// <summary>
/// One method of seed 003's Figs. 2.5 (baselines) and 2.6 (ablations) and the hand-engineered representation of
/// Fig. 2.7b: the encoder whose representations it uses, its policy, whether it subsamples the training actions per
/// episode, and whether it has the entropy bonus.
/// </summary>
internal sealed record NewActionsMethod(string Name, string Encoder, NewActionsPolicy Policy, bool Subsample, bool Entropy, string Description)
{
    /// <summary>Fig. 2.5/2.6 on the skill grid, in report order.</summary>
    public static IReadOnlyList<NewActionsMethod> SkillGrid { get; } =
    [
        new("hvae", "hvae", NewActionsPolicy.Utility, true, true, "ours: HVAE representations, utility policy, subsampling, entropy"),
        new("vae", "vae", NewActionsPolicy.Utility, true, true, "flat VAE representations (mean of per-observation codes), utility policy"),
        new("hand", "given", NewActionsPolicy.Utility, true, true, "hand-engineered representations (the skill's one-hot move sequence), utility policy"),
        new("continuous", "hvae", NewActionsPolicy.Continuous, true, true, "continuous output in HVAE representation space, nearest available action executed"),
        new("nearest-neighbour", "hvae", NewActionsPolicy.NearestNeighbour, false, true, "discrete policy over the training skills; at evaluation the nearest available skill by HVAE representation"),
        new("no-subsampling", "hvae", NewActionsPolicy.Utility, false, true, "ours without subsampling: every training skill in every episode"),
        new("no-entropy", "hvae", NewActionsPolicy.Utility, true, false, "ours without the entropy bonus"),
    ];

    /// <summary>The recommender's methods: its representations are given, so only the policy side is compared.</summary>
    public static IReadOnlyList<NewActionsMethod> RecSim { get; } =
    [
        new("given", "given", NewActionsPolicy.Utility, true, true, "ours with the given item representations: utility policy, subsampling, entropy"),
        new("continuous", "given", NewActionsPolicy.Continuous, true, true, "continuous output in item representation space, nearest available item executed"),
        new("nearest-neighbour", "given", NewActionsPolicy.NearestNeighbour, false, true, "discrete policy over the training items; at evaluation the nearest available item"),
        new("no-subsampling", "given", NewActionsPolicy.Utility, false, true, "ours without subsampling: every training item in every episode"),
        new("no-entropy", "given", NewActionsPolicy.Utility, true, false, "ours without the entropy bonus"),
    ];

    /// <summary>The methods defined on <paramref name="env"/>, in report order.</summary>
    public static IReadOnlyList<NewActionsMethod> On(NewActionsEnvironment env) => env.Name == NewActionsEnvironment.SkillGrid.Name ? SkillGrid : RecSim;

    /// <summary>Every method name of either environment.</summary>
    public static IReadOnlyList<string> Names { get; } = SkillGrid.Concat(RecSim).Select(m => m.Name).Distinct().ToArray();

    /// <summary>The method <paramref name="name"/> of <paramref name="env"/>, or null.</summary>
    public static NewActionsMethod? Find(NewActionsEnvironment env, string name) => On(env).FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// Table A.3's "continuous entropy scaling" (0.1): the Gaussian's entropy bonus is the environment's coefficient
    /// times this, as the paper scales the entropy of its continuous (Beta) outputs.
    /// </summary>
    public const float ContinuousEntropyScale = 0.1f;

    /// <summary>Training copies (the paper's 32 parallel processes, halved for two shared cores).</summary>
    public const int Environments = 16;

    /// <summary>
    /// PPO with Table A.4's settings: lr 1e-3 decayed linearly, γ 0.99, 4 epochs, clip 0.1, value coefficient 0.5,
    /// hidden 64 (2 × 64 state encoder and critic); entropy from Table A.3 (0 for no-entropy, ×0.1 for the Gaussian).
    /// The rollout is 16 copies × <paramref name="stepsPerEnvironment"/> steps instead of the paper's 4096 (grid) /
    /// 2048 (recommender) rows, so that small budgets still make many updates; minibatches of 128 (as the agile experiment).
    /// </summary>
    public PpoOptions PpoOptions(NewActionsEnvironment env, ulong seed, int stepsPerEnvironment) => new()
    {
        LearningRate = 1e-3f,
        LinearLearningRateDecay = true,
        Gamma = 0.99f,
        GaeLambda = 0.95f,
        Epochs = 4,
        ClipRange = 0.1f,
        ValueCoefficient = 0.5f,
        EntropyCoefficient = !Entropy ? 0f : Policy == NewActionsPolicy.Continuous ? env.EntropyCoefficient * ContinuousEntropyScale : env.EntropyCoefficient,
        StepsPerEnvironment = stepsPerEnvironment,
        MinibatchSize = 128,
        HiddenSizes = [64, 64],
        Seed = seed,
    };
}

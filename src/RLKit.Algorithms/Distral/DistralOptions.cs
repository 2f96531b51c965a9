using RLKit.Algorithms.Common;
using RLKit.Nn;
using RLKit.Training;

namespace RLKit.Algorithms.Distral;

/// <summary>How Distral optimises each task policy π_i (thesis §2.6.3–2.6.4).</summary>
public enum DistralFramework
{
    /// <summary>
    /// Soft Q-learning (thesis Alg. 1): one replay buffer per task, f_i regresses onto r_reg + γ V_i(s′), and π0 is fitted
    /// by maximum likelihood to every task's recent actions.
    /// </summary>
    SoftQLearning,

    /// <summary>
    /// Regularised actor-critic (thesis Alg. 2, eq. 2.74): after each episode of a task, an A2C step of π_i on the
    /// regularised reward with the soft value as critic; once every task has finished an episode, a policy-gradient
    /// step on π0.
    /// </summary>
    ActorCritic,
}

/// <summary>How a task policy π_i is built from its network f_i and the distilled policy's logits h0 (thesis eqs. 2.63–2.66).</summary>
public enum DistralColumns
{
    /// <summary>
    /// "1-col": π_i = softmax(β′ f_i), independent of π0 except through the reward and the soft value; β′ is
    /// <see cref="DistralOptions.TaskPolicyScale"/> (1 in Teh et al.; the thesis's "1-col β" raises it, §3.5).
    /// </summary>
    OneColumn,

    /// <summary>"2-col": π_i ∝ exp(α h0 + β f_i), the distilled policy plus a task-specific correction.</summary>
    TwoColumn,
}

/// <summary>
/// Hyperparameters of <see cref="DistralEstimator"/>: Distral (Teh et al. 2017) as in seed 001's thesis, one distilled
/// policy π0 shared by all tasks and one policy π_i per task, trained on the KL- and entropy-regularised objective
/// Σ_i E[Σ_t γ^t (R_i + (α/β) log π0(a|s) − (1/β) log π_i(a|s))] (eq. 2.62). Defaults are the thesis's soft Q-learning
/// runs (§3.3): 2-col, α 0.8, β 5, 1-step TD, γ 0.999, Adam 1e-3, batch 128, replay 10,000 per task, 3→64→128→64→|A|
/// LeakyReLU networks, ε = 0.05 + 0.85·exp(−episode/5).
/// </summary>
/// <remarks>
/// <para>α = c_KL/(c_KL + c_Ent) and β = 1/(c_KL + c_Ent). With α = 0 the KL term vanishes and every task learns on its
/// own with entropy regularisation: that is the per-task soft Q-learning (<see cref="SeparateSoftQ"/>) and per-task
/// A2C (<see cref="SeparateActorCritic"/>) baselines, and π0 is then not trained.</para>
/// <para>Options are validated once, when a <see cref="DistralEstimator"/> is created; an invalid value throws an
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.</para>
/// </remarks>
public sealed record DistralOptions : IAlgorithmOptions
{
    /// <summary>Soft Q-learning (default) or regularised actor-critic.</summary>
    public DistralFramework Framework { get; init; } = DistralFramework.SoftQLearning;

    /// <summary>2-col (default) or 1-col task policies.</summary>
    public DistralColumns Columns { get; init; } = DistralColumns.TwoColumn;

    /// <summary>α = c_KL/(c_KL + c_Ent), the weight of the KL pull towards π0 (thesis 0.8; 1 in the paper replication), in [0, 1].</summary>
    public float Alpha { get; init; } = 0.8f;

    /// <summary>β = 1/(c_KL + c_Ent), the inverse temperature of the soft value and of 2-col policies (default 5), finite and &gt; 0.</summary>
    public float Beta { get; init; } = 5f;

    /// <summary>
    /// β′, the scale of a 1-col task policy softmax(β′ f_i) when acting and in its log-probabilities (thesis §3.5's
    /// "1-col β"; 1 is Teh et al.'s 1-col, 5 to 8 worked best). Must be 1 for 2-col, whose policy already carries β; finite and &gt; 0.
    /// </summary>
    public float TaskPolicyScale { get; init; } = 1f;

    /// <summary>
    /// n of n-step TD targets (default 1; 10 in the paper replication), in [1, 1000]. With n &gt; 1 the soft-Q replay
    /// stores each step's regularised reward as computed when it was collected, since the n-step sum spans states that a
    /// sampled batch does not hold; with n = 1 the regularisation is recomputed with the current networks at each update.
    /// </summary>
    public int NStep { get; init; } = 1;

    /// <summary>
    /// Add the KL and entropy terms (α/β) log π0(a|s) − (1/β) log π_i(a|s) to every reward (default true), as the
    /// thesis's Algorithms 1 and 2 and its reference code do. The soft value V_i already carries these terms, so with
    /// true they count twice; false gives Teh et al.'s soft Bellman equation, Q_i = R_i + γ V_i(s′) with the raw reward,
    /// which is also what <see cref="SeparateSoftQ"/> (plain soft Q-learning) uses.
    /// </summary>
    public bool RegulariseReward { get; init; } = true;

    /// <summary>Discount γ (thesis SQL 0.999, AC 0.95), in [0, 1].</summary>
    public float Gamma { get; init; } = 0.999f;

    /// <summary>Adam's learning rate for every network (SQL 1e-3; AC 3e-4 for 2-col, 5e-5 for 1-col), in (0, 1].</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Hidden widths of π0's network h0 and of every task network f_i (default 64, 128, 64).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(64, 128, 64);

    /// <summary>The hidden activation (SQL LeakyReLU, AC ReLU).</summary>
    public ActivationKind Activation { get; init; } = ActivationKind.LeakyReLU;

    /// <summary>Soft Q-learning: transitions per task per gradient step, and per task in π0's step (default 128), ≥ 1.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Soft Q-learning: replay capacity per task (default 10,000), ≥ <see cref="BatchSize"/>.</summary>
    public int ReplayCapacity { get; init; } = 10_000;

    /// <summary>
    /// Soft Q-learning: how many of each task's most recent transitions π0's maximum-likelihood step samples from
    /// (default 1,000, the reference code's policy memory), ≥ 1.
    /// </summary>
    public int DistillationMemory { get; init; } = 1_000;

    /// <summary>Soft Q-learning: ε at a task's first episode, before decay (default 0.9), in [0, 1].</summary>
    public float ExplorationStart { get; init; } = 0.9f;

    /// <summary>Soft Q-learning: the ε the schedule decays to (default 0.05), in [0, <see cref="ExplorationStart"/>].</summary>
    public float ExplorationEnd { get; init; } = 0.05f;

    /// <summary>
    /// Soft Q-learning: ε = end + (start − end)·exp(−episode/decay), episode counted per task (default 5 episodes),
    /// &gt; 0. With probability ε a task acts uniformly at random, otherwise it samples π_i.
    /// </summary>
    public float ExplorationDecayEpisodes { get; init; } = 5f;

    /// <inheritdoc/>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>The thesis's soft Q-learning runs (§3.3): the defaults (2-col, α 0.8, β 5, 1-step).</summary>
    public static DistralOptions ThesisSql => new();

    /// <summary>The paper replication (§3.2): 2-col soft Q-learning with α = 1 (KL only) and 10-step TD targets.</summary>
    public static DistralOptions PaperReplication => new() { Alpha = 1f, NStep = 10 };

    /// <summary>
    /// The thesis's regularised actor-critic (§3.4): 2-col, γ 0.95, Adam 3e-4, ReLU networks (use 5e-5 for 1-col; 1e-3
    /// diverged in the thesis).
    /// </summary>
    public static DistralOptions ThesisActorCritic => new()
    {
        Framework = DistralFramework.ActorCritic, Gamma = 0.95f, LearningRate = 3e-4f, Activation = ActivationKind.ReLU,
    };

    /// <summary>
    /// The per-task soft Q-learning baseline (the reference code's SQL): <see cref="ThesisSql"/> with α = 0 and the raw
    /// reward, i.e. f_i regresses onto r + γ (1/β) log Σ_a exp(β f_i(s′, a)) and π_i ∝ exp(β f_i) learns alone. (With the
    /// regularised reward, α = 0 would pay −(1/β) log π_i ≈ +0.28 per step on top of the soft value's entropy, more than
    /// the grids' −0.1 step cost, and the task would be better off never reaching its goal.)
    /// </summary>
    public static DistralOptions SeparateSoftQ => ThesisSql with { Alpha = 0f, RegulariseReward = false };

    /// <summary>
    /// The per-task A2C baseline (the thesis's A3C stand-in): <see cref="ThesisActorCritic"/> with α = 0 and the raw
    /// reward, so each task's actor-critic learns alone with π_i ∝ exp(β f_i) and the soft value as its critic.
    /// </summary>
    public static DistralOptions SeparateActorCritic => ThesisActorCritic with { Alpha = 0f, RegulariseReward = false };

    /// <summary>Whether π0 learns: only when the KL term pulls the task policies towards it (α &gt; 0).</summary>
    internal bool TrainsDistilledPolicy => Alpha > 0f;

    /// <inheritdoc/>
    public void Validate()
    {
        const string record = nameof(DistralOptions);
        OptionRules.Defined(Framework, record, nameof(Framework));
        OptionRules.Defined(Columns, record, nameof(Columns));
        OptionRules.UnitInterval(Alpha, record, nameof(Alpha));
        OptionRules.Positive(Beta, record, nameof(Beta));
        OptionRules.Positive(TaskPolicyScale, record, nameof(TaskPolicyScale));
        OptionRules.Require(TaskPolicyScale, Columns == DistralColumns.OneColumn || TaskPolicyScale == 1f,
                            "1 for 2-col policies (β′ scales 1-col policies only)", record, nameof(TaskPolicyScale));
        OptionRules.InRange(NStep, 1, 1000, record, nameof(NStep));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.InRange(LearningRate, 0f, 1f, record, nameof(LearningRate), minInclusive: false);
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
        OptionRules.Defined(Activation, record, nameof(Activation));
        OptionRules.Positive(BatchSize, record, nameof(BatchSize));
        OptionRules.AtLeast(ReplayCapacity, BatchSize, record, nameof(ReplayCapacity), nameof(BatchSize));
        OptionRules.Positive(DistillationMemory, record, nameof(DistillationMemory));
        OptionRules.UnitInterval(ExplorationStart, record, nameof(ExplorationStart));
        OptionRules.InRange(ExplorationEnd, 0f, ExplorationStart, record, nameof(ExplorationEnd));
        OptionRules.Positive(ExplorationDecayEpisodes, record, nameof(ExplorationDecayEpisodes));
    }
}

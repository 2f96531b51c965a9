using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Cdqn;

/// <summary>
/// Hyperparameters of <see cref="CdqnEstimator"/>, the cascaded DQN of list-wise AGILE (seed 003, Algorithm 5 and
/// Table B.4; Chen et al. 2019). The defaults are the paper's RecSim settings (<see cref="RecSim"/>). Validated once,
/// when the estimator or agent is created.
/// </summary>
public sealed record CdqnOptions : IAlgorithmOptions
{
    /// <summary>The paper's RecSim settings (Table B.4): the defaults of this record.</summary>
    public static CdqnOptions RecSim { get; } = new();

    /// <summary>Adam learning rate. Default 1e-4 (Table B.4). Must be finite and &gt; 0.</summary>
    public float LearningRate { get; init; } = 1e-4f;

    /// <summary>Transitions per gradient step. Default 128 (Table B.4). Must be ≥ 1 and ≤ <see cref="BufferSize"/>.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Discount γ, applied at every list position as in Algorithm 5. Default 0.99. Must be in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>ε of ε-greedy collection at the start of training. Default 1. Must be in [0, 1].</summary>
    public float EpsilonStart { get; init; } = 1f;

    /// <summary>
    /// ε after annealing; also the ε of the trained agent's stochastic acting. Default 0.1. Must be in [0, 1] and
    /// ≤ <see cref="EpsilonStart"/>.
    /// </summary>
    public float EpsilonEnd { get; init; } = 0.1f;

    /// <summary>Fraction of the budget over which ε falls linearly from <see cref="EpsilonStart"/> to <see cref="EpsilonEnd"/>. Default 0.5. Must be in (0, 1].</summary>
    public float ExplorationFraction { get; init; } = 0.5f;

    /// <summary>Gradient steps between copies of the online Q-network into the target network. Default 500 (Table B.4, D.3). Must be ≥ 1.</summary>
    public int TargetSyncInterval { get; init; } = 500;

    /// <summary>Replay capacity in transitions (one transition = one list recommended in one sub-environment). Default 100 000. Must be ≥ 1.</summary>
    public int BufferSize { get; init; } = 100_000;

    /// <summary>Environment steps (summed over sub-environments) of collection before the first gradient step. Default 1000. Must be ≥ 0.</summary>
    public int LearningStarts { get; init; } = 1_000;

    /// <summary>Vector steps between training rounds. Default 1. Must be ≥ 1.</summary>
    public int TrainFrequency { get; init; } = 1;

    /// <summary>Gradient steps per training round. Default 1. Must be ≥ 1.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Gradients are clipped to this global L2 norm. Default 10. Must be finite and &gt; 0.</summary>
    public float MaxGradNorm { get; init; } = 10f;

    /// <summary>
    /// Width of the list embedding e_list that conditions the Q-network on the items chosen so far (Table B.4's list
    /// encoder dimension). Default 64. Must be in [1, 4096].
    /// </summary>
    public int ListEncoderSize { get; init; } = 64;

    /// <summary>
    /// True (default): the cascade of Algorithm 5, one Q-function per list position conditioned on the partial list.
    /// False: Simple DQN, independent Q(s, a) for every candidate, the list being the top-k (ε-greedy per position).
    /// </summary>
    public bool Cascade { get; init; } = true;

    /// <summary>The action-relation architecture of the Q-network (AGILE by default; the ablations are in <see cref="Relations"/>).</summary>
    public ActionRelationOptions Relations { get; init; } = ActionRelations.Relations.Agile;

    /// <inheritdoc/>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <inheritdoc/>
    public void Validate()
    {
        const string record = nameof(CdqnOptions);
        OptionRules.Positive(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.AtMost(BatchSize, BufferSize, record, nameof(BatchSize), maxName: nameof(BufferSize));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.UnitInterval(EpsilonStart, record, nameof(EpsilonStart));
        OptionRules.UnitInterval(EpsilonEnd, record, nameof(EpsilonEnd));
        OptionRules.AtMost(EpsilonEnd, EpsilonStart, record, nameof(EpsilonEnd), maxName: nameof(EpsilonStart));
        OptionRules.HalfOpenUnitInterval(ExplorationFraction, record, nameof(ExplorationFraction));
        OptionRules.AtLeast(TargetSyncInterval, 1, record, nameof(TargetSyncInterval));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(TrainFrequency, 1, record, nameof(TrainFrequency));
        OptionRules.AtLeast(GradientSteps, 1, record, nameof(GradientSteps));
        OptionRules.Positive(MaxGradNorm, record, nameof(MaxGradNorm));
        OptionRules.InRange(ListEncoderSize, 1, 4096, record, nameof(ListEncoderSize));
        OptionRules.Require(Relations, Relations is not null, "an ActionRelationOptions record (e.g. Relations.Agile)", record, nameof(Relations));
        Relations!.Validate();
    }
}

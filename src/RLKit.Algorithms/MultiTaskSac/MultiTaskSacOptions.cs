using RLKit.Algorithms.Common;
using RLKit.Nn;
using RLKit.Training;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>The environments whose Table 1 settings <see cref="MultiTaskSacOptions.Preset{TOptions}"/> applies.</summary>
public enum MultiTaskSacPreset
{
    /// <summary>QMP's maze navigation (the "point-maze-large" task set): min buffer 3,000, 600 env / 100 gradient steps per update, batch 256.</summary>
    Maze,

    /// <summary>QMP's multistage reacher: min buffer 10,000, 1,000 env / 100 gradient steps per update, batch 32.</summary>
    Reacher,
}

/// <summary>
/// Hyperparameters of the multi-task SAC harness (<see cref="MultiTaskSacEstimator"/>, and <c>QmpEstimator</c> which
/// derives its options from these): one soft actor-critic per task — a tanh-Gaussian policy, twin Q critics with
/// Polyak-averaged targets and a learned entropy temperature — one replay buffer per task, and the QMP paper's schedule
/// (Table 1 of seed 002): per update every task takes <see cref="EnvStepsPerUpdate"/> environment steps, then
/// <see cref="GradientStepsPerUpdate"/> gradient steps train every task at once.
/// </summary>
/// <remarks>
/// <para>The defaults are Table 1's maze column with separate networks (<see cref="Maze"/>). <see cref="Preset{TOptions}"/>
/// applies a column of Table 1 to any options record derived from this one, reading <see cref="Sharing"/> for the
/// network widths and learning rates of the shared baselines: set <see cref="Sharing"/> first, then apply the preset.</para>
/// <para>Differences from the reference code (clvrai/qmp), each deliberate: the activation is Table 1's tanh (the code
/// passes ReLU); weights are Xavier-uniform with zero biases as in garage; the replay capacity is bounded
/// (<see cref="BufferCapacity"/>, 200,000 per task) because RLKit allocates buffers up front where the reference grows a
/// 10⁶-transition list; and the temperature loss is SAC's −α(log π + H̄) (the reference's DnC code writes −log α(…)).</para>
/// <para>Options are validated once, when an estimator is created or a checkpoint is read; an invalid value throws an
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.</para>
/// </remarks>
public record MultiTaskSacOptions : IAlgorithmOptions
{
    /// <summary>Hidden widths of every actor and critic (Table 1: two layers of 256), each ≥ 1.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(256, 256);

    /// <summary>The hidden activation of actors and critics (Table 1: tanh).</summary>
    public ActivationKind Activation { get; init; } = ActivationKind.Tanh;

    /// <summary>
    /// Transitions per task in each gradient step (Table 1: 256 maze, 32 reacher), ≥ 1. With
    /// <see cref="TaskParameterSharing.Shared"/> or <see cref="TaskParameterSharing.Multihead"/> it is the size of the one
    /// batch spread over all tasks, ⌈BatchSize/T⌉ per task.
    /// </summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam's learning rate of the actors, in (0, 1] (Table 1: 3e-4).</summary>
    public float PolicyLearningRate { get; init; } = 3e-4f;

    /// <summary>Adam's learning rate of the critics, in (0, 1] (Table 1: 3e-4).</summary>
    public float QLearningRate { get; init; } = 3e-4f;

    /// <summary>Adam's learning rate of the per-task log α, in (0, 1] (Table 1: 3e-4).</summary>
    public float AlphaLearningRate { get; init; } = 3e-4f;

    /// <summary>Polyak coefficient τ of the target critics, updated after every gradient step, in (0, 1] (Table 1: 5e-3, i.e. 0.995 averaging).</summary>
    public float Tau { get; init; } = 5e-3f;

    /// <summary>Discount γ, in [0, 1] (Table 1: 0.99).</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>
    /// Transitions every task's buffer holds before the first gradient step (Table 1: 3,000 maze, 10,000 reacher), ≥ 1
    /// and ≤ <see cref="BufferCapacity"/>. The first update collects exactly this many per task, with the (untrained)
    /// task policies, as the reference does; later updates collect <see cref="EnvStepsPerUpdate"/>.
    /// </summary>
    public int MinBufferSize { get; init; } = 3_000;

    /// <summary>Environment steps per task between two rounds of gradient steps (Table 1: 600 maze, 1,000 reacher), ≥ 1.</summary>
    public int EnvStepsPerUpdate { get; init; } = 600;

    /// <summary>
    /// Gradient steps per update, each training every task on its own batch (Table 1: 100), ≥ 1. With shared or
    /// multi-head networks each update takes T times as many steps on one mixed batch (see <see cref="Sharing"/>).
    /// </summary>
    public int GradientStepsPerUpdate { get; init; } = 100;

    /// <summary>Replay capacity per task, ≥ <see cref="BatchSize"/> (default 200,000; the buffers are allocated when Fit starts).</summary>
    public int BufferCapacity { get; init; } = 200_000;

    /// <summary>The smallest log-std of the policies' pre-tanh Gaussian (reference: −20); below <see cref="LogStdMax"/>.</summary>
    public float LogStdMin { get; init; } = -20f;

    /// <summary>The largest log-std of the policies' pre-tanh Gaussian (reference: 2).</summary>
    public float LogStdMax { get; init; } = 2f;

    /// <summary>The target entropy H̄ of every task's temperature; null means −|A| (SAC's heuristic, the reference's choice).</summary>
    public float? TargetEntropy { get; init; }

    /// <summary>Every task's initial log α (reference: 0, i.e. α = 1), finite.</summary>
    public float InitialLogAlpha { get; init; }

    /// <summary>How the task networks share parameters (default <see cref="TaskParameterSharing.Separate"/>).</summary>
    public TaskParameterSharing Sharing { get; init; } = TaskParameterSharing.Separate;

    /// <inheritdoc/>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>Table 1's maze column with separate networks: the defaults.</summary>
    public static MultiTaskSacOptions Maze => Preset(new MultiTaskSacOptions(), MultiTaskSacPreset.Maze);

    /// <summary>Table 1's reacher column with separate networks: min buffer 10,000, 1,000 env and 100 gradient steps per update, batch 32.</summary>
    public static MultiTaskSacOptions Reacher => Preset(new MultiTaskSacOptions(), MultiTaskSacPreset.Reacher);

    /// <summary>
    /// <paramref name="options"/> with Table 1's column for <paramref name="preset"/>: minimum buffer, environment and
    /// gradient steps per update, batch size, and — read from <paramref name="options"/>' <see cref="Sharing"/> — the
    /// network widths and learning rates: two layers of 256 for separate networks; of 834 (maze) or 600 (reacher) for
    /// <see cref="TaskParameterSharing.Shared"/> (learning rate 3e-4); of 834 with 3e-4 (maze) or 512 with 1e-3
    /// (reacher) for <see cref="TaskParameterSharing.Multihead"/>. Derived options may add their own settings (QMP's
    /// multi-head maze run also delays the mixture). The runtime type is kept, so a <c>QmpOptions</c> stays one.
    /// </summary>
    /// <typeparam name="TOptions">The options record type.</typeparam>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="preset"/> is not a defined preset.</exception>
    public static TOptions Preset<TOptions>(TOptions options, MultiTaskSacPreset preset) where TOptions : MultiTaskSacOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionRules.Defined(preset, nameof(MultiTaskSacOptions), nameof(preset));
        return (TOptions)options.ApplyPreset(preset);
    }

    /// <summary>
    /// Applies <paramref name="preset"/>'s Table 1 column (see <see cref="Preset{TOptions}"/>); a derived record
    /// overrides it to add its own settings, calling this first. Must return a record of the same runtime type.
    /// </summary>
    protected virtual MultiTaskSacOptions ApplyPreset(MultiTaskSacPreset preset)
    {
        bool maze = preset == MultiTaskSacPreset.Maze;
        int width = Sharing switch
        {
            TaskParameterSharing.Shared => maze ? 834 : 600,
            TaskParameterSharing.Multihead => maze ? 834 : 512,
            _ => 256,
        };
        float learningRate = Sharing == TaskParameterSharing.Multihead && !maze ? 1e-3f : 3e-4f;
        return this with
        {
            MinBufferSize = maze ? 3_000 : 10_000,
            EnvStepsPerUpdate = maze ? 600 : 1_000,
            GradientStepsPerUpdate = 100,
            BatchSize = maze ? 256 : 32,
            HiddenSizes = [width, width],
            PolicyLearningRate = learningRate,
            QLearningRate = learningRate,
            AlphaLearningRate = learningRate,
        };
    }

    /// <summary>
    /// Whether the method keeps a central, task-agnostic policy next to the task policies (DnC's distilled policy): the
    /// model then holds one more actor, saved under "central.", and the agent's task-free <c>Act</c> uses it.
    /// </summary>
    internal virtual bool HasCentralPolicy => false;

    /// <inheritdoc/>
    public virtual void Validate()
    {
        string record = GetType().Name;
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
        OptionRules.Defined(Activation, record, nameof(Activation));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.InRange(PolicyLearningRate, 0f, 1f, record, nameof(PolicyLearningRate), minInclusive: false);
        OptionRules.InRange(QLearningRate, 0f, 1f, record, nameof(QLearningRate), minInclusive: false);
        OptionRules.InRange(AlphaLearningRate, 0f, 1f, record, nameof(AlphaLearningRate), minInclusive: false);
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.AtLeast(BufferCapacity, BatchSize, record, nameof(BufferCapacity), nameof(BatchSize));
        OptionRules.InRange(MinBufferSize, 1, BufferCapacity, record, nameof(MinBufferSize));
        OptionRules.AtLeast(EnvStepsPerUpdate, 1, record, nameof(EnvStepsPerUpdate));
        OptionRules.AtLeast(GradientStepsPerUpdate, 1, record, nameof(GradientStepsPerUpdate));
        OptionRules.Finite(LogStdMax, record, nameof(LogStdMax));
        OptionRules.InRange(LogStdMin, float.MinValue, LogStdMax, record, nameof(LogStdMin), maxInclusive: false);
        OptionRules.FiniteOrNull(TargetEntropy, record, nameof(TargetEntropy));
        OptionRules.Finite(InitialLogAlpha, record, nameof(InitialLogAlpha));
        OptionRules.Defined(Sharing, record, nameof(Sharing));
    }
}

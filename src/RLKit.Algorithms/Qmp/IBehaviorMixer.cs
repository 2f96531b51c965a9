using RLKit.Tensors;

namespace RLKit.Algorithms.Qmp;

/// <summary>
/// QMP's behaviour mixture: at every collection step, for each row (a sub-environment playing task i), every task policy
/// π_j proposes an action, and the mixer chooses whose sampled action task i executes. The transition is stored in task
/// i's buffer whichever policy proposed it. Built-ins (<see cref="BehaviorMixers"/>): "q-switch", "uniform", "domain",
/// "softmax"; a user mixer is passed to <see cref="QmpEstimator"/> or registered as a keyed <see cref="IBehaviorMixer"/>
/// service next to them.
/// </summary>
/// <remarks>Mixers are shared (DI singletons) and called from the training thread only; keep per-call state in the call.</remarks>
public interface IBehaviorMixer
{
    /// <summary>Writes, for every row of <paramref name="context"/>, the index of the policy whose sampled action to execute.</summary>
    /// <param name="context">The rows, their tasks and observations, every policy's proposals, and the Q-switch scores on demand.</param>
    /// <param name="policies">Receives one policy index in [0, T) per row.</param>
    void Choose(BehaviorMixingContext context, Span<int> policies);
}

/// <summary>
/// What an <see cref="IBehaviorMixer"/> chooses from at one collection step: R rows (sub-environments), the task of each,
/// the observations, and the proposals of all T task policies for every row. The tensors are valid during
/// <see cref="IBehaviorMixer.Choose"/> only.
/// </summary>
public sealed class BehaviorMixingContext
{
    private readonly Func<float[]> _computeScores;
    private readonly int[] _rowTasks;
    private float[]? _scores;

    /// <summary>Creates a context; QMP builds one per step, and tests build hand-made ones.</summary>
    /// <param name="rowTasks">The task of each row, each in [0, T).</param>
    /// <param name="observations">The rows' observations, [R, obs].</param>
    /// <param name="sampledActions">Every policy's sampled action for every row, [T, R, |A|] (environment units).</param>
    /// <param name="meanActions">Every policy's mean action for every row, [T, R, |A|] (tanh(μ) rescaled to the box).</param>
    /// <param name="computeScores">Computes the [R × T] score matrix (row-major) when a mixer first asks for it.</param>
    /// <param name="options">The QMP options (the mixers' settings).</param>
    /// <param name="random">The generator stochastic mixers draw from (the run's, so runs are reproducible).</param>
    /// <exception cref="ArgumentException">If the shapes disagree or a row's task is out of range.</exception>
    public BehaviorMixingContext(int[] rowTasks, Tensor observations, Tensor sampledActions, Tensor meanActions, Func<float[]> computeScores,
                                 QmpOptions options, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(rowTasks);
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(sampledActions);
        ArgumentNullException.ThrowIfNull(meanActions);
        ArgumentNullException.ThrowIfNull(computeScores);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        if (sampledActions.Rank != 3 || !sampledActions.Shape.SequenceEqual(meanActions.Shape) || sampledActions.Dim(1) != rowTasks.Length
            || observations.Rank != 2 || observations.Dim(0) != rowTasks.Length)
            throw new ArgumentException(
                $"BehaviorMixingContext: observations must be [R, obs] and both proposals [T, R, |A|] with R = {rowTasks.Length} rows; got {Tensor.ShapeString(observations.Shape)}, " +
                $"{Tensor.ShapeString(sampledActions.Shape)} and {Tensor.ShapeString(meanActions.Shape)}.", nameof(sampledActions));
        int tasks = sampledActions.Dim(0);
        foreach (int task in rowTasks)
            if ((uint)task >= (uint)tasks)
                throw new ArgumentException($"BehaviorMixingContext: every row's task must be in [0, {tasks - 1}]; got {task}.", nameof(rowTasks));
        _rowTasks = rowTasks;
        Observations = observations;
        SampledActions = sampledActions;
        MeanActions = meanActions;
        _computeScores = computeScores;
        Options = options;
        Random = random;
    }

    /// <summary>T, the number of task policies (and tasks).</summary>
    public int TaskCount => SampledActions.Dim(0);

    /// <summary>R, the number of rows to choose for.</summary>
    public int RowCount => _rowTasks.Length;

    /// <summary>The task each row plays.</summary>
    public ReadOnlySpan<int> RowTasks => _rowTasks;

    /// <summary>The rows' observations, [R, obs].</summary>
    public Tensor Observations { get; }

    /// <summary>Every policy's sampled action for every row, [T, R, |A|]: the action executed if that policy is chosen.</summary>
    public Tensor SampledActions { get; }

    /// <summary>Every policy's mean action tanh(μ_j(s_r)), rescaled to the action box, [T, R, |A|].</summary>
    public Tensor MeanActions { get; }

    /// <summary>The QMP options (<see cref="QmpOptions.SoftmaxTemperature"/>, <see cref="QmpOptions.DomainWeights"/>, …).</summary>
    public QmpOptions Options { get; }

    /// <summary>The generator stochastic mixers draw from.</summary>
    public RandomGenerator Random { get; }

    /// <summary>
    /// The Q-switch scores, row-major [R × T]: entry (r, j) = Q1_i(s_r, ā_j), task i's first critic at row r's
    /// observation and policy j's mean action — what the reference scores with in its per-step collection path. Computed
    /// on the first call, for all rows and policies in one batched pass of the critics; mixers that do not look at values
    /// never pay for it.
    /// </summary>
    public ReadOnlySpan<float> Scores() => _scores ??= _computeScores();
}

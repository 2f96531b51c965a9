using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Distral;

/// <summary>
/// Distral's networks and the formulas that tie them together (thesis eqs. 2.62–2.67): the distilled policy's logits
/// h0, one network f_i per task (an action-value estimate in soft Q-learning, the task's preferences in actor-critic),
/// the task policies built from them, the soft value and the regularised reward. Everything works on batches [B, |A|]
/// and stays differentiable, so the losses and the agent use the same formulas.
/// </summary>
internal sealed class DistralModel
{
    public DistralModel(int observationSize, int actionCount, int taskCount, DistralOptions options, RandomGenerator rng)
    {
        Options = options;
        ObservationSize = observationSize;
        ActionCount = actionCount;
        var activation = Activation.FromKind(options.Activation);
        int[] sizes = [observationSize, .. options.HiddenSizes, actionCount];
        Distilled = new Mlp(sizes, rng, activation);
        Tasks = new Mlp[taskCount];
        for (int task = 0; task < taskCount; task++) Tasks[task] = new Mlp(sizes, rng, activation);
    }

    public DistralOptions Options { get; }

    public int ObservationSize { get; }

    public int ActionCount { get; }

    /// <summary>h0: the distilled policy π0 = softmax(h0).</summary>
    public Mlp Distilled { get; }

    /// <summary>f_i, one per task.</summary>
    public Mlp[] Tasks { get; }

    /// <summary>
    /// Whether a task policy needs h0: only 2-col with α &gt; 0 (with α = 0, α h0 vanishes). Acting and the updates skip
    /// the distilled network when it does not.
    /// </summary>
    public bool TaskPolicyUsesDistilled => Options.Columns == DistralColumns.TwoColumn && Options.Alpha > 0f;

    /// <summary>
    /// The logits of π_i: β′ f_i for 1-col (eq. 2.63, β′ = <see cref="DistralOptions.TaskPolicyScale"/>), α h0 + β f_i for
    /// 2-col (eq. 2.66). <paramref name="distilledLogits"/> may be null when <see cref="TaskPolicyUsesDistilled"/> is false.
    /// </summary>
    public Tensor TaskLogits(Tensor taskValues, Tensor? distilledLogits)
    {
        var o = Options;
        if (o.Columns == DistralColumns.OneColumn) return o.TaskPolicyScale == 1f ? taskValues : taskValues * o.TaskPolicyScale;
        var scaled = taskValues * o.Beta;
        return TaskPolicyUsesDistilled ? distilledLogits! * o.Alpha + scaled : scaled;
    }

    /// <summary>
    /// The logits of task <paramref name="task"/>'s policy π_i on <paramref name="states"/> [B, obs]: f_i's forward pass
    /// through <see cref="TaskLogits"/>. h0 enters only when the policy needs it; pass <paramref name="distilledLogits"/>
    /// (h0 on the same states) when the caller has them already, else they are computed here.
    /// </summary>
    public Tensor PolicyLogits(int task, Tensor states, Tensor? distilledLogits = null)
    {
        distilledLogits = TaskPolicyUsesDistilled ? distilledLogits ?? Distilled.Forward(states) : null;
        return TaskLogits(Tasks[task].Forward(states), distilledLogits);
    }

    /// <summary>
    /// V_i(s) = (1/β) log Σ_a π0(a|s)^α exp(β f_i(s, a)) (eq. 2.67), [B], as (1/β)·logsumexp(α log π0 + β f_i), whose
    /// max-subtracted evaluation cannot overflow even at β = 1 with large f_i. <paramref name="distilledLogProbabilities"/>
    /// may be null when α = 0.
    /// </summary>
    public Tensor SoftValue(Tensor taskValues, Tensor? distilledLogProbabilities) => SoftValue(taskValues, distilledLogProbabilities, Options.Alpha, Options.Beta);

    /// <inheritdoc cref="SoftValue(Tensor, Tensor?)"/>
    public static Tensor SoftValue(Tensor taskValues, Tensor? distilledLogProbabilities, float alpha, float beta)
    {
        var exponent = taskValues * beta;
        if (alpha > 0f) exponent = distilledLogProbabilities! * alpha + exponent;
        return exponent.LogSumExp(1) * (1f / beta);
    }

    /// <summary>
    /// The regularised reward r + (α/β) log π0(a|s) − (1/β) log π_i(a|s) of eq. 2.62, row by row, into
    /// <paramref name="rewards"/> (which holds r on entry).
    /// </summary>
    public static void Regularise(Span<float> rewards, ReadOnlySpan<float> distilledLogProbabilityTaken, ReadOnlySpan<float> taskLogProbabilityTaken,
                                  float alpha, float beta)
    {
        for (int b = 0; b < rewards.Length; b++)
        {
            float kl = alpha > 0f ? alpha / beta * distilledLogProbabilityTaken[b] : 0f;
            rewards[b] += kl - taskLogProbabilityTaken[b] / beta;
        }
    }

    /// <summary>Every parameter: h0's then each f_i's.</summary>
    public IEnumerable<(string Prefix, Module Module)> Modules()
    {
        yield return ("distilled", Distilled);
        for (int task = 0; task < Tasks.Length; task++) yield return ($"task{task}", Tasks[task]);
    }
}

using RLKit.Algorithms.MultiTaskSac;
using RLKit.Distributions;
using RLKit.Tensors;

namespace RLKit.Algorithms.Dnc;

/// <summary>
/// DnC's KL penalty between task policies, for all ordered pairs at once. The reference (clvrai/qmp,
/// <c>dnc_sac.py</c>, <c>_compute_kl_penalty</c> with the default <c>sampling_type="all"</c>) adds to π_i's actor loss
/// Σ_{j≠i} β·mean_s KL(π_j(·|s) ‖ π_i(·|s)), where s runs over ⌊B/T⌋ states from every task's buffer and the KL of the
/// two tanh-Gaussians is that of their pre-tanh diagonal Gaussians taken per action dimension and averaged over the
/// dimensions (its registered TanhNormal KL is elementwise, then <c>.mean(dim=-1)</c>). Each reference policy has its own
/// optimizer, so π_i's term moves π_i only: here π_j's side is detached, which gives the same gradients from one
/// batched loss.
/// </summary>
internal static class DncRegularisation
{
    /// <summary>
    /// The mean KL(π_j ‖ π_i) for every ordered pair, [T (j), T (i)], averaged over the N states and the |A| action
    /// dimensions, from every policy's pre-tanh Gaussian on the same states: <paramref name="mean"/> and
    /// <paramref name="logStd"/> [T, N, |A|]. Gradients reach the second index's policy only (the first is detached);
    /// the diagonal is 0 with zero gradient.
    /// </summary>
    /// <exception cref="ArgumentException">If the two tensors are not both [T, N, |A|].</exception>
    public static Tensor PairwiseKl(Tensor mean, Tensor logStd)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logStd);
        if (mean.Rank != 3 || !mean.Shape.SequenceEqual(logStd.Shape))
            throw new ArgumentException(
                $"DnC's KL needs every policy's mean and log-std as [T, N, |A|], got {Tensor.ShapeString(mean.Shape)} and {Tensor.ShapeString(logStd.Shape)}.", nameof(mean));
        int tasks = mean.Dim(0), states = mean.Dim(1), actions = mean.Dim(2);
        var kl = Kl.ElementGaussian(mean.Detach().Reshape(tasks, 1, states, actions), logStd.Detach().Reshape(tasks, 1, states, actions),
                                    mean.Reshape(1, tasks, states, actions), logStd.Reshape(1, tasks, states, actions));
        return kl.Reshape(tasks, tasks, states * actions).Mean(2);
    }

    /// <summary>
    /// The states the penalty averages over, [T·k, obs]: the first k = ⌊B/T⌋ (at least 1) rows of every task's block of
    /// the step's observations [T, B, obs]. The rows of a block are drawn independently from that task's buffer, so this
    /// is the reference's separate draw of ⌊B/T⌋ states per task without sampling again.
    /// </summary>
    public static Tensor SharedStates(Tensor observations)
    {
        int tasks = observations.Dim(0), rows = observations.Dim(1), size = observations.Dim(2);
        int perTask = Math.Max(1, rows / tasks);
        var block = perTask == rows ? observations : observations.Narrow(1, 0, perTask);
        return block.Reshape(tasks * perTask, size);
    }

    /// <summary>
    /// The penalty of one gradient step: every task policy on <see cref="SharedStates"/> in one batched pass, then
    /// β·Σ_i Σ_{j≠i} of <see cref="PairwiseKl"/> (the actor loss sums the tasks' losses, so this sum is each task's term
    /// added to its own loss), and the mean KL over the T(T − 1) ordered pairs, for the report.
    /// </summary>
    public static (Tensor Penalty, double MeanKl) Penalty(MultiTaskSacModel model, Tensor observations, float coefficient)
    {
        var (mean, logStd) = model.Gaussian(model.Actor.Forward(SharedStates(observations)));
        var total = PairwiseKl(mean, logStd).Sum();
        int tasks = model.Tasks;
        return (total * coefficient, total.Item() / (tasks * (tasks - 1)));
    }
}

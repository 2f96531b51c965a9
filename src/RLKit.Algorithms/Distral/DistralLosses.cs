using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Distral;

/// <summary>
/// Distral's four losses, one per network and framework, each a function of the model and a batch so tests can check
/// their values, their gradients and which networks those gradients reach.
/// </summary>
internal static class DistralLosses
{
    /// <summary>
    /// The soft-Q regression targets of task i (thesis Alg. 1, line 14), outside autograd:
    /// y = r_reg + bootstrap · V_i(s′), with V_i the soft value of eq. 2.67. With <paramref name="regulariseRewards"/>
    /// the KL and entropy terms of r_reg are computed here from the current networks (1-step TD); otherwise
    /// <paramref name="rewards"/> already hold them (n-step returns collected with them).
    /// </summary>
    /// <param name="model">The networks.</param>
    /// <param name="task">i.</param>
    /// <param name="states">s, [B, obs].</param>
    /// <param name="taskValues">f_i(s), [B, |A|], as the loss's forward pass computed it (only read).</param>
    /// <param name="actions">a, B indices.</param>
    /// <param name="rewards">r (or the n-step return), B values.</param>
    /// <param name="bootstrap">γ^m (1 − terminated) per row, B values: the weight of V_i(s′).</param>
    /// <param name="nextStates">s′, [B, obs].</param>
    /// <param name="regulariseRewards">Add (α/β) log π0(a|s) − (1/β) log π_i(a|s) to the rewards.</param>
    /// <param name="targets">Receives the B targets.</param>
    public static void SoftQTargets(DistralModel model, int task, Tensor states, Tensor taskValues, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
                                    ReadOnlySpan<float> bootstrap, Tensor nextStates, bool regulariseRewards, Span<float> targets)
    {
        var o = model.Options;
        int batch = actions.Length;
        bool needsDistilled = o.Alpha > 0f;
        using var noGrad = Autograd.GradMode.NoGrad();
        rewards.CopyTo(targets);

        // h0 on s and s′ in one pass when both are needed.
        Tensor? distilledLogits = null, nextDistilledLogits = null;
        if (needsDistilled && regulariseRewards)
        {
            var both = model.Distilled.Forward(Tensor.Concat([states, nextStates], 0));
            distilledLogits = both.Narrow(0, 0, batch);
            nextDistilledLogits = both.Narrow(0, batch, batch);
        }
        else if (needsDistilled)
        {
            nextDistilledLogits = model.Distilled.Forward(nextStates);
        }

        if (regulariseRewards)
        {
            var taskTaken = model.TaskLogits(taskValues.Detach(), distilledLogits).LogSoftmax(1).Gather(1, actions).AsReadOnlySpan();
            var distilledTaken = needsDistilled ? distilledLogits!.LogSoftmax(1).Gather(1, actions).AsReadOnlySpan() : new float[batch];
            DistralModel.Regularise(targets, distilledTaken, taskTaken, o.Alpha, o.Beta);
        }
        var nextValues = model.SoftValue(model.Tasks[task].Forward(nextStates), nextDistilledLogits?.LogSoftmax(1)).AsReadOnlySpan();
        for (int b = 0; b < batch; b++) targets[b] += bootstrap[b] * nextValues[b];
    }

    /// <summary>
    /// Soft Q-learning for task i (thesis Alg. 1, line 15): the mean squared error between f_i(s, a), taken from
    /// <paramref name="taskValues"/> = f_i(s), and the targets of <see cref="SoftQTargets"/>. Gradients reach f_i only.
    /// </summary>
    public static Tensor SoftQTask(Tensor taskValues, ReadOnlySpan<int> actions, ReadOnlySpan<float> targets)
    {
        var taken = taskValues.Gather(1, actions).Reshape(actions.Length);
        return Functional.MseLoss(taken, Tensor.FromSpan(targets, targets.Length));
    }

    /// <summary>
    /// π0's maximum-likelihood step (thesis Alg. 1, lines 17–23; eq. 2.68): −(α/β) Σ_rows w · log π0(a|s), with
    /// w = γ^t / (the row's task's sample count), so each task weighs the same and the time discount of the objective
    /// is kept. Gradients reach h0 only.
    /// </summary>
    public static Tensor Distillation(DistralModel model, Tensor states, ReadOnlySpan<int> actions, ReadOnlySpan<float> weights)
    {
        var o = model.Options;
        var logProbabilities = model.Distilled.Forward(states).LogSoftmax(1).Gather(1, actions).Reshape(actions.Length);
        return (logProbabilities * Tensor.FromSpan(weights, weights.Length)).Sum() * (-o.Alpha / o.Beta);
    }

    /// <summary>
    /// The targets and advantages of task i's A2C step after an episode (thesis Alg. 2, lines 19–23; eqs. 2.70–2.73),
    /// outside autograd: with V_i the soft value and r_reg the regularised reward (the raw reward when
    /// <see cref="DistralOptions.RegulariseReward"/> is off), y_t is the n-step target
    /// Σ_{d&lt;n} γ^d r_reg(t+d) + γ^n V_i(s_{t+n}) (cut at the episode's end, where V is 0 if the episode terminated)
    /// and A_t = y_t − V_i(s_t).
    /// </summary>
    /// <param name="model">The networks.</param>
    /// <param name="task">i.</param>
    /// <param name="states">The episode's L states followed by the final next state, [L + 1, obs].</param>
    /// <param name="actions">The L actions.</param>
    /// <param name="rewards">The L environment rewards.</param>
    /// <param name="terminated">Whether the episode ended in a terminal state (else it was truncated and bootstraps).</param>
    /// <param name="targets">Receives the L targets y_t.</param>
    /// <param name="advantages">Receives the L advantages A_t.</param>
    public static void ActorCriticTargets(DistralModel model, int task, Tensor states, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
                                          bool terminated, Span<float> targets, Span<float> advantages)
    {
        var o = model.Options;
        int length = actions.Length;
        using var noGrad = Autograd.GradMode.NoGrad();
        var taskValues = model.Tasks[task].Forward(states);
        var distilledLogits = o.Alpha > 0f ? model.Distilled.Forward(states) : null;
        var distilledLogProbabilities = distilledLogits?.LogSoftmax(1);
        var values = model.SoftValue(taskValues, distilledLogProbabilities).AsReadOnlySpan();   // V(s_0) … V(s_L)
        var taskTaken = model.TaskLogits(taskValues, distilledLogits).LogSoftmax(1).Narrow(0, 0, length).Gather(1, actions).AsReadOnlySpan();
        var distilledTaken = distilledLogProbabilities is null ? new float[length]
            : distilledLogProbabilities.Narrow(0, 0, length).Gather(1, actions).AsReadOnlySpan();
        var regularised = rewards.ToArray();
        if (o.RegulariseReward) DistralModel.Regularise(regularised, distilledTaken, taskTaken, o.Alpha, o.Beta);
        NStepTargets(regularised, values, terminated, o.Gamma, o.NStep).CopyTo(targets);
        for (int t = 0; t < length; t++) advantages[t] = targets[t] - values[t];
    }

    /// <summary>
    /// Task i's regularised A2C loss (thesis Alg. 2, lines 24–25): ½ mean (y_t − V_i(s_t))² − mean A_t log π_i(a_t|s_t),
    /// with the targets and advantages of <see cref="ActorCriticTargets"/> held constant. Gradients reach f_i only;
    /// h0 enters as a constant.
    /// </summary>
    /// <param name="model">The networks.</param>
    /// <param name="task">i.</param>
    /// <param name="states">The episode's L states (a final state after them is ignored), [≥ L, obs].</param>
    /// <param name="actions">The L actions.</param>
    /// <param name="targets">y_t.</param>
    /// <param name="advantages">A_t.</param>
    public static Tensor ActorCriticTask(DistralModel model, int task, Tensor states, ReadOnlySpan<int> actions,
                                         ReadOnlySpan<float> targets, ReadOnlySpan<float> advantages)
    {
        var o = model.Options;
        int length = actions.Length;
        var stepStates = states.Dim(0) == length ? states : states.Narrow(0, 0, length);
        var taskValues = model.Tasks[task].Forward(stepStates);
        Tensor? distilledLogits = null;
        if (o.Alpha > 0f)
            using (Autograd.GradMode.NoGrad())
                distilledLogits = model.Distilled.Forward(stepStates);
        var values = model.SoftValue(taskValues, distilledLogits?.LogSoftmax(1));
        var logProbabilityTaken = model.TaskLogits(taskValues, distilledLogits).LogSoftmax(1).Gather(1, actions).Reshape(length);
        var critic = Functional.MseLoss(values, Tensor.FromSpan(targets, length)) * 0.5f;
        var actor = (logProbabilityTaken * Tensor.FromSpan(advantages, length)).Mean() * -1f;
        return actor + critic;
    }

    /// <summary>π_i(·|s) for a batch of states, [L × |A|] row-major, outside autograd: the constant in π0's policy-gradient step.</summary>
    public static float[] TaskProbabilities(DistralModel model, int task, Tensor states)
    {
        using var noGrad = Autograd.GradMode.NoGrad();
        return model.PolicyLogits(task, states).Softmax(1).ToArray();
    }

    /// <summary>
    /// π0's policy-gradient step over one episode of task i (thesis Alg. 2, lines 27–31; eq. 2.74):
    /// −mean_t A_t log π_i(a_t|s_t) (2-col only, where π_i depends on h0) − (α/β) mean_t γ^t Σ_a π_i(a|s_t) log π0(a|s_t)
    /// with π_i held constant in the second term (<paramref name="taskProbabilities"/>, from <see cref="TaskProbabilities"/>),
    /// whose gradient is (α/β) γ^t Σ_a (π_i − π0) ∇h0 as in eq. 2.74. Gradients reach h0 only.
    /// </summary>
    public static Tensor ActorCriticDistilled(DistralModel model, int task, Tensor states, ReadOnlySpan<int> actions,
                                              ReadOnlySpan<float> advantages, ReadOnlySpan<float> discounts, ReadOnlySpan<float> taskProbabilities)
    {
        var o = model.Options;
        int length = actions.Length;
        var distilledLogits = model.Distilled.Forward(states);
        var constantPolicy = Tensor.FromSpan(taskProbabilities, length, model.ActionCount);
        var crossEntropy = (constantPolicy * distilledLogits.LogSoftmax(1)).Sum(1);             // Σ_a π_i log π0, [L]
        var loss = (crossEntropy * Tensor.FromSpan(discounts, length)).Mean() * (-o.Alpha / o.Beta);
        if (model.TaskPolicyUsesDistilled)
        {
            Tensor taskValues;
            using (Autograd.GradMode.NoGrad()) taskValues = model.Tasks[task].Forward(states);
            var logProbabilityTaken = model.TaskLogits(taskValues, distilledLogits).LogSoftmax(1).Gather(1, actions).Reshape(length);
            loss = loss - (logProbabilityTaken * Tensor.FromSpan(advantages, length)).Mean();
        }
        return loss;
    }

    /// <summary>
    /// y_t = Σ_{d&lt;n, t+d&lt;L} γ^d r(t+d) + γ^k V(s_{t+k}) with k = min(n, L − t), where V(s_L) counts as 0 when the
    /// episode terminated (eq. 2.73); <paramref name="values"/> holds V(s_0) … V(s_L).
    /// </summary>
    public static float[] NStepTargets(ReadOnlySpan<float> rewards, ReadOnlySpan<float> values, bool terminated, float gamma, int n)
    {
        int length = rewards.Length;
        var targets = new float[length];
        for (int t = 0; t < length; t++)
        {
            int horizon = Math.Min(n, length - t);
            double target = 0, discount = 1;
            for (int d = 0; d < horizon; d++)
            {
                target += discount * rewards[t + d];
                discount *= gamma;
            }
            int end = t + horizon;
            if (end < length || !terminated) target += discount * values[end];
            targets[t] = (float)target;
        }
        return targets;
    }
}

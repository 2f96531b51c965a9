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
    /// Soft Q-learning for task i (thesis Alg. 1, lines 13–15): the mean squared error between f_i(s, a) and
    /// y = r_reg + bootstrap · V_i(s′), with V_i the soft value of eq. 2.67 (outside autograd). With
    /// <paramref name="regulariseRewards"/> the KL and entropy terms of r_reg are computed here from the current networks
    /// (1-step TD); otherwise <paramref name="rewards"/> already hold them (n-step returns collected with them).
    /// Gradients reach f_i only.
    /// </summary>
    /// <param name="model">The networks.</param>
    /// <param name="task">i.</param>
    /// <param name="states">s, [B, obs].</param>
    /// <param name="actions">a, B indices.</param>
    /// <param name="rewards">r (or the n-step return), B values.</param>
    /// <param name="bootstrap">γ^m (1 − terminated) per row, B values: the weight of V_i(s′).</param>
    /// <param name="nextStates">s′, [B, obs].</param>
    /// <param name="regulariseRewards">Add (α/β) log π0(a|s) − (1/β) log π_i(a|s) to the rewards.</param>
    public static Tensor SoftQTask(DistralModel model, int task, Tensor states, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
                                   ReadOnlySpan<float> bootstrap, Tensor nextStates, bool regulariseRewards)
    {
        var o = model.Options;
        var taskNetwork = model.Tasks[task];
        int batch = actions.Length;
        var taskValues = taskNetwork.Forward(states);
        var targets = new float[batch];
        rewards.CopyTo(targets);
        using (Autograd.GradMode.NoGrad())
        {
            bool needsDistilled = o.Alpha > 0f;
            var nextDistilledLogProbabilities = needsDistilled ? model.Distilled.Forward(nextStates).LogSoftmax(1) : null;
            var nextValues = model.SoftValue(taskNetwork.Forward(nextStates), nextDistilledLogProbabilities).AsReadOnlySpan();
            if (regulariseRewards)
            {
                var distilledLogits = needsDistilled ? model.Distilled.Forward(states) : null;
                var taskLogProbabilities = model.TaskLogits(taskValues.Detach(), distilledLogits).LogSoftmax(1).Gather(1, actions);
                var distilledLogProbabilities = needsDistilled ? distilledLogits!.LogSoftmax(1).Gather(1, actions).AsReadOnlySpan() : new float[batch];
                DistralModel.Regularise(targets, distilledLogProbabilities, taskLogProbabilities.AsReadOnlySpan(), o.Alpha, o.Beta);
            }
            for (int b = 0; b < batch; b++) targets[b] += bootstrap[b] * nextValues[b];
        }
        var taken = taskValues.Gather(1, actions).Reshape(batch);
        return Functional.MseLoss(taken, Tensor.FromSpan(targets, batch));
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
    /// The regularised A2C step of task i after an episode (thesis Alg. 2, lines 19–25; eqs. 2.70–2.73):
    /// ½ mean (y_t − V_i(s_t))² + mean −A_t log π_i(a_t|s_t), with V_i the soft value, r_reg the regularised reward,
    /// y_t the n-step target Σ_{d&lt;n} γ^d r_reg(t+d) + γ^n V_i(s_{t+n}) (cut at the episode's end, where V is 0 if the
    /// episode terminated) and A_t = y_t − V_i(s_t) held constant. Gradients reach f_i only; h0 enters as a constant.
    /// </summary>
    /// <param name="model">The networks.</param>
    /// <param name="task">i.</param>
    /// <param name="states">The episode's L states followed by the final next state, [L + 1, obs].</param>
    /// <param name="actions">The L actions.</param>
    /// <param name="rewards">The L environment rewards.</param>
    /// <param name="terminated">Whether the episode ended in a terminal state (else it was truncated and bootstraps).</param>
    /// <param name="advantages">Receives the L advantages A_t, for π0's step.</param>
    public static Tensor ActorCriticTask(DistralModel model, int task, Tensor states, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
                                         bool terminated, Span<float> advantages)
    {
        var o = model.Options;
        int length = actions.Length;
        var taskValues = model.Tasks[task].Forward(states);
        Tensor? distilledLogits = null;
        if (o.Alpha > 0f)
            using (Autograd.GradMode.NoGrad())
                distilledLogits = model.Distilled.Forward(states);
        var distilledLogProbabilities = distilledLogits?.LogSoftmax(1);
        var values = model.SoftValue(taskValues, distilledLogProbabilities);                  // [L + 1]
        var taskLogProbabilities = model.TaskLogits(taskValues, distilledLogits).LogSoftmax(1); // [L + 1, A]
        var stepStates = taskLogProbabilities.Narrow(0, 0, length);
        var logProbabilityTaken = stepStates.Gather(1, actions).Reshape(length);

        var regularised = new float[length];
        rewards.CopyTo(regularised);
        var distilledTaken = distilledLogProbabilities is null ? new float[length]
            : distilledLogProbabilities.Narrow(0, 0, length).Gather(1, actions).AsReadOnlySpan().ToArray();
        DistralModel.Regularise(regularised, distilledTaken, logProbabilityTaken.AsReadOnlySpan(), o.Alpha, o.Beta);

        var valueSpan = values.AsReadOnlySpan();
        var targets = NStepTargets(regularised, valueSpan, terminated, o.Gamma, o.NStep);
        for (int t = 0; t < length; t++) advantages[t] = targets[t] - valueSpan[t];

        var stepValues = values.Narrow(0, 0, length);
        var critic = Functional.MseLoss(stepValues, Tensor.FromSpan(targets, length)) * 0.5f;
        var actor = (logProbabilityTaken * Tensor.FromSpan(advantages, length)).Mean() * -1f;
        return actor + critic;
    }

    /// <summary>
    /// π0's policy-gradient step over one episode of task i (thesis Alg. 2, lines 27–31; eq. 2.74):
    /// −mean_t A_t log π_i(a_t|s_t) (2-col only, where π_i depends on h0) − (α/β) mean_t γ^t Σ_a π_i(a|s_t) log π0(a|s_t)
    /// with π_i held constant in the second term, whose gradient is (α/β) γ^t Σ_a (π_i − π0) ∇h0 as in eq. 2.74.
    /// Gradients reach h0 only.
    /// </summary>
    public static Tensor ActorCriticDistilled(DistralModel model, int task, Tensor states, ReadOnlySpan<int> actions,
                                              ReadOnlySpan<float> advantages, ReadOnlySpan<float> discounts)
    {
        var o = model.Options;
        int length = actions.Length;
        var distilledLogits = model.Distilled.Forward(states);
        Tensor taskValues;
        using (Autograd.GradMode.NoGrad()) taskValues = model.Tasks[task].Forward(states);
        var taskLogProbabilities = model.TaskLogits(taskValues, distilledLogits).LogSoftmax(1);
        var taskProbabilities = taskLogProbabilities.Detach().Exp();
        var crossEntropy = (taskProbabilities * distilledLogits.LogSoftmax(1)).Sum(1);             // Σ_a π_i log π0, [L]
        var loss = (crossEntropy * Tensor.FromSpan(discounts, length)).Mean() * (-o.Alpha / o.Beta);
        if (model.TaskPolicyUsesDistilled)
        {
            var logProbabilityTaken = taskLogProbabilities.Gather(1, actions).Reshape(length);
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

using System.Runtime.CompilerServices;
namespace RLKit.Data;

/// <summary>
/// Return estimators on plain spans: generalised advantage estimation over a [steps, envs] rollout and n-step
/// discounted returns over one environment's sequence of transitions. Both keep termination and truncation apart:
/// a terminated step has no future, a truncated step bootstraps from the value of its final observation.
/// </summary>
public static class Returns
{
    /// <summary>
    /// Generalised advantage estimation (Schulman et al. 2016) over a rollout stored row-major as [steps, envs]
    /// (element t·envs + e is step t of environment e).
    /// </summary>
    /// <remarks>
    /// <para>Every stored step is a real transition (s_t, a_t, r_t, s'_t) whose next observation s'_t is the row
    /// t + 1 of the same environment unless the step ended an episode (vector environments in SameStep autoreset
    /// mode, or NextStep mode with the reset steps left out). With V the critic's values, for step t:</para>
    /// <list type="bullet">
    /// <item>terminated: δ_t = r_t − V(s_t) (no future; wins when both flags are set);</item>
    /// <item>truncated: δ_t = r_t + γ·V(final_obs_t) − V(s_t), with V(final_obs_t) = <paramref name="finalValues"/>[t·envs + e],
    /// the value of the true last observation, never of the reset observation stored in the next row;</item>
    /// <item>otherwise: δ_t = r_t + γ·V(s_{t+1}), where V(s_{t+1}) is <paramref name="values"/> of the next row, or
    /// <paramref name="lastValues"/>[e] at the last step.</item>
    /// </list>
    /// <para>A_t = δ_t + γλ·A_{t+1}, except that the recursion stops at an episode boundary (terminated or truncated:
    /// A_t = δ_t) and after the last step. Returns are A_t + V(s_t), the critic's regression targets.
    /// Computed in double precision and stored as float.</para>
    /// </remarks>
    /// <param name="rewards">r, [steps × envs].</param>
    /// <param name="values">V(s_t), [steps × envs].</param>
    /// <param name="terminated">Whether step t reached a terminal state, [steps × envs].</param>
    /// <param name="truncated">Whether step t's episode was cut short (time limit), [steps × envs].</param>
    /// <param name="finalValues">V(final observation) of each step, [steps × envs]; read only where truncated and not terminated.</param>
    /// <param name="lastValues">V of the observation after the last step, one per environment; its length is the env count.</param>
    /// <param name="gamma">Discount γ in [0, 1].</param>
    /// <param name="lambda">GAE λ in [0, 1].</param>
    /// <param name="advantages">Output A, [steps × envs].</param>
    /// <param name="returns">Output A + V, [steps × envs].</param>
    /// <exception cref="ArgumentException">If a span has the wrong length (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If γ or λ is outside [0, 1].</exception>
    [MethodImpl(HotPath.Optimized)]
    public static void Gae(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> finalValues,
        ReadOnlySpan<float> lastValues,
        float gamma,
        float lambda,
        Span<float> advantages,
        Span<float> returns)
    {
        int envs = lastValues.Length;
        if (envs == 0)
            throw new ArgumentException("lastValues must hold one value per environment (at least one).", nameof(lastValues));
        if (rewards.Length % envs != 0)
            throw new ArgumentException($"rewards has {rewards.Length} values, not a multiple of the env count {envs} (lastValues.Length).", nameof(rewards));
        int n = rewards.Length;
        int steps = n / envs;
        DataGuard.Length(values, steps, envs, nameof(values), "steps", "envs");
        DataGuard.Length(terminated, steps, envs, nameof(terminated), "steps", "envs");
        DataGuard.Length(truncated, steps, envs, nameof(truncated), "steps", "envs");
        DataGuard.Length(finalValues, steps, envs, nameof(finalValues), "steps", "envs");
        DataGuard.Length((ReadOnlySpan<float>)advantages, steps, envs, nameof(advantages), "steps", "envs");
        DataGuard.Length((ReadOnlySpan<float>)returns, steps, envs, nameof(returns), "steps", "envs");
        DataGuard.Discount(gamma, nameof(gamma));
        DataGuard.Discount(lambda, nameof(lambda));

        for (int e = 0; e < envs; e++)
        {
            double nextAdvantage = 0;
            double nextValue = lastValues[e];
            for (int t = steps - 1; t >= 0; t--)
            {
                int i = t * envs + e;
                double delta;
                if (terminated[i])
                {
                    delta = rewards[i] - values[i];
                    nextAdvantage = 0;
                }
                else if (truncated[i])
                {
                    delta = rewards[i] + gamma * (double)finalValues[i] - values[i];
                    nextAdvantage = 0;
                }
                else
                {
                    delta = rewards[i] + gamma * nextValue - values[i];
                }
                double advantage = delta + gamma * (double)lambda * nextAdvantage;
                advantages[i] = (float)advantage;
                returns[i] = (float)(advantage + values[i]);
                nextAdvantage = advantage;
                nextValue = values[i];
            }
        }
    }

    /// <summary>
    /// n-step discounted returns over one environment's transitions in time order (transition t is
    /// (s_t, a_t, r_t, s'_t)).
    /// </summary>
    /// <remarks>
    /// <para>For each t the window holds m ≤ n transitions t … t+m−1 and stops early after a transition that ends
    /// the episode (terminated or truncated) or at the end of the data. Then</para>
    /// <list type="bullet">
    /// <item><paramref name="nStepRewards"/>[t] = Σ_{k&lt;m} γ^k · r_{t+k};</item>
    /// <item><paramref name="discounts"/>[t] = γ^m, the discount actually applied to the bootstrap;</item>
    /// <item><paramref name="lastIndices"/>[t] = t + m − 1, the transition whose next observation s'_{t+m−1} is the
    /// n-th next observation (for a truncated transition, its true final observation).</item>
    /// </list>
    /// <para>The target is nStepRewards[t] + discounts[t] · V(s'_{lastIndices[t]}) unless terminated[lastIndices[t]],
    /// in which case it is nStepRewards[t] alone. Truncation cuts the window but still bootstraps.</para>
    /// </remarks>
    /// <param name="rewards">r_t, one per transition.</param>
    /// <param name="terminated">Whether transition t reached a terminal state.</param>
    /// <param name="truncated">Whether transition t's episode was cut short.</param>
    /// <param name="n">The horizon n ≥ 1.</param>
    /// <param name="gamma">Discount γ in [0, 1].</param>
    /// <param name="nStepRewards">Output: discounted reward sums.</param>
    /// <param name="discounts">Output: γ^m.</param>
    /// <param name="lastIndices">Output: t + m − 1.</param>
    /// <exception cref="ArgumentException">If a span has the wrong length (the message names it).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If n &lt; 1 or γ is outside [0, 1].</exception>
    [MethodImpl(HotPath.Optimized)]
    public static void NStep(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        int n,
        float gamma,
        Span<float> nStepRewards,
        Span<float> discounts,
        Span<int> lastIndices)
    {
        int count = rewards.Length;
        const string meaning = "one per transition, rewards.Length";
        DataGuard.Length(terminated, count, nameof(terminated), meaning);
        DataGuard.Length(truncated, count, nameof(truncated), meaning);
        DataGuard.Length((ReadOnlySpan<float>)nStepRewards, count, nameof(nStepRewards), meaning);
        DataGuard.Length((ReadOnlySpan<float>)discounts, count, nameof(discounts), meaning);
        DataGuard.Length((ReadOnlySpan<int>)lastIndices, count, nameof(lastIndices), meaning);
        if (n < 1)
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must be ≥ 1.");
        DataGuard.Discount(gamma, nameof(gamma));

        for (int t = 0; t < count; t++)
        {
            double sum = 0, discount = 1;
            int last = t;
            for (int k = 0; k < n && t + k < count; k++)
            {
                int i = t + k;
                sum += discount * rewards[i];
                discount *= gamma;
                last = i;
                if (terminated[i] || truncated[i]) break;
            }
            nStepRewards[t] = (float)sum;
            discounts[t] = (float)discount;
            lastIndices[t] = last;
        }
    }

    /// <summary>
    /// Standardises advantages in place, (A − mean) / (std + 1e-8) with the unbiased std, as PPO, A2C and REINFORCE
    /// normalise them within a batch of more than one value.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    internal static void Standardize(Span<float> values)
    {
        double mean = 0;
        foreach (float v in values) mean += v;
        mean /= values.Length;
        double squares = 0;
        foreach (float v in values) squares += (v - mean) * (v - mean);
        double scale = 1.0 / (Math.Sqrt(squares / (values.Length - 1)) + 1e-8);
        for (int i = 0; i < values.Length; i++) values[i] = (float)((values[i] - mean) * scale);
    }
}

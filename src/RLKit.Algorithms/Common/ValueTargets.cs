namespace RLKit.Algorithms.Common;

/// <summary>
/// The bootstrap targets shared by the value-based algorithms, computed outside autograd on spans of the next-state
/// Q-values: y = r + discount · (1 − done) · V(s′), where discount is γ^m of an m-step window and done is 1 only for a
/// terminal state (truncated transitions bootstrap).
/// </summary>
internal static class ValueTargets
{
    /// <summary>The index of the largest value in <paramref name="values"/> (the first one on ties).</summary>
    public static int Argmax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int a = 1; a < values.Length; a++)
            if (values[a] > values[best]) best = a;
        return best;
    }

    /// <summary>
    /// DQN targets. Plain DQN takes V(s′) = max_a Q_target(s′, a). Double DQN (van Hasselt et al. 2016) picks the
    /// action with the online network and evaluates it with the target network, V(s′) = Q_target(s′, argmax_a
    /// Q_online(s′, a)), which removes most of the max operator's overestimation.
    /// </summary>
    /// <param name="nextTargetQ">Q_target(s′, ·), row-major [B × actions].</param>
    /// <param name="nextOnlineQ">Q_online(s′, ·), [B × actions], for double DQN; empty for plain DQN.</param>
    /// <param name="actionCount">Actions per row.</param>
    /// <param name="rewards">r (n-step sums), [B].</param>
    /// <param name="discounts">γ^m, [B].</param>
    /// <param name="dones">1 for terminal transitions, [B].</param>
    /// <param name="targets">Written, [B].</param>
    public static void Dqn(ReadOnlySpan<float> nextTargetQ, ReadOnlySpan<float> nextOnlineQ, int actionCount,
                           ReadOnlySpan<float> rewards, ReadOnlySpan<float> discounts, ReadOnlySpan<float> dones, Span<float> targets)
    {
        bool doubleDqn = !nextOnlineQ.IsEmpty;
        for (int b = 0; b < targets.Length; b++)
        {
            var targetRow = nextTargetQ.Slice(b * actionCount, actionCount);
            int action = Argmax(doubleDqn ? nextOnlineQ.Slice(b * actionCount, actionCount) : targetRow);
            targets[b] = rewards[b] + discounts[b] * (1f - dones[b]) * targetRow[action];
        }
    }

    /// <summary>
    /// Soft Q-learning targets: V(s′) is the soft value (1/β) log Σ_a exp(β Q_target(s′, a)) of <see cref="Boltzmann.Value"/>.
    /// </summary>
    public static void Soft(ReadOnlySpan<float> nextTargetQ, int actionCount, float inverseTemperature,
                            ReadOnlySpan<float> rewards, ReadOnlySpan<float> discounts, ReadOnlySpan<float> dones, Span<float> targets)
    {
        for (int b = 0; b < targets.Length; b++)
        {
            float value = Boltzmann.Value(nextTargetQ.Slice(b * actionCount, actionCount), inverseTemperature);
            targets[b] = rewards[b] + discounts[b] * (1f - dones[b]) * value;
        }
    }
}

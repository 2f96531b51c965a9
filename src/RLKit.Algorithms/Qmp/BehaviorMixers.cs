using RLKit.Algorithms.Common;

namespace RLKit.Algorithms.Qmp;

/// <summary>
/// The built-in <see cref="IBehaviorMixer"/>s by name, registered as keyed singletons by <c>AddMultiTaskAlgorithms()</c>:
/// "q-switch" (QMP), "uniform" (QMP-Uniform), "domain" (QMP-Domain), "softmax" (a softmax Q-switch).
/// </summary>
public static class BehaviorMixers
{
    /// <summary>"q-switch": QMP's argmax of the task's Q over every policy's mean action.</summary>
    public const string QSwitch = "q-switch";

    /// <summary>"uniform": QMP-Uniform, every policy equally likely.</summary>
    public const string Uniform = "uniform";

    /// <summary>"domain": QMP-Domain, fixed task-similarity weights (<see cref="QmpOptions.DomainWeights"/>).</summary>
    public const string Domain = "domain";

    /// <summary>"softmax": the Q-switch's softmax, temperature <see cref="QmpOptions.SoftmaxTemperature"/>.</summary>
    public const string Softmax = "softmax";

    /// <summary>Every built-in mixer by name.</summary>
    public static IReadOnlyDictionary<string, IBehaviorMixer> All { get; } = new Dictionary<string, IBehaviorMixer>(StringComparer.Ordinal)
    {
        [QSwitch] = new QSwitchMixer(),
        [Uniform] = new UniformMixer(),
        [Domain] = new DomainMixer(),
        [Softmax] = new SoftmaxMixer(),
    };

    /// <summary>The built-in names, in the order above.</summary>
    public static IReadOnlyList<string> Names { get; } = [QSwitch, Uniform, Domain, Softmax];
}

/// <summary>
/// QMP's Q-switch (seed 002 §4.3): row r of task i executes the sampled action of argmax_j Q_i(s_r, ā_j), ā_j the mean
/// action of π_j. Ties go to the lowest index.
/// </summary>
public sealed class QSwitchMixer : IBehaviorMixer
{
    /// <inheritdoc/>
    public void Choose(BehaviorMixingContext context, Span<int> policies)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scores = context.Scores();
        int tasks = context.TaskCount;
        for (int r = 0; r < context.RowCount; r++) policies[r] = ValueTargets.Argmax(scores.Slice(r * tasks, tasks));
    }
}

/// <summary>QMP-Uniform: every policy with probability 1/T, ignoring the critics.</summary>
public sealed class UniformMixer : IBehaviorMixer
{
    /// <inheritdoc/>
    public void Choose(BehaviorMixingContext context, Span<int> policies)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (int r = 0; r < context.RowCount; r++) policies[r] = context.Random.NextInt(context.TaskCount);
    }
}

/// <summary>QMP-Domain: task i picks policy j with probability w_ij / Σ_k w_ik, the fixed weights of <see cref="QmpOptions.DomainWeights"/>.</summary>
public sealed class DomainMixer : IBehaviorMixer
{
    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">If the options hold no domain weights, or not T × T of them.</exception>
    public void Choose(BehaviorMixingContext context, Span<int> policies)
    {
        ArgumentNullException.ThrowIfNull(context);
        var weights = context.Options.DomainWeights;
        if (weights is null || weights.Count != context.TaskCount)
            throw new InvalidOperationException($"The domain mixer needs QmpOptions.DomainWeights, {context.TaskCount} × {context.TaskCount}; got {(weights is null ? "none" : $"{weights.Count} rows")}.");
        for (int r = 0; r < context.RowCount; r++)
        {
            // Inverse CDF over the row's unnormalised weights; zero weights are never picked.
            var row = weights[context.RowTasks[r]];
            double total = 0;
            foreach (float w in row) total += w;
            double threshold = context.Random.NextDouble() * total, cumulative = 0;
            int chosen = -1;
            for (int j = 0; j < row.Count && (chosen < 0 || cumulative <= threshold); j++)
            {
                if (row[j] <= 0f) continue;
                cumulative += row[j];
                chosen = j;
            }
            policies[r] = chosen;
        }
    }
}

/// <summary>
/// A softmax Q-switch: row r of task i picks policy j with probability ∝ exp(Q_i(s_r, ā_j) / τ), τ =
/// <see cref="QmpOptions.SoftmaxTemperature"/> (max-subtracted, so large values cannot overflow).
/// </summary>
public sealed class SoftmaxMixer : IBehaviorMixer
{
    /// <inheritdoc/>
    public void Choose(BehaviorMixingContext context, Span<int> policies)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scores = context.Scores();
        int tasks = context.TaskCount;
        float inverseTemperature = 1f / context.Options.SoftmaxTemperature;
        for (int r = 0; r < context.RowCount; r++)
            policies[r] = Boltzmann.SampleBoltzmann(scores.Slice(r * tasks, tasks), inverseTemperature, context.Random);
    }
}

using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The two pieces of maximum-entropy discrete control (Haarnoja et al. 2017; Distral, Teh et al. 2017) that soft
/// Q-learning and Distral share, with inverse temperature β: the soft value V(s) = (1/β) log Σ_a exp(β Q(s, a)) and
/// the Boltzmann policy π(a|s) ∝ exp(β Q(s, a)). Both subtract max_a Q first, so large β·Q never overflows.
/// </summary>
internal static class Boltzmann
{
    /// <summary>V = max Q + (1/β) log Σ_a exp(β (Q(a) − max Q)), for one row of Q-values.</summary>
    public static float Value(ReadOnlySpan<float> qValues, float inverseTemperature)
    {
        float max = TensorPrimitives.Max(qValues);
        double sum = 0;
        for (int a = 0; a < qValues.Length; a++) sum += Math.Exp(inverseTemperature * (qValues[a] - max));
        return max + (float)(Math.Log(sum) / inverseTemperature);
    }

    /// <summary>Writes π(a) = exp(β (Q(a) − max Q)) / Σ_a′ exp(β (Q(a′) − max Q)) for one row.</summary>
    public static void BoltzmannProbabilities(ReadOnlySpan<float> qValues, float inverseTemperature, Span<float> probabilities)
    {
        float max = TensorPrimitives.Max(qValues);
        double sum = 0;
        for (int a = 0; a < qValues.Length; a++)
        {
            float weight = MathF.Exp(inverseTemperature * (qValues[a] - max));
            probabilities[a] = weight;
            sum += weight;
        }
        float scale = (float)(1.0 / sum);
        for (int a = 0; a < qValues.Length; a++) probabilities[a] *= scale;
    }

    /// <summary>Samples a ∼ π(·|s) ∝ exp(β Q(s, ·)) for one row, without allocating (inverse CDF over the unnormalised weights).</summary>
    public static int SampleBoltzmann(ReadOnlySpan<float> qValues, float inverseTemperature, RandomGenerator rng)
    {
        float max = TensorPrimitives.Max(qValues);
        double total = 0;
        for (int a = 0; a < qValues.Length; a++) total += Math.Exp(inverseTemperature * (qValues[a] - max));
        double threshold = rng.NextDouble() * total;
        double cumulative = 0;
        for (int a = 0; a < qValues.Length; a++)
        {
            cumulative += Math.Exp(inverseTemperature * (qValues[a] - max));
            if (threshold < cumulative) return a;
        }
        return ValueTargets.Argmax(qValues); // rounding left the threshold at the very top; the max has weight 1
    }
}

using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// A training batch of B actions × up to K observations each, padded to K: the observations [B·K, Steps, Features]
/// (action-major, padding rows zero), the mask [B, K] (1 for a real observation) and the inverse counts [B, 1], so
/// one forward pass handles the whole batch.
/// </summary>
internal sealed record ObservationBatch(Tensor Observations, Tensor Mask, Tensor InverseCounts)
{
    /// <summary>The number of actions B.</summary>
    public int Actions => Mask.Dim(0);

    /// <summary>The padded number of observations per action K.</summary>
    public int Slots => Mask.Dim(1);

    /// <summary>
    /// Draws up to <paramref name="perAction"/> observations of each of <paramref name="actions"/> without replacement
    /// (all of them when the action has fewer) with <paramref name="rng"/>.
    /// </summary>
    public static ObservationBatch Sample(ActionObservationSet set, ReadOnlySpan<int> actions, int perAction, RandomGenerator rng)
    {
        int slots = 1;
        foreach (int a in actions) slots = Math.Max(slots, Math.Min(perAction, set.ObservationCount(a)));
        int size = set.ObservationSize, batch = actions.Length;
        var observations = Tensor.Zeros(batch * slots, set.Steps, set.Features);
        var mask = Tensor.Zeros(batch, slots);
        var inverse = Tensor.Zeros(batch, 1);
        var data = observations.AsSpan();
        var maskData = mask.AsSpan();
        var inverseData = inverse.AsSpan();
        int[] indices = new int[slots];
        int[] pool = [];
        for (int b = 0; b < batch; b++)
        {
            int action = actions[b], count = set.ObservationCount(action), taken = Math.Min(perAction, count);
            var source = set.Observations(action);
            if (taken == count)
            {
                for (int k = 0; k < taken; k++) indices[k] = k;
            }
            else
            {
                // A partial Fisher–Yates shuffle: the first `taken` entries are a uniform sample without replacement.
                if (pool.Length < count) pool = new int[count];
                for (int i = 0; i < count; i++) pool[i] = i;
                for (int k = 0; k < taken; k++)
                {
                    int j = rng.NextInt(k, count);
                    (pool[k], pool[j]) = (pool[j], pool[k]);
                    indices[k] = pool[k];
                }
            }
            for (int k = 0; k < taken; k++)
            {
                source.Slice(indices[k] * size, size).CopyTo(data.Slice((b * slots + k) * size, size));
                maskData[b * slots + k] = 1f;
            }
            inverseData[b] = 1f / taken;
        }
        return new ObservationBatch(observations, mask, inverse);
    }
}

using RLKit.Tensors;

namespace RLKit.Envs.Recommender;

/// <summary>
/// A simulated user's interest vector in [−1, 1]^D and its drift after a click (RecSim's interest-evolution user,
/// as seed 003 A.3 describes it).
/// </summary>
/// <remarks>
/// A new user draws each entry from U(−1, 1). After clicking item e (a unit vector), the user moves by
/// Δ = y · (1 − |u|) ⊙ e towards the item with probability (1 + u·e)/2 (u·e clamped to [−1, 1]) and away from it
/// otherwise, with y the update rate. The (1 − |u|) factor keeps every entry in [−1, 1]; y = 0 freezes the user.
/// </remarks>
internal sealed class UserPreference(int size, float updateRate)
{
    private readonly float[] _vector = new float[size];

    public ReadOnlySpan<float> Vector => _vector;

    public void Resample(RandomGenerator rng) => rng.FillUniform(_vector, -1f, 1f);

    public float Affinity(ReadOnlySpan<float> item) => TensorPrimitives.Dot<float>(_vector, item);

    public void Click(ReadOnlySpan<float> item, RandomGenerator rng)
    {
        if (updateRate == 0f) return;
        float alignment = Math.Clamp(Affinity(item), -1f, 1f);
        float sign = rng.NextDouble() < (1.0 + alignment) / 2.0 ? 1f : -1f;
        for (int i = 0; i < _vector.Length; i++)
        {
            float u = _vector[i];
            _vector[i] = Math.Clamp(u + sign * updateRate * (1f - Math.Abs(u)) * item[i], -1f, 1f);
        }
    }

    public void WriteTo(Span<float> observation) => _vector.CopyTo(observation);
}

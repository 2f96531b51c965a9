using RLKit.Tensors;

namespace RLKit.Optim;

/// <summary>Target-network updates: Polyak averaging (soft update) and hard copies.</summary>
public static class Polyak
{
    /// <summary>
    /// target ← (1 − τ)·target + τ·source, element-wise for each pair, in place and outside autograd.
    /// </summary>
    /// <param name="target">Tensors updated in place (for example a target network's parameters).</param>
    /// <param name="source">Tensors of the same shapes, in the same order.</param>
    /// <param name="tau">τ, in [0, 1]; 1 copies, 0 leaves the target unchanged.</param>
    /// <exception cref="ArgumentOutOfRangeException">If τ is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">If the lists differ in length or a pair differs in shape.</exception>
    public static void SoftUpdate(IReadOnlyList<Tensor> target, IReadOnlyList<Tensor> source, float tau)
    {
        if (!(tau >= 0 && tau <= 1))
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "Polyak.SoftUpdate: tau must lie in [0, 1].");
        Validate(target, source, nameof(SoftUpdate));
        for (int i = 0; i < target.Count; i++)
        {
            var t = target[i].AsSpan();
            TensorPrimitives.Lerp(t, source[i].AsReadOnlySpan(), tau, t);
        }
    }

    /// <summary>Copies every source tensor's values into the matching target tensor.</summary>
    /// <exception cref="ArgumentException">If the lists differ in length or a pair differs in shape.</exception>
    public static void HardUpdate(IReadOnlyList<Tensor> target, IReadOnlyList<Tensor> source)
    {
        Validate(target, source, nameof(HardUpdate));
        for (int i = 0; i < target.Count; i++) source[i].AsReadOnlySpan().CopyTo(target[i].AsSpan());
    }

    private static void Validate(IReadOnlyList<Tensor> target, IReadOnlyList<Tensor> source, string op)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        if (target.Count != source.Count)
            throw new ArgumentException($"Polyak.{op}: target has {target.Count} tensors but source has {source.Count}.", nameof(source));
        for (int i = 0; i < target.Count; i++)
        {
            var t = target[i] ?? throw new ArgumentException($"Polyak.{op}: target[{i}] is null.", nameof(target));
            var s = source[i] ?? throw new ArgumentException($"Polyak.{op}: source[{i}] is null.", nameof(source));
            if (!t.Shape.SequenceEqual(s.Shape))
                throw new ArgumentException($"Polyak.{op}: tensor {i} has shape {Tensor.ShapeString(t.Shape)} in target but {Tensor.ShapeString(s.Shape)} in source.", nameof(source));
        }
    }
}

using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// Shared handling of "nonzero = allowed" masks in the attention modules: the scores of blocked pairs are filled
/// with <see cref="BlockedScore"/> before the softmax, so those pairs get exactly zero weight (e^(−1e9 − max)
/// underflows to 0 in float32) while no infinities enter the graph.
/// </summary>
internal static class AttentionMask
{
    /// <summary>The score given to blocked pairs; finite so that a row with no allowed pair stays finite (uniform).</summary>
    public const float BlockedScore = -1e9f;

    /// <summary>A constant tensor (no gradient) holding 1 where <paramref name="mask"/> is zero, else 0.</summary>
    public static Tensor Blocked(Tensor mask)
    {
        var blocked = Tensor.Zeros(mask.ShapeArray());
        var source = mask.AsReadOnlySpan();
        var destination = blocked.AsSpan();
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] == 0f ? 1f : 0f;
        return blocked;
    }
}

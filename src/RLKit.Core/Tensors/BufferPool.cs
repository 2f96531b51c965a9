namespace RLKit.Tensors;

/// <summary>
/// A per-thread pool of float arrays bucketed by exact length. RL training repeats the same shapes every
/// step, so exact buckets give a near-perfect hit rate and keep steady-state allocation near zero.
/// </summary>
internal static class BufferPool
{
    // A pool only keeps what one step had live at once (a scope returns everything at its end), so the cap guards
    // against one-off peaks, not steady state; 64 was below what an update with several networks keeps live per shape
    // (SAVO's k actors and surrogates at batch 256 × width 256), which then allocated ~50 MB a step.
    private const int MaxArraysPerLength = 512;

    [ThreadStatic] private static Dictionary<int, Stack<float[]>>? t_buckets;

    public static float[] Rent(int length, bool clear)
    {
        if (length == 0) return [];
        var buckets = t_buckets ??= new Dictionary<int, Stack<float[]>>();
        if (buckets.TryGetValue(length, out var stack) && stack.TryPop(out var array))
        {
            if (clear) Array.Clear(array);
            return array;
        }
        return new float[length];
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0) return;
        var buckets = t_buckets ??= new Dictionary<int, Stack<float[]>>();
        if (!buckets.TryGetValue(array.Length, out var stack))
        {
            stack = new Stack<float[]>();
            buckets[array.Length] = stack;
        }
        if (stack.Count < MaxArraysPerLength) stack.Push(array);
    }
}

namespace RLKit.Tensors;

/// <summary>
/// A per-thread pool of float arrays bucketed by exact length. RL training repeats the same shapes every
/// step, so exact buckets give a near-perfect hit rate and keep steady-state allocation near zero.
/// </summary>
/// <remarks>
/// Shapes that change from step to step (an update per episode, whose batch is the episode's length) would otherwise
/// leave a bucket behind for every length ever seen: the pool also caps the floats it retains per thread, and empties
/// itself when a return would go past the cap, so what it keeps is bounded whatever the workload.
/// </remarks>
internal static class BufferPool
{
    // A pool only keeps what one step had live at once (a scope returns everything at its end), so the cap guards
    // against one-off peaks, not steady state; 64 was below what an update with several networks keeps live per shape
    // (SAVO's k actors and surrogates at batch 256 × width 256), which then allocated ~50 MB a step.
    private const int MaxArraysPerLength = 512;

    /// <summary>
    /// Floats retained per thread: 64 M (256 MiB), several times a SAVO update's live set at [256, 256] and batch 256.
    /// Without it, a Mix &amp; Mask sweep of the state-dependent Cholesky variant ([length, 128, 128] tensors, a new
    /// length every episode) grew to 24 GB and was killed.
    /// </summary>
    internal const long MaxRetainedFloats = 64L * 1024 * 1024;

    [ThreadStatic] private static Dictionary<int, Stack<float[]>>? t_buckets;
    [ThreadStatic] private static long t_retained;

    /// <summary>The floats this thread's pool holds now.</summary>
    internal static long RetainedFloats => t_retained;

    public static float[] Rent(int length, bool clear)
    {
        if (length == 0) return [];
        var buckets = t_buckets ??= new Dictionary<int, Stack<float[]>>();
        if (buckets.TryGetValue(length, out var stack) && stack.TryPop(out var array))
        {
            t_retained -= length;
            if (clear) Array.Clear(array);
            return array;
        }
        return new float[length];
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0 || array.Length > MaxRetainedFloats) return;
        var buckets = t_buckets ??= new Dictionary<int, Stack<float[]>>();
        if (t_retained + array.Length > MaxRetainedFloats)
        {
            // Past the cap: the retained arrays are mostly lengths no longer in use, so let the collector have them all.
            buckets.Clear();
            t_retained = 0;
        }
        if (!buckets.TryGetValue(array.Length, out var stack))
        {
            stack = new Stack<float[]>();
            buckets[array.Length] = stack;
        }
        if (stack.Count >= MaxArraysPerLength) return;
        stack.Push(array);
        t_retained += array.Length;
    }
}

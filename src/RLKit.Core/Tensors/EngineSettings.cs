namespace RLKit.Tensors;

/// <summary>
/// Process-wide knobs of the tensor engine's compute kernels (GEMM and friends).
/// </summary>
/// <remarks>
/// Results never depend on these settings: kernels partition work statically so that every output
/// element is computed by exactly one thread in exactly the same order, whatever the thread count.
/// </remarks>
public static class EngineSettings
{
    private static int maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// Gets or sets the maximum number of threads a single engine kernel call may use.
    /// Defaults to <see cref="Environment.ProcessorCount"/>; set it to 1 to keep every kernel on the calling thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref maxDegreeOfParallelism);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value),
                    value,
                    $"{nameof(MaxDegreeOfParallelism)} must be at least 1 (allowed range: 1 to {int.MaxValue}); got {value}.");
            }

            Volatile.Write(ref maxDegreeOfParallelism, value);
        }
    }
}

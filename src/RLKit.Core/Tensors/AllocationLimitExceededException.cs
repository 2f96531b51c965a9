namespace RLKit.Tensors;

/// <summary>
/// A tensor allocation that would pass the limit of an allocation-limited scope (see
/// <c>Tensor.LimitAllocations</c>); thrown before anything is allocated.
/// </summary>
internal sealed class AllocationLimitExceededException(long requested, long remaining)
    : InvalidOperationException($"A tensor of {requested} floats was requested while at most {remaining} more may be allocated here.")
{
    /// <summary>The floats the refused allocation asked for.</summary>
    public long Requested { get; } = requested;

    /// <summary>The floats that could still be allocated.</summary>
    public long Remaining { get; } = remaining;
}

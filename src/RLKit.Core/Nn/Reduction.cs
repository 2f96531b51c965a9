namespace RLKit.Nn;

/// <summary>How a loss combines its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over all elements (a scalar).</summary>
    Mean,

    /// <summary>The sum over all elements (a scalar).</summary>
    Sum,

    /// <summary>No reduction: one loss value per element (per sample for cross-entropy).</summary>
    None,
}

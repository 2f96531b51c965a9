namespace RLKit.Training;

/// <summary>
/// An options record whose seed may be left unset, so that an <see cref="Hosting.RLContext"/> can take it from its seed
/// stream. The seed rule (see <see cref="Hosting.RLContext"/>, "Seeds"): an explicit seed wins; otherwise the context's
/// stream decides; without a context an unset seed is 0.
/// </summary>
public interface ISeedableOptions
{
    /// <summary>The seed of everything random in one <c>Fit</c> (0 while unset).</summary>
    ulong Seed { get; }

    /// <summary>
    /// True once <see cref="Seed"/> was set (in an object initializer, a <c>with</c> expression, or a configuration
    /// file's "seed" key), even to 0; false for the record's default.
    /// </summary>
    bool IsSeedSet { get; }
}

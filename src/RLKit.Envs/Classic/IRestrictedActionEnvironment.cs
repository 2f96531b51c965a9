namespace RLKit.Envs.Classic;

/// <summary>An environment whose continuous actions may be restricted to a union of hyperspheres (seed 003 §4.5).</summary>
public interface IRestrictedActionEnvironment
{
    /// <summary>The restriction, or null when every action is valid.</summary>
    HypersphereActionRestriction? Restriction { get; }

    /// <summary>
    /// Whether <paramref name="action"/> acts normally (true whenever <see cref="Restriction"/> is null). The test is
    /// made on the action after clipping to the action space, as Step does.
    /// </summary>
    bool IsValidAction(ReadOnlySpan<float> action);
}

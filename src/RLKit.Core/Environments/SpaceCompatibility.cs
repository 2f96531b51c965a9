using RLKit.Spaces;

namespace RLKit.Environments;

/// <summary>
/// Whether two spaces describe the same set, for vector environments and task sets whose members must agree.
/// Action sets agree when their universe size and representation size do: availability and representations
/// legitimately differ between instances and episodes. Action lists agree when their lengths and action sets do.
/// </summary>
internal static class SpaceCompatibility
{
    public static bool Same(Space a, Space b)
    {
        if (ReferenceEquals(a, b)) return true;
        return (a, b) switch
        {
            (Discrete x, Discrete y) => x.N == y.N && x.Start == y.Start,
            (Box x, Box y) => x.Shape.AsSpan().SequenceEqual(y.Shape) && x.Low.SequenceEqual(y.Low) && x.High.SequenceEqual(y.High),
            (MultiDiscrete x, MultiDiscrete y) => x.Nvec.SequenceEqual(y.Nvec),
            (ActionSet x, ActionSet y) => x.Count == y.Count && x.RepresentationSize == y.RepresentationSize,
            (ActionList x, ActionList y) => x.Length == y.Length && Same(x.Items, y.Items),
            _ => a.GetType() == b.GetType() && a.Shape.AsSpan().SequenceEqual(b.Shape) && a.Description == b.Description,
        };
    }

    /// <summary>
    /// The first of <paramref name="environment"/>'s spaces that differs from the expected one ("observation" before
    /// "action"), or null when both agree: the check a task set's members must pass, whoever makes it.
    /// </summary>
    public static (string Kind, Space Actual, Space Expected)? FirstMismatch(IEnvironment environment, Space observationSpace, Space actionSpace) =>
        !Same(observationSpace, environment.ObservationSpace) ? ("observation", environment.ObservationSpace, observationSpace)
        : !Same(actionSpace, environment.ActionSpace) ? ("action", environment.ActionSpace, actionSpace)
        : null;
}

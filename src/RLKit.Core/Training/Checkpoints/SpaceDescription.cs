using RLKit.Spaces;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// A JSON-friendly description of a <see cref="Space"/>, stored in checkpoints so a loader can rebuild the agent's
/// spaces and check that an environment matches.
/// </summary>
/// <param name="Kind">"Discrete", "MultiDiscrete", "Box" or "ActionSet" (or the type name of another space).</param>
/// <param name="Shape">The space's shape.</param>
/// <param name="Description">The space's human-readable description, e.g. "Discrete(2)".</param>
/// <param name="N">Discrete: the number of actions.</param>
/// <param name="Start">Discrete: the first action id.</param>
/// <param name="Nvec">MultiDiscrete: the number of choices per component.</param>
/// <param name="Low">Box: the lower bounds, flattened (may hold infinities).</param>
/// <param name="High">Box: the upper bounds, flattened (may hold infinities).</param>
/// <param name="Count">ActionSet: the size of the action universe.</param>
/// <param name="RepresentationSize">ActionSet: the length of each action's representation vector.</param>
public sealed record SpaceDescription(
    string Kind,
    int[] Shape,
    string Description,
    int? N = null,
    int? Start = null,
    int[]? Nvec = null,
    float[]? Low = null,
    float[]? High = null,
    int? Count = null,
    int? RepresentationSize = null)
{
    /// <summary>Describes <paramref name="space"/>.</summary>
    public static SpaceDescription Of(Space space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space switch
        {
            Discrete d => new SpaceDescription("Discrete", d.Shape, d.Description, N: d.N, Start: d.Start),
            MultiDiscrete m => new SpaceDescription("MultiDiscrete", m.Shape, m.Description, Nvec: m.Nvec.ToArray()),
            Box b => new SpaceDescription("Box", b.Shape, b.Description, Low: b.Low.ToArray(), High: b.High.ToArray()),
            ActionSet a => new SpaceDescription("ActionSet", a.Shape, a.Description, Count: a.Count, RepresentationSize: a.RepresentationSize),
            _ => new SpaceDescription(space.GetType().Name, space.Shape, space.Description),
        };
    }

    /// <summary>
    /// Rebuilds the space. An ActionSet comes back with its universe and representation sizes, zero representations
    /// and every action available: representations belong to the environment, not the checkpoint.
    /// </summary>
    /// <exception cref="NotSupportedException">For a space kind RLKit does not know.</exception>
    public Space ToSpace() => Kind switch
    {
        "Discrete" => new Discrete(N ?? throw Missing(nameof(N)), Start ?? 0),
        "MultiDiscrete" => new MultiDiscrete(Nvec ?? throw Missing(nameof(Nvec))),
        "Box" => new Box(Low ?? throw Missing(nameof(Low)), High ?? throw Missing(nameof(High)), Shape),
        "ActionSet" => new ActionSet(Count ?? throw Missing(nameof(Count)), RepresentationSize ?? throw Missing(nameof(RepresentationSize)),
                                     new float[(Count ?? 0) * (RepresentationSize ?? 0)]),
        _ => throw new NotSupportedException($"SpaceDescription.ToSpace: cannot rebuild a space of kind '{Kind}' ({Description})."),
    };

    /// <summary>True when both describe the same set of values (ActionSets: the same universe and representation sizes).</summary>
    public bool Matches(SpaceDescription other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Kind == other.Kind && Shape.AsSpan().SequenceEqual(other.Shape) && N == other.N && Start == other.Start
            && SameOrBothNull(Nvec, other.Nvec) && SameOrBothNull(Low, other.Low) && SameOrBothNull(High, other.High)
            && Count == other.Count && RepresentationSize == other.RepresentationSize;
    }

    private static bool SameOrBothNull<T>(T[]? a, T[]? b) where T : IEquatable<T> =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private InvalidDataException Missing(string field) =>
        new($"SpaceDescription: a '{Kind}' space description has no '{field}'.");
}

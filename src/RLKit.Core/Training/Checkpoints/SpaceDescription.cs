using RLKit.Spaces;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// A JSON-friendly description of a <see cref="Space"/>, stored in checkpoints so a loader can rebuild the agent's
/// spaces and check that an environment matches.
/// </summary>
/// <param name="Kind">"Discrete", "MultiDiscrete", "Box", "ActionSet" or "ActionList" (or the type name of another space).</param>
/// <param name="Shape">The space's shape.</param>
/// <param name="Description">The space's human-readable description, e.g. "Discrete(2)".</param>
/// <param name="N">Discrete: the number of actions.</param>
/// <param name="Start">Discrete: the first action id.</param>
/// <param name="Nvec">MultiDiscrete: the number of choices per component.</param>
/// <param name="Low">Box: the lower bounds, flattened (may hold infinities).</param>
/// <param name="High">Box: the upper bounds, flattened (may hold infinities).</param>
/// <param name="Count">ActionSet and ActionList: the size of the action universe.</param>
/// <param name="RepresentationSize">ActionSet and ActionList: the length of each action's representation vector.</param>
/// <param name="Length">ActionList: how many distinct actions one list holds.</param>
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
    int? RepresentationSize = null,
    int? Length = null)
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
            ActionList l => new SpaceDescription("ActionList", l.Shape, l.Description, Count: l.Items.Count, RepresentationSize: l.Items.RepresentationSize, Length: l.Length),
            _ => new SpaceDescription(space.GetType().Name, space.Shape, space.Description),
        };
    }

    /// <summary>
    /// Rebuilds the space. An ActionSet comes back with its universe and representation sizes, zero representations
    /// and every action available: representations belong to the environment, not the checkpoint. An ActionList comes
    /// back as its length over such an ActionSet.
    /// </summary>
    /// <exception cref="NotSupportedException">For a space kind RLKit does not know.</exception>
    /// <exception cref="InvalidDataException">
    /// If a field is missing, an ActionSet's (or ActionList's universe) sizes are impossible or beyond
    /// <see cref="MaxActionSetFloats"/>, or an ActionList's length lies outside [1, Count].
    /// </exception>
    public Space ToSpace() => Kind switch
    {
        "Discrete" => new Discrete(N ?? throw Missing(nameof(N)), Start ?? 0),
        "MultiDiscrete" => new MultiDiscrete(Nvec ?? throw Missing(nameof(Nvec))),
        "Box" => new Box(Low ?? throw Missing(nameof(Low)), High ?? throw Missing(nameof(High)), Shape),
        "ActionSet" => StoredActionSet(),
        "ActionList" => StoredActionList(),
        _ => throw new NotSupportedException($"SpaceDescription.ToSpace: cannot rebuild a space of kind '{Kind}' ({Description})."),
    };

    /// <summary>True when both describe the same set of values (ActionSets: the same universe and representation sizes; ActionLists: also the same length).</summary>
    public bool Matches(SpaceDescription other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Kind == other.Kind && Shape.AsSpan().SequenceEqual(other.Shape) && N == other.N && Start == other.Start
            && SameOrBothNull(Nvec, other.Nvec) && SameOrBothNull(Low, other.Low) && SameOrBothNull(High, other.High)
            && Count == other.Count && RepresentationSize == other.RepresentationSize && Length == other.Length;
    }

    private static bool SameOrBothNull<T>(T[]? a, T[]? b) where T : IEquatable<T> =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>The most representation floats (actions × representation size) a stored ActionSet may ask to allocate: 2^26 (256 MB).</summary>
    public const long MaxActionSetFloats = 1L << 26;

    // The sizes come from a file: check them before they size an allocation.
    private ActionSet StoredActionSet()
    {
        int count = Count ?? throw Missing(nameof(Count));
        int size = RepresentationSize ?? throw Missing(nameof(RepresentationSize));
        long floats = (long)count * size;
        if (count < 1 || size < 0 || floats > MaxActionSetFloats)
            throw new InvalidDataException(
                $"SpaceDescription: an ActionSet of {count} actions with representations of {size} floats cannot be rebuilt: the count must be ≥ 1, " +
                $"the representation size ≥ 0, and their product at most {MaxActionSetFloats}.");
        return new ActionSet(count, size, new float[floats]);
    }

    private ActionList StoredActionList()
    {
        int length = Length ?? throw Missing(nameof(Length));
        var items = StoredActionSet();
        if (length < 1 || length > items.Count)
            throw new InvalidDataException(
                $"SpaceDescription: an ActionList of {length} actions from a universe of {items.Count} cannot be rebuilt: the length must lie in [1, {items.Count}].");
        return new ActionList(items, length);
    }

    private InvalidDataException Missing(string field) =>
        new($"SpaceDescription: a '{Kind}' space description has no '{field}'.");
}

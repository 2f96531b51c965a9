using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Envs.Classic;

/// <summary>
/// The valid region of a restricted action space: a union of hyperspheres in the action box normalised to
/// [−1, 1]ᵈ (see <see cref="ActionRestrictionOptions"/>). An action a is valid when, for some sphere i,
/// ‖n(a) − cᵢ‖ ≤ rᵢ with n(a)ⱼ = 2(aⱼ − lowⱼ)/(highⱼ − lowⱼ) − 1.
/// </summary>
public sealed class HypersphereActionRestriction
{
    private readonly float[] _centres;
    private readonly float[] _radii;
    private readonly float[] _low, _high;

    /// <summary>Draws the spheres for <paramref name="actionSpace"/> from <paramref name="options"/>.Seed.</summary>
    /// <exception cref="ArgumentException">If the action space is unbounded.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of its documented range.</exception>
    public HypersphereActionRestriction(Box actionSpace, ActionRestrictionOptions options)
    {
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!actionSpace.IsBounded)
            throw new ArgumentException($"A hypersphere restriction needs a bounded action space, got {actionSpace.Description}.", nameof(actionSpace));
        Options = options;
        _low = actionSpace.Low.ToArray();
        _high = actionSpace.High.ToArray();
        Dimension = _low.Length;
        var random = new RandomGenerator(options.Seed);
        _centres = new float[options.SphereCount * Dimension];
        _radii = new float[options.SphereCount];
        for (int i = 0; i < options.SphereCount; i++)
        {
            for (int j = 0; j < Dimension; j++) _centres[i * Dimension + j] = (float)random.UniformDouble(-1, 1);
            _radii[i] = (float)random.UniformDouble(options.MinRadius, options.MaxRadius);
        }
    }

    /// <summary>The options the spheres were drawn from.</summary>
    public ActionRestrictionOptions Options { get; }

    /// <summary>The action dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The number of spheres.</summary>
    public int SphereCount => _radii.Length;

    /// <summary>Sphere centres in normalised action units, row-major [SphereCount, Dimension].</summary>
    public ReadOnlySpan<float> Centres => _centres;

    /// <summary>Sphere radii in normalised action units.</summary>
    public ReadOnlySpan<float> Radii => _radii;

    /// <summary>Whether <paramref name="action"/> (in the environment's units) lies in some sphere.</summary>
    /// <exception cref="ArgumentException">If the length is not <see cref="Dimension"/>.</exception>
    public bool IsValid(ReadOnlySpan<float> action)
    {
        if (action.Length != Dimension)
            throw new ArgumentException($"Restricted action space: expected {Dimension} values, got {action.Length}.", nameof(action));
        for (int i = 0; i < _radii.Length; i++)
        {
            double distanceSquared = 0;
            for (int j = 0; j < Dimension; j++)
            {
                double normalised = 2.0 * (action[j] - _low[j]) / (_high[j] - _low[j]) - 1.0;
                double d = normalised - _centres[i * Dimension + j];
                distanceSquared += d * d;
            }
            if (distanceSquared <= (double)_radii[i] * _radii[i]) return true;
        }
        return false;
    }
}

using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// Seed 003 ch. 2's nearest-neighbour baseline: the inner agent (a standard discrete policy over the universe) chooses
/// among <c>sourceActions</c> (e.g. the training actions), and each choice is replaced by the available action whose
/// representation is nearest to the chosen one's (Euclidean; lowest id on ties). Representations are read from
/// <c>representations</c> [universe × size], so they may differ from the ones the inner agent was trained with.
/// </summary>
/// <remarks>
/// The inner agent always acts with availability = the source actions in every row, whatever the rows offer; an
/// available source action maps to itself (distance 0) unless a lower id shares its representation.
/// </remarks>
public sealed class NearestActionAgent : IActionSetAgent
{
    private readonly IActionSetAgent _inner;
    private readonly int _count;
    private readonly int _representationSize;
    private readonly float[] _representations;
    private readonly bool[] _sources;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">An agent over an <see cref="ActionSet"/> universe of N actions.</param>
    /// <param name="sourceActions">The ids (in [0, N), at least one; repeats are ignored) the inner agent chooses among.</param>
    /// <param name="representations">[N × <paramref name="representationSize"/>] row-major, finite; copied.</param>
    /// <param name="representationSize">Floats per representation (≥ 1).</param>
    /// <exception cref="ArgumentNullException">If <paramref name="inner"/> or <paramref name="sourceActions"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="representationSize"/> is below 1 or a source id is outside [0, N).</exception>
    /// <exception cref="ArgumentException">
    /// If the inner agent's action space is not an ActionSet, there is no source action, or the representations do not
    /// hold N × <paramref name="representationSize"/> finite values.
    /// </exception>
    public NearestActionAgent(IActionSetAgent inner, IReadOnlyList<int> sourceActions, ReadOnlySpan<float> representations, int representationSize)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(sourceActions);
        if (inner.ActionSpace is not ActionSet set)
            throw new ArgumentException(
                $"NearestActionAgent: the inner agent must act in an ActionSet action space (a universe of actions with availability), not {inner.ActionSpace}.", nameof(inner));
        if (representationSize < 1)
            throw new ArgumentOutOfRangeException(nameof(representationSize), representationSize, "NearestActionAgent: representationSize must be at least 1.");
        _count = set.Count;
        if (representations.Length != _count * representationSize)
            throw new ArgumentException(
                $"NearestActionAgent: representations must hold {_count} actions × {representationSize} floats = {_count * representationSize} values, got {representations.Length}.",
                nameof(representations));
        for (int i = 0; i < representations.Length; i++)
            if (!float.IsFinite(representations[i]))
                throw new ArgumentException(
                    $"NearestActionAgent: the representation of action {i / representationSize} holds {representations[i]} at index {i % representationSize}; every value must be finite.",
                    nameof(representations));
        if (sourceActions.Count == 0)
            throw new ArgumentException("NearestActionAgent: sourceActions is empty; the inner agent needs at least one action to choose from.", nameof(sourceActions));
        _sources = new bool[_count];
        for (int i = 0; i < sourceActions.Count; i++)
        {
            int id = sourceActions[i];
            if ((uint)id >= (uint)_count)
                throw new ArgumentOutOfRangeException(nameof(sourceActions), id, $"NearestActionAgent: sourceActions[{i}] = {id} is not an action id in [0, {_count - 1}].");
            _sources[id] = true;
        }
        _inner = inner;
        _representationSize = representationSize;
        _representations = representations.ToArray();
    }

    /// <summary>The wrapped agent.</summary>
    public IActionSetAgent Inner => _inner;

    /// <inheritdoc/>
    /// <remarks>The inner agent's name with "+nearest", e.g. "ppo+nearest".</remarks>
    public string Algorithm => _inner.Algorithm + "+nearest";

    /// <inheritdoc/>
    public Space ObservationSpace => _inner.ObservationSpace;

    /// <inheritdoc/>
    public Space ActionSpace => _inner.ActionSpace;

    /// <inheritdoc/>
    /// <remarks>The inner agent chooses among the source actions; each choice becomes the nearest action available in its row.</remarks>
    /// <exception cref="ArgumentException">
    /// If <paramref name="availability"/> does not hold rows × N entries (rows = <paramref name="actions"/>.Length), a row
    /// allows no action, or the inner agent returns an id outside the universe.
    /// </exception>
    public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int rows = actions.Length;
        if (availability.Length != rows * _count)
            throw new ArgumentException(
                $"NearestActionAgent: availability must hold {rows} rows × {_count} actions = {rows * _count} entries, got {availability.Length}.", nameof(availability));
        for (int row = 0; row < rows; row++)
            if (!availability.Slice(row * _count, _count).Contains(true))
                throw new ArgumentException($"NearestActionAgent: row {row} of availability allows no action; every row needs at least one.", nameof(availability));
        ActCore(observations, availability, actions, deterministic, rng);
    }

    /// <inheritdoc/>
    /// <remarks>Every action of the universe counts as available, so each choice maps to itself (or to the lowest id sharing its representation).</remarks>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        ActCore(observations, default, actions, deterministic, rng);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the actions are discrete ids.</exception>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException("NearestActionAgent chooses discrete action ids; pass a Span<int>.");

    // availability empty = every action available.
    private void ActCore(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng)
    {
        int rows = actions.Length;
        var sources = new bool[rows * _count];
        for (int row = 0; row < rows; row++) _sources.CopyTo(sources, row * _count);
        _inner.Act(observations, sources, actions, deterministic, rng);
        for (int row = 0; row < rows; row++)
        {
            int chosen = actions[row];
            if ((uint)chosen >= (uint)_count)
                throw new ArgumentException($"NearestActionAgent: the inner agent chose {chosen} in row {row}, which is not an action id in [0, {_count - 1}].", nameof(actions));
            actions[row] = Nearest(chosen, availability.IsEmpty ? default : availability.Slice(row * _count, _count));
        }
    }

    /// <summary>The available action nearest to <paramref name="chosen"/> (lowest id on ties); every action when <paramref name="available"/> is empty.</summary>
    private int Nearest(int chosen, ReadOnlySpan<bool> available)
    {
        int size = _representationSize;
        var target = _representations.AsSpan(chosen * size, size);
        int best = -1;
        float bestDistance = float.PositiveInfinity;
        for (int a = 0; a < _count; a++)
        {
            if (!available.IsEmpty && !available[a]) continue;
            var candidate = _representations.AsSpan(a * size, size);
            float distance = 0f;
            for (int k = 0; k < size; k++)
            {
                float d = candidate[k] - target[k];
                distance += d * d;
            }
            if (best < 0 || distance < bestDistance)
            {
                bestDistance = distance;
                best = a;
            }
        }
        return best;
    }
}

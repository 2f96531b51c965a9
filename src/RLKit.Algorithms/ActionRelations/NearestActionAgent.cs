using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// CONTRACT STUB (issue 13): helper "utility" implements it. Seed 003 ch. 2's nearest-neighbour baseline: the inner
/// agent (a standard discrete policy over the universe) chooses among <c>sourceActions</c> (e.g. the training
/// actions), and each choice is replaced by the available action whose representation is nearest to the chosen
/// one's (Euclidean; lowest id on ties). Representations are read from <c>representations</c>
/// [universe × size], so they may differ from the ones the inner agent was trained with.
/// </summary>
public sealed class NearestActionAgent : IActionSetAgent
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public NearestActionAgent(IActionSetAgent inner, IReadOnlyList<int> sourceActions, ReadOnlySpan<float> representations, int representationSize)
        => throw new NotImplementedException();

    /// <inheritdoc/>
    public string Algorithm => throw new NotImplementedException();

    /// <inheritdoc/>
    public Space ObservationSpace => throw new NotImplementedException();

    /// <inheritdoc/>
    public Space ActionSpace => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
        => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotImplementedException();

    /// <inheritdoc/>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotImplementedException();
}

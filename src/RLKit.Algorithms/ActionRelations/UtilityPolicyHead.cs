using RLKit.Algorithms.Common;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// CONTRACT STUB (issue 13): helper "utility" implements it. A policy head over an <see cref="ActionSet"/> that scores
/// each available action a by f_ν(c_a, latent) = Linear-ReLU-Linear([latent ‖ Linear(c_a)]) and returns the softmax
/// over the available ones (seed 003 eq. 2.3, App. D.3.2). Registered as the keyed <see cref="ActionSetHeadFactory"/> "utility".
/// </summary>
public sealed class UtilityPolicyHead : PolicyHead
{
    /// <summary>Creates the head for the actions of <paramref name="actions"/>, copying their current representations.</summary>
    public UtilityPolicyHead(int latentSize, ActionSet actions, UtilityPolicyOptions options, RandomGenerator rng)
        : base(latentSize, actions?.Count ?? 1) => throw new NotImplementedException();

    /// <inheritdoc/>
    public override bool IsDiscrete => true;

    /// <summary>The length of each action's representation.</summary>
    public int RepresentationSize => throw new NotImplementedException();

    /// <summary>Replaces the representations the head scores (e.g. newly inferred ones), [ActionSize × RepresentationSize].</summary>
    public void SetRepresentations(ReadOnlySpan<float> representations) => throw new NotImplementedException();

    /// <inheritdoc/>
    public override IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default) => throw new NotImplementedException();
}

/// <summary>Creates a policy head for an ActionSet action space; registered as keyed services ("utility", "masked-categorical").</summary>
public delegate PolicyHead ActionSetHeadFactory(int latentSize, ActionSet actions, RandomGenerator rng);

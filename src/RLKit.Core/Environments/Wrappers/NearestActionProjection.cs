using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// CONTRACT STUB (issue 13): helper "data" implements it. Turns an environment over an <see cref="ActionSet"/> into
/// one with a continuous action space: Box(low, high, [RepresentationSize]) in representation space; each Step
/// executes the available action whose representation is nearest (Euclidean; lowest id on ties) to the given point
/// (Dulac-Arnold et al. 2015; seed 003 ch. 2's continuous-output baseline, ch. 4's 1-NN projection).
/// The executed action id is reported in the step's info under "action".
/// </summary>
public sealed class NearestActionProjection : Wrapper
{
    /// <summary>Wraps <paramref name="env"/>; the Box bounds are each representation coordinate's min and max over the universe.</summary>
    public NearestActionProjection(IEnvironment env) : base(env) => throw new NotImplementedException();

    /// <summary>The id of the available action nearest to <paramref name="point"/> under the current availability.</summary>
    public int Nearest(ReadOnlySpan<float> point) => throw new NotImplementedException();
}

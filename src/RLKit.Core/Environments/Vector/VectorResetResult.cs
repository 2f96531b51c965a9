using RLKit.Tensors;

namespace RLKit.Environments.Vector;

/// <summary>The result of <see cref="IVectorEnvironment.Reset"/>; its buffers belong to the vector environment.</summary>
public readonly ref struct VectorResetResult(Tensor observations, IReadOnlyList<IReadOnlyDictionary<string, object>> infos, ReadOnlySpan<bool> actionMasks)
{
    /// <summary>First observations, [Count, observation shape…] (the vector environment's <c>Observations</c> tensor).</summary>
    public Tensor Observations { get; } = observations;

    /// <summary>Each sub-environment's reset info.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object>> Infos { get; } = infos;

    /// <summary>Available actions, [Count, ActionSet.Count], when the action space is an ActionSet or an ActionList (its Items); empty otherwise.</summary>
    public ReadOnlySpan<bool> ActionMasks { get; } = actionMasks;
}

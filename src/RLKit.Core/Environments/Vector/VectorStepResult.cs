using RLKit.Tensors;

namespace RLKit.Environments.Vector;

/// <summary>
/// The result of a vector step: per sub-environment (observation, reward, terminated, truncated, info). Its buffers
/// belong to the vector environment and are rewritten by the next Reset or Step.
/// </summary>
public readonly ref struct VectorStepResult(
    Tensor observations,
    ReadOnlySpan<float> rewards,
    ReadOnlySpan<bool> terminated,
    ReadOnlySpan<bool> truncated,
    IReadOnlyList<IReadOnlyDictionary<string, object>> infos,
    Tensor nextObservations,
    IReadOnlyList<IReadOnlyDictionary<string, object>>? finalInfos,
    ReadOnlySpan<bool> actionMasks)
{
    /// <summary>Observations after the step, [Count, observation shape…]; under SameStep, reset observations where an episode ended.</summary>
    public Tensor Observations { get; } = observations;

    /// <summary>Rewards (0 for a NextStep autoreset step).</summary>
    public ReadOnlySpan<float> Rewards { get; } = rewards;

    /// <summary>Whether each sub-environment reached a terminal state.</summary>
    public ReadOnlySpan<bool> Terminated { get; } = terminated;

    /// <summary>Whether each sub-environment's episode was cut short.</summary>
    public ReadOnlySpan<bool> Truncated { get; } = truncated;

    /// <summary>Each sub-environment's info (under SameStep, the reset info where an episode ended).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object>> Infos { get; } = infos;

    /// <summary>
    /// The true next observation s′ of every sub-environment's transition, [Count, observation shape…]: the observation
    /// after the step, except where an episode ended under SameStep autoreset, where it is the episode's final
    /// observation rather than the reset one. This is what a transition stores as s′ and what a truncated step
    /// bootstraps from. Under NextStep it is <see cref="Observations"/> itself (a reset step's row is not a transition).
    /// </summary>
    public Tensor NextObservations { get; } = nextObservations;

    /// <summary>SameStep only (null under NextStep): the infos of the steps that ended episodes (empty info elsewhere).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object>>? FinalInfos { get; } = finalInfos;

    /// <summary>Available actions, [Count, ActionSet.Count], when the action space is an ActionSet or an ActionList (its Items); empty otherwise.</summary>
    public ReadOnlySpan<bool> ActionMasks { get; } = actionMasks;

    /// <summary>Whether sub-environment <paramref name="index"/>'s episode ended in this step.</summary>
    public bool Done(int index) => Terminated[index] || Truncated[index];
}

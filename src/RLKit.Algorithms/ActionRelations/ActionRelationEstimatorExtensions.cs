using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Ppo;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// The fluent form of <see cref="PpoOptions.ActionRelations"/> and <see cref="A2cOptions.ActionRelations"/>, e.g.
/// <c>new PpoEstimator(options).WithActionRelations(Relations.Agile)</c>: a copy of the estimator (callbacks kept)
/// whose agent is the relational <see cref="ActionSetActorCritic"/> (AGILE, seed 003 ch. 3) for ActionSet action spaces.
/// </summary>
public static class ActionRelationEstimatorExtensions
{
    /// <summary>A copy of <paramref name="estimator"/> whose options use <paramref name="relations"/>.</summary>
    /// <exception cref="ArgumentNullException">If an argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static PpoEstimator WithActionRelations(this PpoEstimator estimator, ActionRelationOptions relations)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(relations);
        return new PpoEstimator(estimator.Options with { ActionRelations = relations }, estimator.Callbacks);
    }

    /// <summary>A copy of <paramref name="estimator"/> whose options use <paramref name="relations"/>.</summary>
    /// <exception cref="ArgumentNullException">If an argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static A2cEstimator WithActionRelations(this A2cEstimator estimator, ActionRelationOptions relations)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(relations);
        return new A2cEstimator(estimator.Options with { ActionRelations = relations }, estimator.Callbacks);
    }

    /// <summary>A copy of <paramref name="estimator"/> whose actor is the utility policy of seed 003 ch. 2 (<see cref="PpoOptions.UtilityPolicy"/>).</summary>
    /// <exception cref="ArgumentNullException">If the estimator is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static PpoEstimator WithUtilityPolicy(this PpoEstimator estimator, UtilityPolicyOptions? utility = null)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new PpoEstimator(estimator.Options with { UtilityPolicy = utility ?? UtilityPolicyOptions.Default }, estimator.Callbacks);
    }

    /// <summary>A copy of <paramref name="estimator"/> whose actor is the utility policy of seed 003 ch. 2 (<see cref="A2cOptions.UtilityPolicy"/>).</summary>
    /// <exception cref="ArgumentNullException">If the estimator is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static A2cEstimator WithUtilityPolicy(this A2cEstimator estimator, UtilityPolicyOptions? utility = null)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new A2cEstimator(estimator.Options with { UtilityPolicy = utility ?? UtilityPolicyOptions.Default }, estimator.Callbacks);
    }
}

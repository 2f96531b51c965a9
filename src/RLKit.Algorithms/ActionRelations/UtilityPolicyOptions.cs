using RLKit.Training;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// The utility policy of seed 003 ch. 2 (eq. 2.3; <see cref="UtilityPolicyHead"/>): the actor's trunk encodes the
/// state, and a utility network f(c_a, s) scores every available action from its representation c_a; the policy is
/// the softmax of the scores over the available actions. The defaults are the paper's (App. D.3.2).
/// </summary>
/// <param name="HiddenSize">Width of the representation projection and of the utility MLP's hidden layer (64).</param>
public sealed record UtilityPolicyOptions(int HiddenSize = 64)
{
    /// <summary>The paper's utility policy.</summary>
    public static UtilityPolicyOptions Default { get; } = new();

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate() => OptionRules.InRange(HiddenSize, 1, 4096, nameof(UtilityPolicyOptions), nameof(HiddenSize));
}

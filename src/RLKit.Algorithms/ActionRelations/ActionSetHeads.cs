using RLKit.Algorithms.Common;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>The built-in policy heads for <see cref="Spaces.ActionSet"/> action spaces by name.</summary>
public static class ActionSetHeads
{
    /// <summary>
    /// "utility": <see cref="UtilityPolicyHead"/> with the paper's widths (<see cref="UtilityPolicyOptions.Default"/>),
    /// scoring each available action by its representation; "masked-categorical": <see cref="MaskedCategoricalHead"/>,
    /// one logit per action of the universe, masked to the available ones (ignores representations).
    /// </summary>
    public static IReadOnlyDictionary<string, ActionSetHeadFactory> All { get; } = new Dictionary<string, ActionSetHeadFactory>(StringComparer.Ordinal)
    {
        ["utility"] = static (latent, actions, rng) => new UtilityPolicyHead(latent, actions, UtilityPolicyOptions.Default, rng),
        ["masked-categorical"] = static (latent, actions, rng) =>
            new MaskedCategoricalHead(latent, (actions ?? throw new ArgumentNullException(nameof(actions))).Count, rng),
    };
}

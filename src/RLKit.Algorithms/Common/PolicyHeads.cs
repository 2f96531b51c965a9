using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>Picks the on-policy head (PPO, A2C, REINFORCE) that fits an action space.</summary>
public static class PolicyHeads
{
    /// <summary>
    /// Discrete → <see cref="CategoricalHead"/>, ActionSet → <see cref="MaskedCategoricalHead"/> (its availability
    /// mask), Box → <see cref="DiagGaussianHead"/>; every output layer orthogonal with <paramref name="gain"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">For other spaces (MultiDiscrete, Box of rank &gt; 1).</exception>
    public static PolicyHead OnPolicy(Space actionSpace, int latentSize, RandomGenerator rng, float gain = 0.01f)
    {
        ArgumentNullException.ThrowIfNull(actionSpace);
        return actionSpace switch
        {
            Discrete d => new CategoricalHead(latentSize, d.N, rng, gain),
            ActionSet s => new MaskedCategoricalHead(latentSize, s.Count, rng, gain),
            Box b when b.Shape.Length == 1 => new DiagGaussianHead(latentSize, b.FlatSize, rng, gain),
            _ => throw new NotSupportedException($"PolicyHeads: no on-policy head for the action space {actionSpace}; supported are Discrete, ActionSet and one-dimensional Box."),
        };
    }
}

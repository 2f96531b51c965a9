using RLKit.Algorithms.Common;
using RLKit.Tensors;

namespace RLKit.Algorithms.Hosting;

/// <summary>
/// Creates a policy head, a composable part registered as a keyed service by <c>AddClassicAlgorithms()</c> under
/// its name ("categorical", "masked-categorical", "diag-gaussian", "tanh-gaussian", "deterministic").
/// </summary>
/// <param name="latentSize">The width of the features the head reads.</param>
/// <param name="actionSize">The number of discrete actions, or the continuous action's size.</param>
/// <param name="rng">Initialises the head's weights.</param>
public delegate PolicyHead PolicyHeadFactory(int latentSize, int actionSize, RandomGenerator rng);

/// <summary>The built-in policy heads by name.</summary>
public static class PolicyHeadFactories
{
    /// <summary>The heads by name, with their default gains and initial scales.</summary>
    public static IReadOnlyDictionary<string, PolicyHeadFactory> All { get; } = new Dictionary<string, PolicyHeadFactory>(StringComparer.Ordinal)
    {
        ["categorical"] = static (latent, actions, rng) => new CategoricalHead(latent, actions, rng),
        ["masked-categorical"] = static (latent, actions, rng) => new MaskedCategoricalHead(latent, actions, rng),
        ["diag-gaussian"] = static (latent, actions, rng) => new DiagGaussianHead(latent, actions, rng),
        ["tanh-gaussian"] = static (latent, actions, rng) => new TanhGaussianHead(latent, actions, rng),
        ["deterministic"] = static (latent, actions, rng) => new DeterministicHead(latent, actions, rng),
    };
}

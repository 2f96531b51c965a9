using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// The built-in action encoders by name: "hvae" (the hierarchical VAE of seed 003 §2.4.1), "vae" (the flat VAE
/// baseline) and "given" (the mean of an action's observations as they are). <c>AddClassicAlgorithms()</c>
/// registers each as a keyed <see cref="ActionEncoderFactory"/> service under its name.
/// </summary>
/// <example>
/// <code>
/// var encoder = ActionEncoders.Create("hvae", steps: 6, features: 2, new ActionEncoderOptions { Epochs = 50 }, new RandomGenerator(1));
/// encoder.Fit(observations, trainingActions, progress);
/// float[] representations = encoder.Infer(observations, allActions);   // [actions, 16]
/// encoder.Save("hvae.safetensors");
/// var again = ActionEncoders.Load("hvae.safetensors");
/// </code>
/// </example>
public static class ActionEncoders
{
    /// <summary>The factories by name ("hvae", "vae", "given").</summary>
    public static IReadOnlyDictionary<string, ActionEncoderFactory> All { get; } = new Dictionary<string, ActionEncoderFactory>(StringComparer.Ordinal)
    {
        ["hvae"] = static (steps, features, options, rng) => new HierarchicalVae(steps, features, options, rng),
        ["vae"] = static (steps, features, options, rng) => new FlatVae(steps, features, options, rng),
        ["given"] = static (steps, features, options, _) => new GivenActionEncoder(steps, features, options),
    };

    /// <summary>The encoder names, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["hvae", "vae", "given"];

    /// <summary>Creates the encoder called <paramref name="name"/> for observations of <paramref name="steps"/> × <paramref name="features"/>.</summary>
    /// <param name="name">"hvae", "vae" or "given".</param>
    /// <param name="steps">Frames per observation (≥ 1; 1 for feature vectors).</param>
    /// <param name="features">Floats per frame (≥ 1).</param>
    /// <param name="options">The options (validated here).</param>
    /// <param name="rng">Initialises the weights and drives the training's sampling.</param>
    /// <exception cref="ArgumentException">If the name is unknown (the message lists the known names).</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a size or an option is out of range.</exception>
    public static IActionEncoder Create(string name, int steps, int features, ActionEncoderOptions options, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        return All.TryGetValue(name, out var factory)
            ? factory(steps, features, options, rng)
            : throw new ArgumentException($"ActionEncoders: unknown encoder '{name}'; known encoders: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Restores an encoder written by <see cref="IActionEncoder.Save"/> (any of the built-in ones).</summary>
    /// <remarks>Its <see cref="IActionEncoder.Infer"/> gives exactly what the saved encoder gave. Optimizer state is not saved: a further Fit starts a fresh RAdam.</remarks>
    /// <exception cref="FileNotFoundException">If the file does not exist.</exception>
    /// <exception cref="InvalidDataException">If the file is not an action encoder, names an unknown encoder, or its weights do not fit it.</exception>
    public static IActionEncoder Load(string path) => ActionEncoderFile.Load(path);
}

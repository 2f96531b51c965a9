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

    /// <summary>
    /// Standardises each coordinate of <paramref name="representations"/> in place to mean 0 and standard deviation 1
    /// over <paramref name="referenceActions"/> (the training actions), applying those statistics to every action; a
    /// coordinate that does not vary over the reference actions becomes 0.
    /// </summary>
    /// <remarks>
    /// A VAE's μ can vary between actions far less than a policy's input scale: on the skill grid the HVAE's μ_c
    /// differed by about 0.004 between skills after 100 epochs, and a fresh utility network could not tell the skills
    /// apart until they were standardised. Statistics from the training actions only keep the unseen actions unseen.
    /// </remarks>
    /// <param name="representations">[actions × size] floats, action by action.</param>
    /// <param name="size">Floats per representation (≥ 1).</param>
    /// <param name="referenceActions">The actions whose statistics are used (at least one, each in range).</param>
    /// <exception cref="ArgumentException">If the length is not a multiple of <paramref name="size"/>, there are no reference actions or one is out of range.</exception>
    public static void Standardise(Span<float> representations, int size, ReadOnlySpan<int> referenceActions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (representations.Length % size != 0)
            throw new ArgumentException($"ActionEncoders.Standardise: {representations.Length} floats are not a whole number of representations of {size}.", nameof(representations));
        if (referenceActions.IsEmpty)
            throw new ArgumentException("ActionEncoders.Standardise: at least one reference action is needed.", nameof(referenceActions));
        int actions = representations.Length / size;
        foreach (int a in referenceActions)
            if ((uint)a >= (uint)actions)
                throw new ArgumentException($"ActionEncoders.Standardise: reference action {a} is not in [0, {actions - 1}].", nameof(referenceActions));
        for (int j = 0; j < size; j++)
        {
            double sum = 0, square = 0;
            foreach (int a in referenceActions)
            {
                double v = representations[a * size + j];
                sum += v;
                square += v * v;
            }
            double mean = sum / referenceActions.Length;
            double std = Math.Sqrt(Math.Max(square / referenceActions.Length - mean * mean, 0));
            for (int a = 0; a < actions; a++)
                representations[a * size + j] = std > 1e-12 ? (float)((representations[a * size + j] - mean) / std) : 0f;
        }
    }
}

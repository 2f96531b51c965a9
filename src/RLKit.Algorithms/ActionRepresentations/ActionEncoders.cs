using System.Text.Json;
using RLKit.Serialization;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

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

/// <summary>The saved form of an encoder: its state as safetensors plus JSON metadata (name, steps, features, options).</summary>
internal static class ActionEncoderFile
{
    /// <summary>The <c>__metadata__</c> key of the JSON description.</summary>
    public const string MetadataKey = "rlkit.action-encoder";

    private const int MaxSteps = 1 << 16, MaxFeatures = 1 << 20;

    private sealed record Description(string Name, int Steps, int Features, ActionEncoderOptions Options, string Version);

    public static void Save(string path, string name, int steps, int features, ActionEncoderOptions options, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json = JsonSerializer.Serialize(new Description(name, steps, features, options, Checkpoint.RLKitVersion), Checkpoint.JsonOptions);
        // SafeTensors.Save writes a temporary file and renames it over the target.
        SafeTensors.Save(path, state, new Dictionary<string, string> { [MetadataKey] = json });
    }

    public static IActionEncoder Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue(MetadataKey, out var json))
            throw new InvalidDataException($"ActionEncoders.Load: '{path}' is a safetensors file but not an action encoder (no '{MetadataKey}' metadata).");
        Description description;
        try
        {
            description = JsonSerializer.Deserialize<Description>(json, Checkpoint.JsonOptions)
                          ?? throw new InvalidDataException($"ActionEncoders.Load: '{path}' has empty '{MetadataKey}' metadata.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"ActionEncoders.Load: the '{MetadataKey}' metadata of '{path}' is not valid: {e.Message}", e);
        }
        if (description.Name is null || !ActionEncoders.All.TryGetValue(description.Name, out var factory))
            throw new InvalidDataException($"ActionEncoders.Load: '{path}' holds encoder '{description.Name}', which is not one of {string.Join(", ", ActionEncoders.Names)}.");
        // A file describes the network it needs; refuse sizes that would make building it allocate absurdly before the
        // weights are even compared.
        if (description.Steps is < 1 or > MaxSteps || description.Features is < 1 or > MaxFeatures)
            throw new InvalidDataException($"ActionEncoders.Load: '{path}' describes observations of {description.Steps} steps × {description.Features} features; an encoder file allows [1, {MaxSteps}] × [1, {MaxFeatures}].");
        IActionEncoder encoder;
        try
        {
            encoder = factory(description.Steps, description.Features, description.Options ?? new ActionEncoderOptions(), new RandomGenerator(0));
            if (encoder is VaeActionEncoder vae) vae.LoadWeights(file.Tensors);
            else if (file.Tensors.Count > 0)
                throw new ArgumentException($"encoder '{description.Name}' has no weights, but the file holds {file.Tensors.Count} tensors.");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"ActionEncoders.Load: '{path}' does not hold a valid '{description.Name}' encoder: {e.Message}", e);
        }
        return encoder;
    }
}

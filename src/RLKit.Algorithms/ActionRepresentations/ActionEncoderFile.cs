using System.Text.Json;
using RLKit.Serialization;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.ActionRepresentations;

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

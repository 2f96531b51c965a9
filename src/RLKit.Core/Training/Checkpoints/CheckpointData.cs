using System.Text.Json;
using RLKit.Tensors;

namespace RLKit.Training.Checkpoints;

/// <summary>What <see cref="Checkpoint.Load"/> reads: the metadata, the weights and the optional optimizer and training state.</summary>
/// <param name="Metadata">Algorithm, options, spaces, normaliser statistics, version.</param>
/// <param name="Weights">The agent's weights, in the order the agent listed them. The tensors are persistent (not scoped).</param>
/// <param name="OptimizerState">The optimizer state dictionary saved for resuming, or null.</param>
/// <param name="TrainingState">The training state saved for resuming off-policy training, or null.</param>
public sealed record CheckpointData(
    CheckpointMetadata Metadata,
    IReadOnlyDictionary<string, Tensor> Weights,
    IReadOnlyDictionary<string, Tensor>? OptimizerState,
    TrainingState? TrainingState = null)
{
    /// <summary>The algorithm that wrote the checkpoint.</summary>
    public string Algorithm => Metadata.Algorithm;

    /// <summary>
    /// Deserialises the stored options record as <typeparamref name="T"/>. The stored record must be a
    /// <typeparamref name="T"/> (by type name, whatever namespace wrote it) and every stored key must be one of its
    /// properties, so a file written by another algorithm, or relabelled as one, is refused.
    /// </summary>
    /// <exception cref="InvalidDataException">If the stored record is another type or its JSON does not fit <typeparamref name="T"/>.</exception>
    public T GetOptions<T>()
    {
        if (Metadata.OptionsType is { } storedType && TypeName(storedType) != typeof(T).Name)
            throw new InvalidDataException(
                $"the stored options are a {TypeName(storedType)} ({storedType}), not the {typeof(T).Name} that '{Algorithm}' reads: " +
                "the file was written by another algorithm, or its metadata was edited.");
        try
        {
            return Metadata.Options.Deserialize<T>(Checkpoint.OptionsReadingJson)
                ?? throw new InvalidDataException($"the stored options are null; expected a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"the stored options ({Metadata.OptionsType ?? "unknown type"}) cannot be read as {typeof(T).Name}: {e.Message}", e);
        }
    }

    // The simple name: checkpoints written before a namespace moved keep the old full name.
    private static string TypeName(string fullName) => fullName[(fullName.LastIndexOfAny(['.', '+']) + 1)..];
}

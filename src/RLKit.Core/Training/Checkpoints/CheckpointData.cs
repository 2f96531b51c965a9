using System.Text.Json;
using RLKit.Tensors;

namespace RLKit.Training.Checkpoints;

/// <summary>What <see cref="Checkpoint.Load"/> reads: the metadata, the weights and the optional optimizer state.</summary>
/// <param name="Metadata">Algorithm, options, spaces, normaliser statistics, version.</param>
/// <param name="Weights">The agent's weights, in the order the agent listed them. The tensors are persistent (not scoped).</param>
/// <param name="OptimizerState">The optimizer state dictionary saved for resuming, or null.</param>
public sealed record CheckpointData(
    CheckpointMetadata Metadata,
    IReadOnlyDictionary<string, Tensor> Weights,
    IReadOnlyDictionary<string, Tensor>? OptimizerState)
{
    /// <summary>The algorithm that wrote the checkpoint.</summary>
    public string Algorithm => Metadata.Algorithm;

    /// <summary>Deserialises the stored options record as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">If the stored JSON does not fit <typeparamref name="T"/>.</exception>
    public T GetOptions<T>()
    {
        try
        {
            return Metadata.Options.Deserialize<T>(Checkpoint.JsonOptions)
                ?? throw new InvalidDataException($"Checkpoint: the stored options are null; expected a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"Checkpoint: the stored options ({Metadata.OptionsType ?? "unknown type"}) cannot be read as {typeof(T).FullName}: {e.Message}", e);
        }
    }
}

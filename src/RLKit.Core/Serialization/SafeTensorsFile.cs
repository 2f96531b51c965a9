using RLKit.Tensors;

namespace RLKit.Serialization;

/// <summary>The content of a safetensors file: its tensors and its <c>__metadata__</c> strings.</summary>
public sealed class SafeTensorsFile
{
    internal SafeTensorsFile(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>
    /// The tensors by name, enumerated in the order of the file's header. Every tensor is float32,
    /// persistent (not owned by any <see cref="Tensors.TensorScope"/>) and does not require gradients.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The free-form string metadata stored under <c>__metadata__</c> (empty if there was none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}

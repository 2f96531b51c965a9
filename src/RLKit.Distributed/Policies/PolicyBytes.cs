using RLKit.Serialization;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Distributed.Policies;

/// <summary>
/// A policy on the wire. The first copy a worker gets is a whole checkpoint (architecture, options, weights), from which
/// it rebuilds the agent with the deployed algorithms; later broadcasts are the weights alone, as safetensors bytes,
/// copied into the worker's live tensors.
/// </summary>
internal static class PolicyBytes
{
    public static ICheckpointable Checkpointable(IAgent agent, string argument) =>
        agent as ICheckpointable ?? throw new ArgumentException($"The agent ({agent.GetType().Name}) cannot be shipped to workers: it is not ICheckpointable.", argument);

    /// <summary>The agent as checkpoint bytes (Checkpoint writes files, so this goes through a temporary one).</summary>
    public static byte[] Checkpoint(ICheckpointable agent)
    {
        string path = Path.Combine(Path.GetTempPath(), $"rlkit-policy-{Guid.NewGuid():N}{Training.Checkpoints.Checkpoint.FileExtension}");
        try
        {
            Training.Checkpoints.Checkpoint.Save(agent, path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Rebuilds an agent from <see cref="Checkpoint(ICheckpointable)"/> bytes.</summary>
    public static IAgent Agent(byte[] checkpoint)
    {
        string path = Path.Combine(Path.GetTempPath(), $"rlkit-policy-{Guid.NewGuid():N}{Training.Checkpoints.Checkpoint.FileExtension}");
        try
        {
            File.WriteAllBytes(path, checkpoint);
            return Training.Checkpoints.Checkpoint.LoadAgent(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The agent's weights as safetensors bytes.</summary>
    public static byte[] Weights(ICheckpointable agent)
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(stream, agent.Weights);
        return stream.ToArray();
    }

    /// <summary>Copies safetensors <paramref name="weights"/> into <paramref name="agent"/>'s live tensors; every name and shape must match.</summary>
    public static void LoadWeights(ICheckpointable agent, byte[] weights)
    {
        using var stream = new MemoryStream(weights, writable: false);
        var file = SafeTensors.Read(stream);
        var live = agent.Weights;
        if (file.Tensors.Count != live.Count)
            throw new ArgumentException($"The broadcast holds {file.Tensors.Count} tensors; the worker's {agent.Algorithm} agent has {live.Count}.", nameof(weights));
        foreach (var (name, tensor) in file.Tensors)
        {
            if (!live.TryGetValue(name, out var target))
                throw new ArgumentException($"The broadcast holds '{name}', which the worker's {agent.Algorithm} agent does not have.", nameof(weights));
            if (!target.Shape.SequenceEqual(tensor.Shape))
                throw new ArgumentException($"The broadcast's '{name}' has shape [{string.Join(", ", tensor.Shape.ToArray())}]; the worker's is [{string.Join(", ", target.Shape.ToArray())}].", nameof(weights));
            tensor.AsSpan()[..tensor.Size].CopyTo(target.AsSpan());
        }
    }
}

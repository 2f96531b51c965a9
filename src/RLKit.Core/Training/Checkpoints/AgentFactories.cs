using System.Collections.Concurrent;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// Maps algorithm names to functions that rebuild an agent from a checkpoint, so <see cref="Checkpoint.LoadAgent"/>
/// can return a working agent without the caller naming its type. Each algorithm registers itself once (e.g. from a
/// static constructor or the DI builder); names are case-insensitive.
/// </summary>
/// <remarks>
/// A factory builds an agent with the checkpoint's architecture (from <see cref="CheckpointData.GetOptions{T}"/> and
/// the spaces in <see cref="CheckpointData.Metadata"/>). If the agent is <see cref="ICheckpointable"/>,
/// <see cref="Checkpoint.LoadAgent"/> then validates and copies the weights into it, so a factory need not.
/// </remarks>
public static class AgentFactories
{
    private static readonly ConcurrentDictionary<string, Func<CheckpointData, IAgent>> Factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers (or replaces) the factory for <paramref name="algorithm"/>.</summary>
    /// <exception cref="ArgumentException">If <paramref name="algorithm"/> is null or blank.</exception>
    public static void Register(string algorithm, Func<CheckpointData, IAgent> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[algorithm] = factory;
    }

    /// <summary>Removes the factory for <paramref name="algorithm"/>; returns whether one was registered.</summary>
    public static bool Unregister(string algorithm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        return Factories.TryRemove(algorithm, out _);
    }

    /// <summary>Finds the factory for <paramref name="algorithm"/>.</summary>
    public static bool TryGet(string algorithm, out Func<CheckpointData, IAgent> factory)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return Factories.TryGetValue(algorithm, out factory!);
    }

    /// <summary>The registered algorithm names, sorted.</summary>
    public static IReadOnlyList<string> Algorithms => Factories.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray();
}

using RLKit.Tensors;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// An agent that can be saved and restored by <c>Checkpoint</c>: its weights by name, its options as a
/// JSON-serialisable record, and its algorithm name. Agents usually build <see cref="Weights"/> from their
/// modules' <see cref="Nn.Module.StateDict"/> with a prefix per network (e.g. "actor.0.weight").
/// </summary>
public interface ICheckpointable : IAgent
{
    /// <summary>
    /// Every tensor needed to reproduce the agent's actions, in a stable order, keyed by dotted name
    /// (e.g. "actor.0.weight", "critic.2.bias"). The tensors may be the live ones; checkpointing only reads them.
    /// </summary>
    IReadOnlyDictionary<string, Tensor> Weights { get; }

    /// <summary>
    /// The options the agent was built with: an immutable record that <see cref="System.Text.Json.JsonSerializer"/>
    /// can serialise (and deserialise back to its own type), so a checkpoint can rebuild the same architecture.
    /// </summary>
    object Options { get; }

    /// <summary>
    /// Copies <paramref name="weights"/> into the agent. Nothing is copied unless every key is present with the
    /// right shape.
    /// </summary>
    /// <exception cref="ArgumentException">Naming every missing or unexpected key and every shape mismatch (both shapes).</exception>
    void LoadWeights(IReadOnlyDictionary<string, Tensor> weights);
}

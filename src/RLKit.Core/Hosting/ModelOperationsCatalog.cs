using Microsoft.Extensions.Logging;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Hosting;

/// <summary>
/// <see cref="RLContext.Model"/>: saves and loads agents through <see cref="Checkpoint"/> (safetensors weights plus
/// JSON metadata, atomic writes, architecture validated on load), like ML.NET's <c>ModelOperationsCatalog</c>.
/// </summary>
public sealed class ModelOperationsCatalog
{
    private readonly RLContext _context;

    internal ModelOperationsCatalog(RLContext context) => _context = context;

    /// <summary>Saves <paramref name="agent"/> to <paramref name="path"/>, replacing any file there atomically.</summary>
    /// <param name="agent">A checkpointable agent (<see cref="ICheckpointable"/>).</param>
    /// <param name="path">The file (conventionally <c>*.rlkit</c>); its directory must exist.</param>
    /// <param name="notes">Free-form strings kept with the model (environment id, steps trained, ...).</param>
    /// <exception cref="NotSupportedException">If the agent does not implement <see cref="ICheckpointable"/>.</exception>
    public void Save(IAgent agent, string path, IReadOnlyDictionary<string, string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent is not ICheckpointable checkpointable)
            throw new NotSupportedException(
                $"Model.Save: the {agent.Algorithm} agent ({agent.GetType().Name}) does not implement ICheckpointable, so it cannot be saved.");
        Checkpoint.Save(checkpointable, path, notes: notes);
        _context.WriteLog(LogLevel.Information, "Model", $"Saved the {agent.Algorithm} agent to '{path}'.");
    }

    /// <summary>
    /// Loads the agent saved at <paramref name="path"/>, rebuilt by its algorithm in the context's
    /// <see cref="AgentCatalog.Algorithms"/> (from <c>AddRLKit</c>, the constructor, or by default every deployed package's
    /// <see cref="IRLKitModule"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">If the context's registry lacks the checkpoint's algorithm; the message names it and lists the registered ones.</exception>
    /// <exception cref="CheckpointMismatchException">If the architecture does not match the weights; the message names the mismatches.</exception>
    /// <exception cref="CheckpointFormatException">If the file is truncated, corrupt or not a checkpoint.</exception>
    public IAgent Load(string path)
    {
        var agent = Checkpoint.LoadAgent(path, _context.Agents.Algorithms);
        _context.WriteLog(LogLevel.Information, "Model", $"Loaded a {agent.Algorithm} agent from '{path}'.");
        return agent;
    }

    /// <summary>Loads the agent saved at <paramref name="path"/> as a <typeparamref name="TAgent"/>.</summary>
    /// <exception cref="InvalidCastException">If the checkpoint holds another kind of agent; the message names both.</exception>
    public TAgent Load<TAgent>(string path) where TAgent : class, IAgent
    {
        var agent = Load(path);
        return agent as TAgent ?? throw new InvalidCastException(
            $"Model.Load: '{path}' holds a {agent.Algorithm} agent ({agent.GetType().Name}), not a {typeof(TAgent).Name}.");
    }

    /// <summary>Loads the weights saved at <paramref name="path"/> into an existing agent of the same architecture.</summary>
    /// <returns>The checkpoint's contents (metadata, optimizer state, notes).</returns>
    /// <exception cref="CheckpointMismatchException">If the architecture does not match; the message names the mismatches.</exception>
    public CheckpointData LoadInto(ICheckpointable agent, string path) => Checkpoint.LoadInto(agent, path);
}

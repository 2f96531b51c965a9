using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// Packs several optimizers' state dictionaries into the single prefixed dictionary an <see cref="IResumableAgent"/>
/// carries, and unpacks it again, so every estimator resumes its optimizers with two lines.
/// </summary>
public static class OptimizerStates
{
    /// <summary>
    /// Copies every optimizer's <see cref="Optimizer.StateDict"/> into one dictionary, each key prefixed by the
    /// optimizer's name and a dot (e.g. "critic.exp_avg.0").
    /// </summary>
    /// <exception cref="ArgumentException">If a name is empty, contains a dot, or is used twice.</exception>
    public static IReadOnlyDictionary<string, Tensor> Capture(params ReadOnlySpan<(string Name, Optimizer Optimizer)> optimizers)
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, optimizer) in optimizers)
        {
            RequireName(name, names);
            ArgumentNullException.ThrowIfNull(optimizer);
            foreach (var (key, tensor) in optimizer.StateDict())
                state.Add(name + "." + key, tensor);
        }
        return state;
    }

    /// <summary>
    /// Loads the entries of <paramref name="state"/> prefixed by each optimizer's name into that optimizer. Does nothing
    /// when <paramref name="state"/> is null (a fresh start); an optimizer with no entries at all also starts fresh.
    /// Each optimizer keeps its current learning rate: the resuming estimator's options and schedule own it.
    /// </summary>
    /// <exception cref="ArgumentException">If a name is empty, contains a dot, or is used twice.</exception>
    /// <exception cref="InvalidOperationException">
    /// If an optimizer's entries do not fit it (another optimizer kind or other parameter shapes); the message names the
    /// optimizer and the problem. Set the agent's <see cref="IResumableAgent.OptimizerState"/> to null to start fresh.
    /// </exception>
    public static void Restore(IReadOnlyDictionary<string, Tensor>? state, params ReadOnlySpan<(string Name, Optimizer Optimizer)> optimizers)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, optimizer) in optimizers)
        {
            RequireName(name, names);
            ArgumentNullException.ThrowIfNull(optimizer);
        }
        if (state is null) return;

        // Load each optimizer's part; if one does not fit, put back the ones already loaded so a bad state leaves
        // every optimizer as it was.
        var loaded = new List<(Optimizer Optimizer, IReadOnlyDictionary<string, Tensor> Backup)>(optimizers.Length);
        foreach (var (name, optimizer) in optimizers)
        {
            string prefix = name + ".";
            Dictionary<string, Tensor>? part = null;
            foreach (var (key, tensor) in state)
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                    (part ??= new Dictionary<string, Tensor>(StringComparer.Ordinal)).Add(key[prefix.Length..], tensor);
            if (part is null) continue;

            float learningRate = optimizer.LearningRate;
            var backup = optimizer.StateDict();
            try
            {
                optimizer.LoadStateDict(part);
            }
            catch (ArgumentException e)
            {
                foreach (var (done, doneBackup) in loaded) done.LoadStateDict(doneBackup);
                throw new InvalidOperationException(
                    $"The saved state of the '{name}' optimizer does not fit this {optimizer.GetType().Name}: {e.Message} " +
                    "Set the agent's OptimizerState to null to warm-start with fresh optimizers.", e);
            }
            optimizer.LearningRate = learningRate;
            loaded.Add((optimizer, backup));
        }
    }

    private static void RequireName(string name, HashSet<string> names)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"OptimizerStates: the optimizer name '{name}' must be non-empty and contain no dot.", nameof(name));
        if (!names.Add(name))
            throw new ArgumentException($"OptimizerStates: the optimizer name '{name}' is used twice.", nameof(name));
    }
}

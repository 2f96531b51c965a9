using RLKit.Nn;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The checkpoint weights of an actor-critic agent: each network's state under a prefix ("actor.", "q1.", "q2.") plus
/// loose tensors such as "log_alpha". Critics are saved too, so a loaded agent can warm-start training.
/// </summary>
internal static class AgentWeights
{
    public static IReadOnlyDictionary<string, Tensor> Collect(IEnumerable<(string Prefix, Module Module)> modules, params (string Name, Tensor Tensor)[] loose)
    {
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (prefix, module) in modules)
            foreach (var (name, tensor) in module.StateDict())
                weights[$"{prefix}.{name}"] = tensor;
        foreach (var (name, tensor) in loose) weights[name] = tensor;
        return weights;
    }

    /// <summary>Copies <paramref name="incoming"/> into the agent's tensors after checking every key and shape.</summary>
    /// <exception cref="ArgumentException">Naming every missing or unexpected key and every shape mismatch.</exception>
    public static void Load(IReadOnlyDictionary<string, Tensor> current, IReadOnlyDictionary<string, Tensor> incoming, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var problems = Checkpoint.DescribeWeightMismatches(current, incoming);
        if (problems.Count > 0)
            throw new ArgumentException($"{algorithm}: the weights do not fit this agent: {string.Join("; ", problems)}.", nameof(incoming));
        foreach (var (name, tensor) in current) incoming[name].AsReadOnlySpan().CopyTo(tensor.AsSpan());
    }
}

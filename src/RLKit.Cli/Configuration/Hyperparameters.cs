using System.Text.Json.Nodes;

namespace RLKit.Cli.Configuration;

/// <summary>
/// One environment's section of an rl-zoo-style hyperparameter file: the algorithm's options (any of the options
/// record's properties, spelt in PascalCase, camelCase or snake_case) plus the keys the tool itself reads
/// (<see cref="TimestepsKey"/>, <see cref="EnvironmentsKey"/>, <see cref="PolicyKey"/>).
/// </summary>
/// <remarks>
/// The file format, as rl-baselines3-zoo's <c>hyperparams/&lt;algo&gt;.yml</c>: a top-level map keyed by environment id,
/// each value a map of hyperparameters for the algorithm named on the command line:
/// <code>
/// CartPole-v1:
///   n_envs: 8
///   n_timesteps: !!float 1e5
///   steps_per_environment: 32
///   learning_rate: 1.0e-3
///   hidden_sizes: [64, 64]
/// </code>
/// The options keys are validated by the library's options reader (the one behind <c>rl.Agents.CreateFromJson</c>):
/// an unknown key is an error naming it and the nearest valid key.
/// </remarks>
internal sealed class Hyperparameters
{
    /// <summary>The training budget in environment steps (rl-zoo's <c>n_timesteps</c>).</summary>
    public const string TimestepsKey = "n_timesteps";

    /// <summary>How many copies of the environment are stepped together (rl-zoo's <c>n_envs</c>).</summary>
    public const string EnvironmentsKey = "n_envs";

    /// <summary>rl-zoo's <c>policy</c>; RLKit's classic algorithms build MLPs, sized by the <c>hidden_sizes</c> option.</summary>
    public const string PolicyKey = "policy";

    /// <summary>The one <see cref="PolicyKey"/> value accepted.</summary>
    public const string MlpPolicy = "MlpPolicy";

    /// <summary>The largest <see cref="EnvironmentsKey"/> accepted.</summary>
    public const int MaxEnvironments = 1024;

    private const string SetSuffix = " with --set";

    private readonly JsonObject _values;

    private Hyperparameters(JsonObject values, string source)
    {
        _values = values;
        Source = source;
    }

    /// <summary>Where the values came from, for messages ("the ppo preset (CartPole-v1)", a file path; "with --set" after an override).</summary>
    public string Source { get; private set; }

    /// <summary>No values: the algorithm's defaults.</summary>
    public static Hyperparameters Empty(string source) => new([], source);

    /// <summary>The section of <paramref name="environmentId"/> in a parsed file.</summary>
    /// <exception cref="ConfigurationException">If the file is not a map of maps or has no such section; the message lists the sections.</exception>
    public static Hyperparameters FromFile(JsonNode? file, string environmentId, string source)
    {
        if (file is not JsonObject sections)
            throw new ConfigurationException($"{source}: expected a map keyed by environment id (e.g. \"CartPole-v1:\"), each holding hyperparameters.");
        if (!sections.TryGetPropertyValue(environmentId, out var section))
            throw new ConfigurationException(
                $"{source}: has no section for {environmentId}; its sections: {(sections.Count == 0 ? "none" : string.Join(", ", sections.Select(s => s.Key)))}.");
        return section switch
        {
            JsonObject values => new Hyperparameters((JsonObject)values.DeepClone(), $"{source} ({environmentId})"),
            null => Empty($"{source} ({environmentId})"),
            _ => throw new ConfigurationException($"{source}: the section {environmentId} must be a map of hyperparameters."),
        };
    }

    /// <summary>
    /// Applies one <c>--set key=value</c>: the value is read as YAML (<c>0.99</c>, <c>true</c>, <c>[128, 128]</c>,
    /// <c>{alpha: 0.6}</c>); a dotted key (<c>prioritized.alpha=0.6</c>) sets a nested option. A key naming a value
    /// already present in another spelling (<c>learning_rate</c> over <c>LearningRate</c>) replaces it.
    /// </summary>
    /// <exception cref="ConfigurationException">If the text is not <c>key=value</c> or the value is not YAML.</exception>
    public void Set(string assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals <= 0)
            throw new ConfigurationException($"--set: expected key=value (e.g. --set learning_rate=1e-3), got \"{assignment}\".");
        string key = assignment[..equals].Trim();
        var path = key.Split('.');
        if (path.Any(string.IsNullOrWhiteSpace))
            throw new ConfigurationException($"--set: \"{key}\" is not a key (use name or name.nested).");
        var value = YamlJson.Parse(assignment[(equals + 1)..], $"--set {key}");
        var target = _values;
        for (int i = 0; i < path.Length - 1; i++)
        {
            string existing = Find(target, path[i]) ?? path[i];
            if (target[existing] is not JsonObject child)
            {
                child = [];
                target[existing] = child;
            }
            target = child;
        }
        target.Remove(Find(target, path[^1]) ?? path[^1]);
        target[path[^1]] = value;
        if (!Source.EndsWith(SetSuffix, StringComparison.Ordinal)) Source += SetSuffix;
    }

    /// <summary>
    /// Splits the tool's keys from the algorithm's options.
    /// </summary>
    /// <returns>The options as JSON (for the library's validating reader), the step budget and the environment count, when given.</returns>
    /// <exception cref="ConfigurationException">If a tool key has a value outside its range.</exception>
    public (string OptionsJson, long? Timesteps, int? Environments) Split()
    {
        var options = (JsonObject)_values.DeepClone();
        long? timesteps = Take(options, TimestepsKey) is { } t ? Whole(t, TimestepsKey, 1, long.MaxValue) : null;
        int? environments = Take(options, EnvironmentsKey) is { } n ? (int)Whole(n, EnvironmentsKey, 1, MaxEnvironments) : null;
        if (Take(options, PolicyKey) is { } policy && !(policy is JsonValue v && v.TryGetValue(out string? name) && name == MlpPolicy))
            throw new ConfigurationException(
                $"{Source}: {PolicyKey} must be {MlpPolicy} (got {policy.ToJsonString()}): the classic algorithms build MLPs; size them with hidden_sizes.");
        return (options.ToJsonString(), timesteps, environments);
    }

    /// <summary>The values as they stand, with <paramref name="indent"/> before each "key: value" line (flow style for lists and maps).</summary>
    public IEnumerable<string> Lines(string indent = "  ") => _values.Select(p => $"{indent}{p.Key}: {p.Value?.ToJsonString() ?? "null"}");

    private JsonNode? Take(JsonObject options, string key)
    {
        if (Find(options, key) is not { } present) return null;
        var value = options[present];
        options.Remove(present);
        return value ?? throw new ConfigurationException($"{Source}: {key} must not be null.");
    }

    private long Whole(JsonNode node, string key, long min, long max) =>
        node is JsonValue value && value.TryGetValue(out long whole) && whole >= min && whole <= max
            ? whole
            : throw new ConfigurationException($"{Source}: {key} must be a whole number in [{min}, {max}], got {node.ToJsonString()}.");

    /// <summary>The key of <paramref name="obj"/> that spells <paramref name="key"/> (ignoring case, '_' and '-'), or null.</summary>
    private static string? Find(JsonObject obj, string key) =>
        obj.Select(p => p.Key).FirstOrDefault(k => Canonical(k) == Canonical(key));

    // The options reader's spelling rule: lower case without underscores or hyphens.
    private static string Canonical(string name) => new(name.Where(c => c is not ('_' or '-')).Select(char.ToLowerInvariant).ToArray());
}

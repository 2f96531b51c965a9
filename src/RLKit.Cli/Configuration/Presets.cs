using System.Text.Json.Nodes;

namespace RLKit.Cli.Configuration;

/// <summary>
/// The tuned hyperparameters shipped inside the tool: one rl-zoo-style file per algorithm (embedded from
/// <c>Presets/&lt;algo&gt;.yml</c>), keyed by environment id, each verified by a training run.
/// </summary>
internal static class Presets
{
    private const string Prefix = "RLKit.Cli.Presets.";
    private const string Extension = ".yml";

    /// <summary>The algorithms with a preset file, ordered.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = typeof(Presets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Extension, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Extension.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The text of <paramref name="algorithm"/>'s preset file, or null.</summary>
    public static string? Text(string algorithm)
    {
        using var stream = typeof(Presets).Assembly.GetManifestResourceStream(Prefix + algorithm.ToLowerInvariant() + Extension);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The environment ids <paramref name="algorithm"/>'s preset file covers.</summary>
    public static IReadOnlyList<string> Environments(string algorithm) =>
        Parse(algorithm) is JsonObject sections ? sections.Select(s => s.Key).ToArray() : [];

    /// <summary>The preset for <paramref name="algorithm"/> on <paramref name="environmentId"/>, or null.</summary>
    public static Hyperparameters? Find(string algorithm, string environmentId) =>
        Parse(algorithm) is JsonObject sections && sections.ContainsKey(environmentId)
            ? Hyperparameters.FromFile(sections, environmentId, $"the {algorithm.ToLowerInvariant()} preset")
            : null;

    private static JsonNode? Parse(string algorithm) =>
        Text(algorithm) is { } text ? YamlJson.Parse(text, $"the {algorithm.ToLowerInvariant()} preset") : null;
}

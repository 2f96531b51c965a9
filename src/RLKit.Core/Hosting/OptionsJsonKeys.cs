using System.Reflection;
using System.Text.Json.Nodes;

namespace RLKit.Hosting;

/// <summary>
/// Maps the keys of a configuration file's options object onto the options record's property names, so users can
/// write them as they are used to: PascalCase (C#), camelCase (JSON) or snake_case (rl-zoo). A key that names no
/// property is an error naming the key and the nearest valid one, never silently ignored.
/// </summary>
internal static class OptionsJsonKeys
{
    /// <summary>
    /// Returns <paramref name="json"/> with every object key renamed to the matching property of
    /// <paramref name="optionsType"/> (recursively into nested options records).
    /// </summary>
    /// <exception cref="ArgumentException">If a key matches no property, or two keys match the same one.</exception>
    /// <exception cref="System.Text.Json.JsonException">If the text is not JSON.</exception>
    public static string Normalize(string json, Type optionsType, string owner)
    {
        var root = JsonNode.Parse(json);
        if (root is JsonObject obj) Rename(obj, optionsType, owner, path: "");
        return root?.ToJsonString() ?? json;
    }

    private static void Rename(JsonObject obj, Type type, string owner, string path)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => Canonical(p.Name), StringComparer.Ordinal);
        foreach (var (key, value) in obj.ToList())
        {
            string where = path.Length == 0 ? key : $"{path}.{key}";
            if (!properties.TryGetValue(Canonical(key), out var property))
                throw new ArgumentException(
                    $"{owner}: the option \"{where}\" is not an option of {type.Name}; did you mean \"{Nearest(key, properties.Values.Select(p => p.Name))}\"? " +
                    $"Known options: {string.Join(", ", properties.Values.Select(p => p.Name).Order(StringComparer.Ordinal))}.", "json");
            if (key != property.Name)
            {
                if (obj.ContainsKey(property.Name))
                    throw new ArgumentException($"{owner}: the options name {property.Name} twice (\"{key}\" and \"{property.Name}\").", "json");
                obj.Remove(key);
                obj[property.Name] = value;
            }
            var nested = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (value is JsonObject child && nested.IsClass && nested != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(nested))
                Rename(child, nested, owner, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
        }
    }

    /// <summary>The spelling-independent form of a name: lower case, without underscores or hyphens.</summary>
    private static string Canonical(string name) =>
        new(name.Where(c => c is not ('_' or '-')).Select(char.ToLowerInvariant).ToArray());

    private static string Nearest(string key, IEnumerable<string> names) =>
        names.MinBy(name => Distance(Canonical(key), Canonical(name))) ?? "";

    // Levenshtein distance: the fewest single-character edits between a and b.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

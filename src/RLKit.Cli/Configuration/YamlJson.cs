using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RLKit.Cli.Configuration;

/// <summary>
/// Turns YAML into the JSON the library's options reader validates, so a YAML file, a <c>--set</c> value and a JSON
/// file go through one validation path. Scalars follow the YAML 1.2 core schema (what rl-zoo files rely on): plain
/// <c>true</c>/<c>false</c>, <c>null</c>/<c>~</c>, integers and floats (<c>1e5</c>, <c>.inf</c>) become JSON literals;
/// quoted scalars stay strings; the <c>!!int</c>, <c>!!float</c>, <c>!!bool</c>, <c>!!str</c> and <c>!!null</c> tags force a type.
/// </summary>
internal static partial class YamlJson
{
    /// <summary>Reads one YAML document.</summary>
    /// <param name="yaml">The text.</param>
    /// <param name="source">Names the text in error messages (a file path, "--set learning_rate").</param>
    /// <exception cref="ConfigurationException">If the text is not YAML; the message names the source, line and column.</exception>
    public static JsonNode? Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {Innermost(e).Message}", e);
        }
        return stream.Documents.Count switch
        {
            0 => null,
            1 => ToJson(stream.Documents[0].RootNode, source),
            _ => throw new ConfigurationException($"{source}: holds {stream.Documents.Count} YAML documents; expected one."),
        };
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static JsonNode? ToJson(YamlNode node, string source) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping, source),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(child => ToJson(child, source)).ToArray()),
        YamlScalarNode scalar => Scalar(scalar, source),
        _ => throw new ConfigurationException($"{source}: line {node.Start.Line}: unsupported YAML node {node.NodeType}."),
    };

    private static JsonObject ToObject(YamlMappingNode mapping, string source)
    {
        var obj = new JsonObject();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
                throw new ConfigurationException($"{source}: line {keyNode.Start.Line}: a key must be a non-empty scalar.");
            if (obj.ContainsKey(key))
                throw new ConfigurationException($"{source}: line {keyNode.Start.Line}: the key \"{key}\" appears twice.");
            obj[key] = ToJson(valueNode, source);
        }
        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar, string source)
    {
        string text = scalar.Value ?? "";
        string tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        string where = $"{source}: line {scalar.Start.Line}";
        switch (tag)
        {
            case "tag:yaml.org,2002:str": return JsonValue.Create(text);
            case "tag:yaml.org,2002:null": return null;
            case "tag:yaml.org,2002:bool":
                return Bool(text) is { } b ? JsonValue.Create(b) : throw new ConfigurationException($"{where}: \"{text}\" is not a bool.");
            case "tag:yaml.org,2002:int":
            case "tag:yaml.org,2002:float":
                return Number(text) ?? throw new ConfigurationException($"{where}: \"{text}\" is not a number.");
            case "":
            case "!":
                break;
            default:
                throw new ConfigurationException($"{where}: unsupported YAML tag {tag} (use !!int, !!float, !!bool, !!str or !!null).");
        }
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || tag == "!") return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (Bool(text) is { } value) return JsonValue.Create(value);
        return Number(text) ?? JsonValue.Create(text);
    }

    private static bool? Bool(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    /// <summary>
    /// A number as JSON: whole values as integer literals (so <c>n_timesteps: 1e5</c> fills an integer option), the YAML
    /// infinities and NaN as the named literals the options reader accepts.
    /// </summary>
    private static JsonNode? Number(string text)
    {
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return JsonValue.Create("Infinity");
            case "-.inf" or "-.Inf" or "-.INF": return JsonValue.Create("-Infinity");
            case ".nan" or ".NaN" or ".NAN": return JsonValue.Create("NaN");
        }
        if (!CoreNumber().IsMatch(text)) return null;
        var invariant = CultureInfo.InvariantCulture;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out long whole)) return JsonValue.Create(whole);
        if (!double.TryParse(text, NumberStyles.Float, invariant, out double real) || !double.IsFinite(real)) return null;
        return real == Math.Floor(real) && Math.Abs(real) <= 1L << 53 ? JsonValue.Create((long)real) : JsonValue.Create(real);
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex CoreNumber();
}

using RLKit.Environments;

namespace RLKit.Distributed.Wire;

/// <summary>
/// Infos on the wire: only values of primitive types (numbers, bool, string) travel, and a batch whose rows have no
/// info at all sends none. Richer values stay on the worker; the documentation says so.
/// </summary>
internal static class WireInfo
{
    public static Dictionary<string, object>?[]? From(IReadOnlyList<IReadOnlyDictionary<string, object>> infos)
    {
        Dictionary<string, object>?[]? wire = null;
        for (int i = 0; i < infos.Count; i++)
        {
            if (infos[i].Count == 0) continue;
            Dictionary<string, object>? row = null;
            foreach (var (key, value) in infos[i])
            {
                if (!IsPrimitive(value)) continue;
                (row ??= new Dictionary<string, object>(StringComparer.Ordinal))[key] = value;
            }
            if (row is null) continue;
            wire ??= new Dictionary<string, object>?[infos.Count];
            wire[i] = row;
        }
        return wire;
    }

    public static IReadOnlyDictionary<string, object> At(Dictionary<string, object>?[]? wire, int row) =>
        wire?[row] is { } info ? info : EnvInfo.Empty;

    private static bool IsPrimitive(object value) =>
        value is bool or byte or short or int or long or float or double or string or ulong or uint;
}

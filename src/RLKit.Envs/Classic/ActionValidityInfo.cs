using System.Collections.ObjectModel;

namespace RLKit.Envs.Classic;

/// <summary>Cached step-info dictionaries of the restricted environments, so Step allocates nothing.</summary>
internal static class ActionValidityInfo
{
    /// <summary>The info key: whether the step's action was valid (bool).</summary>
    public const string Key = "action_valid";

    public static IReadOnlyDictionary<string, object> Valid { get; } =
        new ReadOnlyDictionary<string, object>(new Dictionary<string, object> { [Key] = true });

    public static IReadOnlyDictionary<string, object> Invalid { get; } =
        new ReadOnlyDictionary<string, object>(new Dictionary<string, object> { [Key] = false });
}

namespace RLKit.Environments;

/// <summary>
/// An id-based catalog of environments, like Gymnasium's registry: <c>Make("CartPole-v1")</c>, plus a listing of
/// ids with descriptions. Works without dependency injection; RLKit.Envs fills the standard catalog.
/// </summary>
public sealed class EnvironmentCatalog
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskSetEntry> _taskSets = new(StringComparer.Ordinal);

    /// <summary>One registered environment.</summary>
    /// <param name="Id">The id passed to <see cref="Make"/>.</param>
    /// <param name="Description">One line for listings.</param>
    /// <param name="OptionsType">The options record the factory accepts (null if it takes none).</param>
    /// <param name="Factory">Creates the environment from options (null means defaults).</param>
    public sealed record Entry(string Id, string Description, Type? OptionsType, Func<object?, IEnvironment> Factory);

    /// <summary>One registered task set.</summary>
    public sealed record TaskSetEntry(string Id, string Description, Type? OptionsType, Func<object?, ITaskSet> Factory);

    /// <summary>Registers an environment; an id may be registered once.</summary>
    /// <exception cref="ArgumentException">If the id is empty or already registered.</exception>
    public void Register(string id, string description, Func<object?, IEnvironment> factory, Type? optionsType = null)
    {
        CheckNewId(id, _entries.ContainsKey(id));
        ArgumentNullException.ThrowIfNull(factory);
        _entries[id] = new Entry(id, description ?? "", optionsType, factory);
    }

    /// <summary>Registers a task set; an id may be registered once.</summary>
    public void RegisterTaskSet(string id, string description, Func<object?, ITaskSet> factory, Type? optionsType = null)
    {
        CheckNewId(id, _taskSets.ContainsKey(id));
        ArgumentNullException.ThrowIfNull(factory);
        _taskSets[id] = new TaskSetEntry(id, description ?? "", optionsType, factory);
    }

    /// <summary>Creates the environment registered as <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">If the id is unknown; the message lists the known ids.</exception>
    /// <exception cref="ArgumentException">If <paramref name="options"/> is not of the type the environment accepts.</exception>
    public IEnvironment Make(string id, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_entries.TryGetValue(id, out var entry))
            throw new KeyNotFoundException($"No environment '{id}' is registered. Known ids: {string.Join(", ", _entries.Keys.Order())}.");
        CheckOptions(id, entry.OptionsType, options);
        return entry.Factory(options);
    }

    /// <summary>Creates the task set registered as <paramref name="id"/>.</summary>
    public ITaskSet MakeTaskSet(string id, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_taskSets.TryGetValue(id, out var entry))
            throw new KeyNotFoundException($"No task set '{id}' is registered. Known task sets: {string.Join(", ", _taskSets.Keys.Order())}.");
        CheckOptions(id, entry.OptionsType, options);
        return entry.Factory(options);
    }

    /// <summary>Registered environments, ordered by id.</summary>
    public IReadOnlyList<Entry> Environments => _entries.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    /// <summary>Registered task sets, ordered by id.</summary>
    public IReadOnlyList<TaskSetEntry> TaskSets => _taskSets.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="id"/> names a registered environment.</summary>
    public bool Contains(string id) => _entries.ContainsKey(id);

    private static void CheckNewId(string id, bool exists)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("An environment id must not be empty.", nameof(id));
        if (exists) throw new ArgumentException($"'{id}' is already registered.", nameof(id));
    }

    private static void CheckOptions(string id, Type? optionsType, object? options)
    {
        if (options is null) return;
        if (optionsType is null)
            throw new ArgumentException($"'{id}' takes no options, but {options.GetType().Name} was given.", nameof(options));
        if (!optionsType.IsInstanceOfType(options))
            throw new ArgumentException($"'{id}' takes options of type {optionsType.Name}, but {options.GetType().Name} was given.", nameof(options));
    }
}

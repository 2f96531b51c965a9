namespace RLKit.Hosting;

/// <summary>
/// The algorithms known by name: a registry of <see cref="IAgentEstimatorFactory"/> keyed case-insensitively by
/// <see cref="IAgentEstimatorFactory.Algorithm"/>. The one place an algorithm is registered: estimators are created
/// (<see cref="AgentCatalog.Create(string, object?)"/>) and checkpoints are restored
/// (<see cref="Training.Checkpoints.Checkpoint.LoadAgent"/>) through it.
/// </summary>
/// <remarks>
/// <c>AddRLKit</c> fills one and registers it as a singleton (each factory is also a keyed service); a context made
/// without one, and <c>Checkpoint.LoadAgent(path)</c>, use <see cref="CreateDefault"/>'s algorithms.
/// </remarks>
public sealed class AlgorithmRegistry
{
    private readonly Dictionary<string, IAgentEstimatorFactory> _factories = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>
    /// A new registry holding the algorithms of every package the application deploys that declares an
    /// <see cref="IRLKitModule"/> (RLKit.Algorithms: the classic algorithms). The modules are found once per process.
    /// </summary>
    /// <exception cref="InvalidOperationException">If a module fails while adding its algorithms; the message names it.</exception>
    public static AlgorithmRegistry CreateDefault()
    {
        var registry = new AlgorithmRegistry();
        foreach (var factory in RLKitModules.Algorithms.Factories) registry.TryAdd(factory);
        return registry;
    }

    /// <summary>Registers <paramref name="factory"/> unless its algorithm is already registered.</summary>
    /// <returns>True if added; false if the name was already taken (the first registration wins, like TryAdd).</returns>
    public bool TryAdd(IAgentEstimatorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        lock (_lock) return _factories.TryAdd(factory.Algorithm, factory);
    }

    /// <summary>Whether <paramref name="algorithm"/> is registered.</summary>
    public bool Contains(string algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        lock (_lock) return _factories.ContainsKey(algorithm);
    }

    /// <summary>The registered names, ordered.</summary>
    public IReadOnlyList<string> Algorithms
    {
        get { lock (_lock) return _factories.Keys.Order(StringComparer.OrdinalIgnoreCase).ToArray(); }
    }

    /// <summary>The registered factories, ordered by name.</summary>
    public IReadOnlyList<IAgentEstimatorFactory> Factories
    {
        get { lock (_lock) return _factories.Values.OrderBy(f => f.Algorithm, StringComparer.OrdinalIgnoreCase).ToArray(); }
    }

    /// <summary>The factory registered as <paramref name="algorithm"/> (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">If the name is unknown; the message lists the known names.</exception>
    public IAgentEstimatorFactory Get(string algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        lock (_lock)
        {
            if (_factories.TryGetValue(algorithm, out var factory)) return factory;
        }
        throw new KeyNotFoundException($"No algorithm '{algorithm}' is registered. Known algorithms: {DescribeKnown()}.");
    }

    /// <summary>The registered names for error messages, or what to do when there are none.</summary>
    internal string DescribeKnown()
    {
        var known = Algorithms;
        return known.Count == 0 ? "none (call AddClassicAlgorithms() or register a factory)" : string.Join(", ", known);
    }

    /// <summary>Tries to find the factory registered as <paramref name="algorithm"/>.</summary>
    public bool TryGet(string algorithm, out IAgentEstimatorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        lock (_lock) return _factories.TryGetValue(algorithm, out factory!);
    }
}

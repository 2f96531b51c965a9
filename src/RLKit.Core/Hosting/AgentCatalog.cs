namespace RLKit.Hosting;

/// <summary>
/// <see cref="RLContext.Agents"/>: creates estimators. Each algorithm package adds extension methods with a simple
/// overload and an options overload (RLKit.Algorithms: <c>rl.Agents.Ppo()</c>, <c>rl.Agents.Ppo(o =&gt; o with { Gamma = 0.98f })</c>,
/// <c>rl.Agents.Ppo(new PpoOptions { ... })</c>); <see cref="Create(string, object?)"/> chooses an algorithm by name.
/// </summary>
/// <remarks>
/// Estimators made through the simple overloads are seeded from the context (<see cref="NextSeed"/>), so a context
/// with a fixed seed gives the same estimators in the same order, as ML.NET's <c>MLContext(seed)</c> does. An options
/// record passed in is used as given, seed included.
/// </remarks>
public sealed class AgentCatalog
{
    private readonly RLContext _context;

    internal AgentCatalog(RLContext context, AlgorithmRegistry algorithms)
    {
        _context = context;
        Algorithms = algorithms;
    }

    /// <summary>The algorithms known by name.</summary>
    public AlgorithmRegistry Algorithms { get; }

    /// <summary>The context this catalog belongs to.</summary>
    public RLContext Context => _context;

    /// <summary>The next seed for an algorithm's options, derived from the context's seed.</summary>
    public ulong NextSeed() => _context.NextSeed();

    /// <summary>Registers an algorithm for <see cref="Create(string, object?)"/> unless its name is taken.</summary>
    /// <returns>True if added.</returns>
    public bool Register(IAgentEstimatorFactory factory) => Algorithms.TryAdd(factory);

    /// <summary>
    /// Creates the estimator registered as <paramref name="algorithm"/> (case-insensitive), e.g. from a command line.
    /// Without options, the algorithm's defaults seeded from the context are used.
    /// </summary>
    /// <param name="algorithm">A registered name such as "ppo".</param>
    /// <param name="options">An instance of the algorithm's options record (see <see cref="IAgentEstimatorFactory.OptionsType"/>), or null.</param>
    /// <exception cref="KeyNotFoundException">If the name is unknown; the message lists the known names.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public ConfiguredEstimator Create(string algorithm, object? options = null)
    {
        var factory = Algorithms.Get(algorithm);
        return factory.Create(options ?? factory.CreateOptions(NextSeed()));
    }

    /// <summary>Creates the estimator registered as <paramref name="algorithm"/> with options read from JSON (a config file).</summary>
    /// <exception cref="KeyNotFoundException">If the name is unknown; the message lists the known names.</exception>
    /// <exception cref="ArgumentException">If the JSON does not describe the algorithm's options.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public ConfiguredEstimator CreateFromJson(string algorithm, string optionsJson)
    {
        var factory = Algorithms.Get(algorithm);
        return factory.Create(factory.ParseOptions(optionsJson));
    }
}

using RLKit.Training;

namespace RLKit.Hosting;

/// <summary>
/// <see cref="RLContext.Agents"/>: creates estimators. <see cref="Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
/// creates one from an algorithm's typed factory, and each algorithm package names its algorithms with one-line
/// extension members over it (RLKit.Algorithms: <c>rl.Agents.Ppo()</c>, <c>rl.Agents.Ppo(o =&gt; o with { Gamma = 0.98f })</c>,
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
    /// Creates <paramref name="algorithm"/>'s estimator from its default options seeded from the context
    /// (<see cref="NextSeed"/>), changed by <paramref name="configure"/> when given.
    /// </summary>
    /// <param name="algorithm">The algorithm's typed factory, e.g. <c>ClassicAlgorithms.Ppo</c>.</param>
    /// <param name="configure">Changes the seeded defaults (<c>o =&gt; o with { Gamma = 0.98f }</c>); null keeps them.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public TEstimator Create<TOptions, TAgent, TEstimator>(AgentEstimatorFactory<TOptions, TAgent, TEstimator> algorithm,
                                                           Func<TOptions, TOptions>? configure = null)
        where TOptions : class
        where TAgent : class, IAgent
        where TEstimator : class, IAgentEstimator<TAgent>
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var options = algorithm.DefaultOptions(NextSeed());
        return algorithm.CreateEstimator(configure is null ? options : configure(options));
    }

    /// <summary>Creates <paramref name="algorithm"/>'s estimator with exactly <paramref name="options"/> (seed included).</summary>
    /// <param name="algorithm">The algorithm's typed factory, e.g. <c>ClassicAlgorithms.Ppo</c>.</param>
    /// <param name="options">The options, used as given.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public TEstimator Create<TOptions, TAgent, TEstimator>(AgentEstimatorFactory<TOptions, TAgent, TEstimator> algorithm, TOptions options)
        where TOptions : class
        where TAgent : class, IAgent
        where TEstimator : class, IAgentEstimator<TAgent>
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(options);
        return algorithm.CreateEstimator(options);
    }

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

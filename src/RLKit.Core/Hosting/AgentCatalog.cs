using RLKit.Training;

namespace RLKit.Hosting;

/// <summary>
/// <see cref="RLContext.Agents"/>: creates estimators. <see cref="Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
/// creates one from an algorithm's typed factory, and each algorithm package names its algorithms with one-line
/// extension members over it (RLKit.Algorithms: <c>rl.Agents.Ppo()</c>, <c>rl.Agents.Ppo(o =&gt; o with { Gamma = 0.98f })</c>,
/// <c>rl.Agents.Ppo(new PpoOptions { ... })</c>); <see cref="Create(string, object?)"/> chooses an algorithm by name.
/// </summary>
/// <remarks>
/// The seed rule: an explicit seed wins; otherwise the context's stream decides. An options record whose seed was set
/// (<c>PpoOptions.CartPole with { Seed = 7 }</c>, a "seed" key in JSON; <see cref="ISeedableOptions.IsSeedSet"/>) keeps
/// it; every other estimator takes the context's next seed (<see cref="NextSeed"/>), whether it starts from the defaults
/// or from a record passed in (<c>rl.Agents.Ppo(PpoOptions.CartPole)</c>). So a context with a fixed seed gives the same
/// estimators in the same order, as ML.NET's <c>MLContext(seed)</c> does.
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
        ulong seed = NextSeed();
        var options = algorithm.DefaultOptions(seed);
        if (configure is not null) options = configure(options);
        // A configure function that returns a record of its own (o => PpoOptions.CartPole) still gets the stream's seed.
        return algorithm.CreateEstimator(IsUnseeded(options) ? algorithm.WithSeed(options, seed) : options);
    }

    private static bool IsUnseeded(object? options) => options is ISeedableOptions { IsSeedSet: false };

    /// <summary>
    /// Creates <paramref name="algorithm"/>'s estimator with <paramref name="options"/>, and the context's next seed if
    /// the record's seed is unset (<see cref="ISeedableOptions.IsSeedSet"/>).
    /// </summary>
    /// <param name="algorithm">The algorithm's typed factory, e.g. <c>ClassicAlgorithms.Ppo</c>.</param>
    /// <param name="options">The options, used as given apart from an unset seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public TEstimator Create<TOptions, TAgent, TEstimator>(AgentEstimatorFactory<TOptions, TAgent, TEstimator> algorithm, TOptions options)
        where TOptions : class
        where TAgent : class, IAgent
        where TEstimator : class, IAgentEstimator<TAgent>
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(options);
        return algorithm.CreateEstimator(IsUnseeded(options) ? algorithm.WithSeed(options, NextSeed()) : options);
    }

    /// <summary>
    /// Creates the estimator registered as <paramref name="algorithm"/> (case-insensitive), e.g. from a command line.
    /// Without options, the algorithm's defaults seeded from the context are used; options whose seed is unset take the
    /// context's next seed.
    /// </summary>
    /// <param name="algorithm">A registered name such as "ppo".</param>
    /// <param name="options">An instance of the algorithm's options record (see <see cref="IAgentEstimatorFactory.OptionsType"/>), or null.</param>
    /// <exception cref="KeyNotFoundException">If the name is unknown; the message lists the known names.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public ConfiguredEstimator Create(string algorithm, object? options = null)
    {
        var factory = Algorithms.Get(algorithm);
        return factory.Create(Seeded(factory, options ?? factory.CreateOptions(NextSeed())));
    }

    private object Seeded(IAgentEstimatorFactory factory, object options) =>
        IsUnseeded(options) ? factory.WithSeed(options, NextSeed()) : options;

    /// <summary>
    /// Creates the estimator registered as <paramref name="algorithm"/> with options read from JSON (a config file); without
    /// a "seed" key the context's next seed is used.
    /// </summary>
    /// <exception cref="KeyNotFoundException">If the name is unknown; the message lists the known names.</exception>
    /// <exception cref="ArgumentException">If the JSON does not describe the algorithm's options.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public ConfiguredEstimator CreateFromJson(string algorithm, string optionsJson)
    {
        var factory = Algorithms.Get(algorithm);
        return factory.Create(Seeded(factory, factory.ParseOptions(optionsJson)));
    }
}

using System.Text.Json;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Hosting;

/// <summary>
/// The standard <see cref="IAgentEstimatorFactory"/>: an algorithm described by its options record, how to seed it, and
/// its estimator's constructor. Algorithm packages create one per algorithm.
/// </summary>
/// <typeparam name="TOptions">The options record.</typeparam>
/// <typeparam name="TAgent">The agent type.</typeparam>
public sealed class AgentEstimatorFactory<TOptions, TAgent> : IAgentEstimatorFactory
    where TOptions : class
    where TAgent : class, IAgent
{
    private readonly Func<TOptions> _defaults;
    private readonly Func<TOptions, ulong, TOptions> _withSeed;
    private readonly Func<TOptions, IAgentEstimator<TAgent>> _create;

    /// <summary>Describes an algorithm.</summary>
    /// <param name="algorithm">The key and short name, e.g. "ppo".</param>
    /// <param name="description">One line for listings.</param>
    /// <param name="estimatorType">The estimator type <paramref name="create"/> returns.</param>
    /// <param name="defaults">Creates the default options.</param>
    /// <param name="withSeed">Returns a copy of the options with another seed (<c>(o, s) =&gt; o with { Seed = s }</c>).</param>
    /// <param name="create">Creates the estimator; it validates the options.</param>
    public AgentEstimatorFactory(string algorithm, string description, Type estimatorType, Func<TOptions> defaults,
                                 Func<TOptions, ulong, TOptions> withSeed, Func<TOptions, IAgentEstimator<TAgent>> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        ArgumentNullException.ThrowIfNull(estimatorType);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(withSeed);
        ArgumentNullException.ThrowIfNull(create);
        Algorithm = algorithm;
        Description = description ?? "";
        EstimatorType = estimatorType;
        _defaults = defaults;
        _withSeed = withSeed;
        _create = create;
    }

    /// <inheritdoc/>
    public string Algorithm { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public Type OptionsType => typeof(TOptions);

    /// <inheritdoc/>
    public Type EstimatorType { get; }

    /// <inheritdoc/>
    public Type AgentType => typeof(TAgent);

    /// <summary>The default options, with <paramref name="seed"/> when given.</summary>
    public TOptions DefaultOptions(ulong? seed = null)
    {
        var options = _defaults();
        return seed is { } s ? _withSeed(options, s) : options;
    }

    /// <summary>A copy of <paramref name="options"/> with seed <paramref name="seed"/>.</summary>
    public TOptions WithSeed(TOptions options, ulong seed) => _withSeed(options, seed);

    /// <inheritdoc/>
    public object CreateOptions(ulong? seed = null) => DefaultOptions(seed);

    /// <inheritdoc/>
    public object ParseOptions(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<TOptions>(json, Checkpoint.JsonOptions)
                   ?? throw new ArgumentException($"{Algorithm}: the JSON options are null.", nameof(json));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{Algorithm}: the JSON does not describe {typeof(TOptions).Name}: {e.Message}", nameof(json), e);
        }
    }

    /// <summary>Creates the typed estimator; the options are validated once here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public IAgentEstimator<TAgent> CreateEstimator(TOptions? options = null) => _create(options ?? _defaults());

    /// <inheritdoc/>
    public ConfiguredEstimator Create(object? options = null)
    {
        if (options is not null and not TOptions)
            throw new ArgumentException($"{Algorithm} takes options of type {typeof(TOptions).Name}, but {options.GetType().Name} was given.", nameof(options));
        var typed = (TOptions?)options ?? _defaults();
        return new ConfiguredEstimator<TAgent>(Algorithm, _create(typed), typed);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Algorithm} ({typeof(TOptions).Name}): {Description}";
}

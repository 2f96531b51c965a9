using System.Text.Json;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Hosting;

/// <summary>
/// The standard <see cref="IAgentEstimatorFactory"/>: an algorithm described by its options record, how to seed it, its
/// estimator's constructor and its agent's restore from a checkpoint. Algorithm packages create one per algorithm,
/// usually the typed <see cref="AgentEstimatorFactory{TOptions, TAgent, TEstimator}"/>.
/// </summary>
/// <typeparam name="TOptions">The options record.</typeparam>
/// <typeparam name="TAgent">The agent type.</typeparam>
public class AgentEstimatorFactory<TOptions, TAgent> : IAgentEstimatorFactory
    where TOptions : class
    where TAgent : class, IAgent
{
    private readonly Func<TOptions> _defaults;
    private readonly Func<TOptions, ulong, TOptions> _withSeed;
    private readonly Func<TOptions, IAgentEstimator<TAgent>> _create;
    private readonly Func<CheckpointData, TAgent> _restore;

    /// <summary>Describes an algorithm.</summary>
    /// <param name="algorithm">The key and short name, e.g. "ppo".</param>
    /// <param name="description">One line for listings.</param>
    /// <param name="estimatorType">The estimator type <paramref name="create"/> returns.</param>
    /// <param name="defaults">Creates the default options.</param>
    /// <param name="withSeed">Returns a copy of the options with another seed (<c>(o, s) =&gt; o with { Seed = s }</c>).</param>
    /// <param name="create">Creates the estimator; it validates the options.</param>
    /// <param name="restore">Rebuilds an agent from a checkpoint of this algorithm (e.g. <c>PpoAgent.FromCheckpoint</c>).</param>
    public AgentEstimatorFactory(string algorithm, string description, Type estimatorType, Func<TOptions> defaults,
                                 Func<TOptions, ulong, TOptions> withSeed, Func<TOptions, IAgentEstimator<TAgent>> create,
                                 Func<CheckpointData, TAgent> restore)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        ArgumentNullException.ThrowIfNull(estimatorType);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(withSeed);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(restore);
        Algorithm = algorithm;
        Description = description ?? "";
        EstimatorType = estimatorType;
        _defaults = defaults;
        _withSeed = withSeed;
        _create = create;
        _restore = restore;
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
    /// <exception cref="ArgumentException">If <paramref name="options"/> is not a <typeparamref name="TOptions"/>.</exception>
    object IAgentEstimatorFactory.WithSeed(object options, ulong seed) =>
        options is TOptions typed
            ? _withSeed(typed, seed)
            : throw new ArgumentException($"{Algorithm} takes options of type {typeof(TOptions).Name}, but {options?.GetType().Name ?? "null"} was given.", nameof(options));

    /// <inheritdoc/>
    public object ParseOptions(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<TOptions>(OptionsJsonKeys.Normalize(json, typeof(TOptions), Algorithm), Checkpoint.OptionsReadingJson)
                   ?? throw new ArgumentException($"{Algorithm}: the JSON options are null.", nameof(json));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{Algorithm}: the JSON does not describe {typeof(TOptions).Name}: {e.Message}", nameof(json), e);
        }
    }

    /// <summary>Creates the typed estimator; the options are validated once here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid; the message names the option and its allowed range.</exception>
    public virtual IAgentEstimator<TAgent> CreateEstimator(TOptions? options = null) => _create(options ?? _defaults());

    /// <inheritdoc/>
    public ConfiguredEstimator Create(object? options = null)
    {
        if (options is not null and not TOptions)
            throw new ArgumentException($"{Algorithm} takes options of type {typeof(TOptions).Name}, but {options.GetType().Name} was given.", nameof(options));
        var typed = (TOptions?)options ?? _defaults();
        return new ConfiguredEstimator<TAgent>(Algorithm, _create(typed), typed);
    }

    /// <inheritdoc/>
    public IAgent Restore(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return _restore(checkpoint) ?? throw new InvalidOperationException($"{Algorithm}: the restore returned no agent.");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Algorithm} ({typeof(TOptions).Name}): {Description}";
}

/// <summary>
/// An <see cref="AgentEstimatorFactory{TOptions, TAgent}"/> that knows its estimator type, so that
/// <see cref="AgentCatalog.Create{TOptions, TAgent, TEstimator}(AgentEstimatorFactory{TOptions, TAgent, TEstimator}, Func{TOptions, TOptions}?)"/>
/// returns the estimator itself (a <c>PpoEstimator</c>, with its fluent methods) rather than an interface.
/// </summary>
/// <typeparam name="TOptions">The options record.</typeparam>
/// <typeparam name="TAgent">The agent type.</typeparam>
/// <typeparam name="TEstimator">The estimator type.</typeparam>
/// <param name="algorithm">The key and short name, e.g. "ppo".</param>
/// <param name="description">One line for listings.</param>
/// <param name="defaults">Creates the default options.</param>
/// <param name="withSeed">Returns a copy of the options with another seed (<c>(o, s) =&gt; o with { Seed = s }</c>).</param>
/// <param name="create">Creates the estimator; it validates the options.</param>
/// <param name="restore">Rebuilds an agent from a checkpoint of this algorithm (e.g. <c>PpoAgent.FromCheckpoint</c>).</param>
public sealed class AgentEstimatorFactory<TOptions, TAgent, TEstimator>(
    string algorithm, string description, Func<TOptions> defaults, Func<TOptions, ulong, TOptions> withSeed,
    Func<TOptions, TEstimator> create, Func<CheckpointData, TAgent> restore)
    : AgentEstimatorFactory<TOptions, TAgent>(algorithm, description, typeof(TEstimator), defaults, withSeed, create, restore)
    where TOptions : class
    where TAgent : class, IAgent
    where TEstimator : class, IAgentEstimator<TAgent>
{
    /// <inheritdoc/>
    public override TEstimator CreateEstimator(TOptions? options = null) => (TEstimator)base.CreateEstimator(options);
}

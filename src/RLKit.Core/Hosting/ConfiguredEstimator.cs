using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Training;

namespace RLKit.Hosting;

/// <summary>
/// An estimator chosen by name (<see cref="IAgentEstimatorFactory.Create"/>), usable without knowing its agent type:
/// <see cref="Fit(IVectorEnvironment, Budget, IProgress{TrainingUpdate}?, CancellationToken)"/> returns an
/// <see cref="IAgent"/>. Cast <see cref="Estimator"/> to the concrete type for its typed API.
/// </summary>
public abstract class ConfiguredEstimator
{
    private protected ConfiguredEstimator() { }

    /// <summary>The algorithm's short name, e.g. "ppo".</summary>
    public abstract string Algorithm { get; }

    /// <summary>The estimator, e.g. a <c>PpoEstimator</c>.</summary>
    public abstract object Estimator { get; }

    /// <summary>The validated options the estimator was created with.</summary>
    public abstract object Options { get; }

    /// <summary>Trains on a vector environment (SameStep autoreset) and returns the agent.</summary>
    public abstract IAgent Fit(IVectorEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
                               CancellationToken cancellationToken = default);

    /// <summary>Trains on a single environment and returns the agent.</summary>
    public abstract IAgent Fit(IEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
                               CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public override string ToString() => $"{Algorithm}: {Options}";
}

/// <summary>The typed <see cref="ConfiguredEstimator"/>.</summary>
/// <typeparam name="TAgent">The agent type the estimator produces.</typeparam>
public sealed class ConfiguredEstimator<TAgent> : ConfiguredEstimator where TAgent : class, IAgent
{
    /// <summary>Wraps <paramref name="estimator"/> created with <paramref name="options"/>.</summary>
    public ConfiguredEstimator(string algorithm, IAgentEstimator<TAgent> estimator, object options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(options);
        Algorithm = algorithm;
        TypedEstimator = estimator;
        Options = options;
    }

    /// <inheritdoc/>
    public override string Algorithm { get; }

    /// <summary>The estimator with its agent type.</summary>
    public IAgentEstimator<TAgent> TypedEstimator { get; }

    /// <inheritdoc/>
    public override object Estimator => TypedEstimator;

    /// <inheritdoc/>
    public override object Options { get; }

    /// <inheritdoc/>
    public override IAgent Fit(IVectorEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
                               CancellationToken cancellationToken = default) =>
        TypedEstimator.Fit(environment, budget, progress, cancellationToken);

    /// <inheritdoc/>
    public override IAgent Fit(IEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
                               CancellationToken cancellationToken = default) =>
        TypedEstimator.Fit(environment, budget, progress, cancellationToken);
}

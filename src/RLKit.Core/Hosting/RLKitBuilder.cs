using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RLKit.Environments;

namespace RLKit.Hosting;

/// <summary>
/// Returned by <c>services.AddRLKit(...)</c>: adds algorithms and environments. Packages add extension methods
/// (<c>AddClassicAlgorithms()</c> in RLKit.Algorithms, <c>AddStandardEnvironments()</c> in RLKit.Envs). Every
/// method is idempotent: a name registered twice is registered once.
/// </summary>
public sealed class RLKitBuilder
{
    private readonly RLKitRegistrations _registrations;

    internal RLKitBuilder(IServiceCollection services, RLKitRegistrations registrations)
    {
        Services = services;
        _registrations = registrations;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The algorithms registered so far (the registry the container will hand out).</summary>
    public AlgorithmRegistry Algorithms => _registrations.Algorithms;

    /// <summary>
    /// Registers an algorithm: in the <see cref="AlgorithmRegistry"/> and as a keyed singleton
    /// <see cref="IAgentEstimatorFactory"/> under its name, so <c>GetRequiredKeyedService&lt;IAgentEstimatorFactory&gt;("ppo")</c>
    /// works; other casings ("PPO") resolve to the same factory, as they do in the registry. A name already registered,
    /// in any casing, is left as it is.
    /// </summary>
    public RLKitBuilder AddAlgorithm(IAgentEstimatorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (_registrations.Algorithms.TryAdd(factory))
            Services.TryAddKeyedSingleton(factory.Algorithm, factory);
        return this;
    }

    /// <summary>
    /// Adds environments to the container's <see cref="EnvironmentCatalog"/>: <paramref name="register"/> runs once,
    /// when the catalog is first resolved. A <paramref name="name"/> already added is left as it is.
    /// </summary>
    /// <param name="name">Names this group of environments for idempotency, e.g. "standard".</param>
    /// <param name="register">Registers the environments into the catalog.</param>
    public RLKitBuilder AddEnvironments(string name, Action<EnvironmentCatalog> register)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(register);
        _registrations.TryAddEnvironments(name, register);
        return this;
    }

    /// <summary>Sets the seed of the container's <see cref="RLContext"/> (default 0).</summary>
    public RLKitBuilder UseSeed(ulong seed)
    {
        _registrations.Seed = seed;
        return this;
    }
}

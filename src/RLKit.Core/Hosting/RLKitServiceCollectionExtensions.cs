using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RLKit.Environments;

namespace RLKit.Hosting;

/// <summary>Registers RLKit in a <see cref="IServiceCollection"/>.</summary>
public static class RLKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers RLKit: a singleton <see cref="RLContext"/>, its <see cref="EnvironmentCatalog"/> and
    /// <see cref="AlgorithmRegistry"/>, and whatever <paramref name="configure"/> adds, e.g.
    /// <c>services.AddRLKit(b =&gt; b.AddClassicAlgorithms().AddStandardEnvironments())</c>. Algorithms become keyed
    /// <see cref="IAgentEstimatorFactory"/> services under their names ("ppo", "dqn", ...), resolved case-insensitively
    /// like <see cref="AlgorithmRegistry"/>: the key "PPO" gives the "ppo" factory, and a string key the registry does
    /// not know gives null (<c>GetKeyedService</c>) or the container's usual error (<c>GetRequiredKeyedService</c>).
    /// </summary>
    /// <remarks>
    /// Idempotent: calling it again extends the same registrations and adds no service twice (TryAdd). The context
    /// uses the container's <see cref="ILoggerFactory"/> when one is registered.
    /// </remarks>
    /// <returns>The builder, to add more.</returns>
    public static RLKitBuilder AddRLKit(this IServiceCollection services, Action<RLKitBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registrations = FindRegistrations(services);
        if (registrations is null)
        {
            registrations = new RLKitRegistrations();
            services.AddSingleton(registrations);
        }
        services.TryAddSingleton(registrations.Algorithms);
        // Exact names are registered by AddAlgorithm; any other key falls through to this lookup in the registry, so
        // keyed resolution ignores case as the registry does.
        services.TryAddKeyedSingleton<IAgentEstimatorFactory>(KeyedService.AnyKey, (sp, key) =>
            key is string name && sp.GetRequiredService<AlgorithmRegistry>().TryGet(name, out var factory) ? factory : null!);
        services.TryAddSingleton(sp => sp.GetRequiredService<RLKitRegistrations>().CreateEnvironmentCatalog());
        services.TryAddSingleton(sp => new RLContext(
            sp.GetRequiredService<EnvironmentCatalog>(),
            sp.GetRequiredService<AlgorithmRegistry>(),
            sp.GetRequiredService<RLKitRegistrations>().Seed,
            sp.GetService<ILoggerFactory>()));
        var builder = new RLKitBuilder(services, registrations);
        configure?.Invoke(builder);
        return builder;
    }

    private static RLKitRegistrations? FindRegistrations(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (!descriptor.IsKeyedService && descriptor.ServiceType == typeof(RLKitRegistrations))
                return (RLKitRegistrations?)descriptor.ImplementationInstance;
        }
        return null;
    }
}

using Microsoft.Extensions.DependencyInjection;
using RLKit.Environments;

namespace RLKit.Distributed.Hosting;

/// <summary>Silo configuration: <c>siloBuilder.AddRLKitWorkers(StandardEnvironments.CreateCatalog)</c>.</summary>
public static class RLKitSiloBuilderExtensions
{
    /// <summary>
    /// Lets this silo host RLKit's grains (rollout workers, evaluation and sweep runs) over the environments of
    /// <paramref name="catalog"/>. Every silo of a cluster must register the same ids with the same behaviour: a
    /// worker that moves to another silo after a failure is rebuilt there from the id, options and seed.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="catalog">Makes the environment catalog (called once); e.g. <c>StandardEnvironments.CreateCatalog</c> from RLKit.Envs.</param>
    public static ISiloBuilder AddRLKitWorkers(this ISiloBuilder builder, Func<EnvironmentCatalog> catalog)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(catalog);
        builder.Services.AddSingleton(_ => new WorkerEnvironments(catalog() ?? throw new InvalidOperationException("AddRLKitWorkers: the catalog factory returned null.")));
        return builder;
    }
}

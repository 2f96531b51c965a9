using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using RLKit.Distributed.Hosting;
using RLKit.Envs;

namespace RLKit.Distributed.Tests;

/// <summary>
/// An in-process Orleans cluster (Orleans.TestingHost: in-memory transport and membership, nothing leaves the process)
/// whose silos host RLKit's grains over the standard environments, with failure detection tuned so that a killed silo
/// is declared dead within a few seconds.
/// </summary>
internal static class Cluster
{
    public static async Task<InProcessTestCluster> StartAsync(short silos)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddRLKitWorkers(StandardEnvironments.CreateCatalog);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static RLKitCluster Handle(InProcessTestCluster cluster) =>
        new(cluster.Client, StandardEnvironments.CreateCatalog(), new DistributedOptions { RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromSeconds(1), MaxAttempts = 120 });
}

using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using RLKit.Training;

namespace RLKit.Distributed.Sample;

/// <summary>The learner's side: an Orleans client host, and progress lines.</summary>
internal static class Learner
{
    /// <summary>Starts a client that reaches the cluster through the given loopback gateway ports.</summary>
    public static async Task<IHost> ConnectAsync(int[] gatewayPorts)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .UseStaticClustering(gatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray())
            // A call to a worker on a silo that died without closing its sockets fails only at this timeout (30 s by
            // default); every call here is short, so fail over sooner.
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>One line per tenth of the budget.</summary>
    public sealed class Progress(long budget) : IProgress<TrainingUpdate>
    {
        private long _next = budget / 10;

        public void Report(TrainingUpdate update)
        {
            if (update.Steps < _next && !update.IsFinal) return;
            _next += budget / 10;
            Console.WriteLine($"  {update.Steps,9:N0} steps, mean return {update.MeanReturn?.ToString("0.0") ?? "-"}");
        }
    }
}

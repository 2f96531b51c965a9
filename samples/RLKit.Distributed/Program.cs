// RLKit on an Orleans cluster, on one machine (localhost clustering):
//   dotnet run -c Release -- silo --port 11111                  the first (primary) silo
//   dotnet run -c Release -- silo --port 11112                  more silos (they find the primary on 11111)
//   dotnet run -c Release -- learn --workers 4 --envs-per-worker 2 --steps 100000 --gateways 30000,30001
//   dotnet run -c Release -- bench                              the measurements of docs/performance.md
// A silo's gateway (where learners connect) is its port + 18889 (11111 → 30000). On real machines, replace localhost
// clustering with a membership provider (docs/distributed.md).
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RLKit.Algorithms.Ppo;
using RLKit.Distributed;
using RLKit.Distributed.Hosting;
using RLKit.Distributed.Sample;
using RLKit.Training;

const int PrimaryPort = 11111, GatewayOffset = 30000 - 11111;
var invariant = CultureInfo.InvariantCulture;
string mode = args.Length > 0 ? args[0] : "help";
string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
int IntOption(string name, int fallback, int min, int max)
{
    string text = Option(name, fallback.ToString(invariant));
    if (!int.TryParse(text, NumberStyles.Integer, invariant, out int value) || value < min || value > max)
        throw new ArgumentOutOfRangeException(name, text, $"{name} must be an integer in [{min}, {max}].");
    return value;
}

switch (mode)
{
    case "silo":
    {
        int port = IntOption("--port", PrimaryPort, 1024, 65535 - GatewayOffset);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: port, gatewayPort: port + GatewayOffset, primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, PrimaryPort))
            .AddRLKitWorkers(SlowStep.Catalog));
        Console.WriteLine($"silo: port {port}, gateway {port + GatewayOffset}{(port == PrimaryPort ? " (primary)" : $", primary on {PrimaryPort}")}; Ctrl+C stops it");
        await builder.Build().RunAsync();
        return 0;
    }
    case "learn":
    {
        int workers = IntOption("--workers", 4, 1, 4096), perWorker = IntOption("--envs-per-worker", 2, 1, 65536);
        int steps = IntOption("--steps", 100_000, 1, int.MaxValue), seed = IntOption("--seed", 1, 0, int.MaxValue);
        string id = Option("--env", "CartPole-v1");
        int[] gateways = Option("--gateways", "30000").Split(',').Select(p => int.Parse(p, invariant)).ToArray();
        using var client = await Learner.ConnectAsync(gateways);
        var cluster = new RLKitCluster(client.Services.GetRequiredService<IClusterClient>(), SlowStep.Catalog());
        Console.WriteLine($"learn: PPO on {id}, {workers} workers × {perWorker} environments, {steps:N0} steps, seed {seed}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var env = cluster.VectorEnvironment(id, workers, perWorker, (ulong)seed);
        Console.WriteLine($"workers on silos: {string.Join(", ", env.Delivery.Workers.Select(w => w.Silo).Distinct())}");
        var agent = new PpoEstimator(PpoOptions.CartPole with { Seed = (ulong)seed }).Fit(env, Budget.Steps(steps), new Learner.Progress(steps));
        Console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:0.0} s; delivery: {env.Delivery.Accepted:N0} replies accepted, {env.Delivery.DuplicatesDropped} duplicates dropped, " +
                          $"{env.Delivery.Workers.Sum(w => w.Retries)} retries, {env.Delivery.Recoveries} workers rebuilt");
        var evaluation = await cluster.EvaluateAsync(agent, id, [.. Enumerable.Range(0, 20).Select(k => (ulong)(10_000 + k))]);
        Console.WriteLine(string.Create(invariant, $"RESULT mode=learn env={id} workers={workers} envs_per_worker={perWorker} steps={steps} mean_return={evaluation.MeanReturn:0.00} seeds=20"));
        return 0;
    }
    case "bench":
        await Benchmark.RunAsync(Option("--out", ""), Option("--only", ""));
        return 0;
    default:
        Console.WriteLine("usage: silo --port N | learn [--workers 4] [--envs-per-worker 2] [--steps 100000] [--seed 1] [--env CartPole-v1] [--gateways 30000,30001] | bench [--out file.md] [--only offpolicy]");
        return mode == "help" ? 0 : 2;
}

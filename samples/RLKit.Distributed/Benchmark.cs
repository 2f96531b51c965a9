using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Distributed.Hosting;
using RLKit.Distributed.Policies;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Training;

namespace RLKit.Distributed.Sample;

/// <summary>
/// The distributed measurements of docs/performance.md, on one silo and a learner in this process that talk over
/// loopback TCP (real serialization and sockets, no network latency): rollout throughput on a 50 µs-step environment
/// with 1, 2 and 4 workers; the cost of one weight broadcast; the per-message and per-transition cost of remote steps.
/// </summary>
internal static class Benchmark
{
    private const int SiloPort = 21111, GatewayPort = 40000;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="outPath">Where to write the report (markdown), or "" for the console only.</param>
    /// <param name="only">"offpolicy" for the off-policy learner section alone, or "" for everything.</param>
    public static async Task RunAsync(string outPath, string only = "")
    {
        var siloBuilder = Host.CreateApplicationBuilder();
        siloBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        siloBuilder.UseOrleans(silo => silo.UseLocalhostClustering(SiloPort, GatewayPort).AddRLKitWorkers(SlowStep.Catalog));
        using var silo = siloBuilder.Build();
        await silo.StartAsync();
        using var client = await Learner.ConnectAsync([GatewayPort]);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        var cluster = new RLKitCluster(grains, SlowStep.Catalog());
        var report = new StringBuilder();
        void Line(string text)
        {
            Console.WriteLine(text);
            report.AppendLine(text);
        }

        // Warm-up: JIT every path (tiered compilation) and open the connections before anything is timed.
        Throughput(cluster.VectorEnvironment("CartPole-v1", 2, 16, seed: 1), steps: 3000);
        Throughput(Local("CartPole-v1", 16), steps: 3000);
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        Line($"Machine: {Environment.ProcessorCount} logical cores, load average {load} at the start; one silo and the learner in one process, loopback TCP.");
        Line("");
        if (only == "offpolicy")
        {
            OffPolicyLearnerThroughput(cluster, Line);
            await Finish();
            return;
        }
        Line("Rollout throughput, SlowCartPole-v1 (50 µs per step), 8 environments per worker, random actions:");
        Line("| workers | environments | transitions/s | local sync, same count |");
        Line("|---:|---:|---:|---:|");
        foreach (int workers in new[] { 1, 2, 4 })
        {
            double remote = Throughput(cluster.VectorEnvironment(SlowStep.Id50Microseconds, workers, 8, seed: 1), steps: 300);
            double local = Throughput(Local(SlowStep.Id50Microseconds, workers * 8), steps: 300);
            Line(string.Create(Invariant, $"| {workers} | {workers * 8} | {remote:N0} | {local:N0} |"));
        }

        Line("");
        Line("Policy-copy rollouts (workers act with their own copy of the QuickStart policy), SlowCartPole-v1, 8 environments per worker, 32-step segments, 3 s each:");
        Line("| workers | transitions/s |");
        Line("|---:|---:|");
        var policy = Agent([64, 64]);
        foreach (int workers in new[] { 1, 2, 4 })
        {
            double rate = await PolicyCopyThroughput(cluster, policy, workers);
            Line(string.Create(Invariant, $"| {workers} | {rate:N0} |"));
        }

        Line("");
        Line("Per-step cost of remote stepping, CartPole-v1 (about 1 µs per step), 1 worker:");
        Line("| environments per worker | local µs per vector step | remote µs per vector step | overhead per message (µs) | overhead per transition (µs) |");
        Line("|---:|---:|---:|---:|---:|");
        foreach (int count in new[] { 1, 16, 64, 256 })
        {
            int steps = count >= 64 ? 1000 : 3000;
            double local = 1e6 / (Throughput(Local("CartPole-v1", count), steps) / count);
            double remote = 1e6 / (Throughput(cluster.VectorEnvironment("CartPole-v1", 1, count, seed: 1), steps) / count);
            Line(string.Create(Invariant, $"| {count} | {local:0.0} | {remote:0.0} | {remote - local:0.0} | {(remote - local) / count:0.00} |"));
        }

        Line("");
        Line("One weight broadcast (safetensors bytes, every worker acknowledges), PPO actor-critic on CartPole:");
        Line("| network | bytes | 1 worker (ms) | 4 workers (ms) |");
        Line("|---|---:|---:|---:|");
        foreach (var (name, hidden) in new[] { ("QuickStart [64, 64]", new[] { 64, 64 }), ("[256, 256]", new[] { 256, 256 }) })
        {
            var agent = Agent(hidden);
            var (bytes, one) = await Broadcast(grains, cluster, agent, workers: 1);
            var (_, four) = await Broadcast(grains, cluster, agent, workers: 4);
            Line(string.Create(Invariant, $"| {name} | {bytes:N0} | {one:0.00} | {four:0.00} |"));
        }

        Line("");
        OffPolicyLearnerThroughput(cluster, Line);
        await Finish();

        async Task Finish()
        {
            if (outPath.Length > 0)
            {
                string temporary = outPath + ".tmp";
                await File.WriteAllTextAsync(temporary, report.ToString());
                File.Move(temporary, outPath, overwrite: true);
            }
            await client.StopAsync();
            await silo.StopAsync();
        }
    }

    /// <summary>
    /// Transitions per second a DQN learner takes in, synchronous (<c>Fit</c> on the remote vector environment: the
    /// learner acts, every vector step is a round trip) against asynchronous (<c>Fit</c> on an experience stream: the
    /// workers act with published weights and send 32-step segments), with 8 environments per worker, on SlowCartPole-v1 (50 µs per step) and CartPole-v1 (about 1 µs). "Collect only": no gradient step (LearningStarts past the budget), so the transport alone. "Learning":
    /// DQN's CartPole ratio of 128 regressions per 256 transitions (TrainFrequency scaled by the number of streams).
    /// </summary>
    private static void OffPolicyLearnerThroughput(RLKitCluster cluster, Action<string> line)
    {
        const int PerWorker = 8;
        line("Off-policy learner throughput (DQN, 8 environments per worker; transitions received per second of Fit):");
        line("| environment | workers | mode | sync (remote vector env) | async (experience stream) | async / sync |");
        line("|---|---:|---|---:|---:|---:|");
        // Warm-up of both paths.
        Rate("CartPole-v1", sync: true, workers: 1, learning: true, steps: 2_000);
        Rate("CartPole-v1", sync: false, workers: 1, learning: true, steps: 2_000);
        foreach (var (id, workers) in new[] { (SlowStep.Id50Microseconds, 1), (SlowStep.Id50Microseconds, 2), (SlowStep.Id50Microseconds, 4), ("CartPole-v1", 1), ("CartPole-v1", 4) })
        {
            foreach (bool learning in new[] { false, true })
            {
                int steps = learning ? 10_000 : 20_000;
                double sync = Rate(id, sync: true, workers, learning, steps);
                double async = Rate(id, sync: false, workers, learning, steps);
                line(string.Create(Invariant, $"| {id} | {workers} | {(learning ? "learning" : "collect only")} | {sync:N0} | {async:N0} | {async / sync:0.00} |"));
            }
        }

        double Rate(string id, bool sync, int workers, bool learning, int steps)
        {
            int streams = workers * PerWorker;
            var options = new DqnOptions
            {
                LearningStarts = learning ? 500 : steps + 1,
                TrainFrequency = Math.Max(1, 256 / streams),
                GradientSteps = 128,
                Seed = 1,
            };
            var clock = Stopwatch.StartNew();
            if (sync)
            {
                using var env = cluster.VectorEnvironment(id, workers, PerWorker, seed: 1);
                clock.Restart();
                new DqnEstimator(options).Fit(env, Budget.Steps(steps));
            }
            else
            {
                var stream = cluster.ExperienceStream(id, workers, PerWorker, seed: 1);
                try
                {
                    new DqnEstimator(options).Fit(stream, Budget.Steps(steps));
                }
                finally
                {
                    stream.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            return steps / clock.Elapsed.TotalSeconds;
        }
    }

    private static IVectorEnvironment Local(string id, int count)
    {
        var catalog = SlowStep.Catalog();
        var env = new SyncVectorEnvironment(Enumerable.Range(0, count).Select(_ => catalog.Make(id)).ToArray());
        env.Reset(1);
        return env;
    }

    /// <summary>Transitions per second over <paramref name="steps"/> vector steps of random actions, after a warm-up; disposes the environment.</summary>
    private static double Throughput(IVectorEnvironment env, int steps)
    {
        using (env)
        {
            var random = new Random(1);
            var actions = new int[env.Count];
            for (int t = 0; t < steps / 10 + 20; t++) Step();
            var clock = Stopwatch.StartNew();
            for (int t = 0; t < steps; t++) Step();
            return (double)steps * env.Count / clock.Elapsed.TotalSeconds;

            void Step()
            {
                for (int i = 0; i < actions.Length; i++) actions[i] = random.Next(2);
                env.Step(actions);
            }
        }
    }

    /// <summary>Transitions per second streamed by policy-copy rollouts over 3 s, after a 1 s warm-up.</summary>
    private static async Task<double> PolicyCopyThroughput(RLKitCluster cluster, PpoAgent policy, int workers)
    {
        await using var rollouts = await cluster.PolicyRolloutsAsync(policy, SlowStep.Id50Microseconds, workers, 8, seed: 1);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        long transitions = 0;
        Stopwatch? clock = null;
        var warm = Stopwatch.StartNew();
        await foreach (var segment in rollouts.StreamAsync(32, stop.Token))
        {
            if (clock is null && warm.Elapsed >= TimeSpan.FromSeconds(1)) clock = Stopwatch.StartNew();
            else if (clock is not null) transitions += segment.Transitions.Count;
        }
        return transitions / clock!.Elapsed.TotalSeconds;
    }

    private static PpoAgent Agent(int[] hidden)
    {
        using var env = Local("CartPole-v1", 1);
        return new PpoEstimator(PpoOptions.CartPole with { HiddenSizes = hidden, StepsPerEnvironment = 8, MinibatchSize = 8, Epochs = 1 }).Fit(env, Budget.Steps(8));
    }

    /// <summary>The bytes and mean milliseconds of one broadcast to <paramref name="workers"/> policy workers.</summary>
    private static async Task<(int Bytes, double Milliseconds)> Broadcast(IClusterClient grains, RLKitCluster cluster, PpoAgent agent, int workers)
    {
        var group = new PolicyWorkerGroup(grains, $"bench-{Guid.NewGuid():N}", workers, agent, cluster.Options);
        await group.InitializeAsync();
        int bytes = 0;
        for (int k = 0; k < 20; k++) bytes = await group.BroadcastAsync(agent);
        const int Rounds = 200;
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < Rounds; k++) await group.BroadcastAsync(agent);
        return (bytes, clock.Elapsed.TotalMilliseconds / Rounds);
    }
}

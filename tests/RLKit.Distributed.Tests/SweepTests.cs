using System.Text.Json;
using Orleans.TestingHost;
using RLKit.Algorithms.Ppo;
using RLKit.Distributed.Sweeps;
using RLKit.Training.Checkpoints;

namespace RLKit.Distributed.Tests;

/// <summary>A sweep of six short PPO runs across three silos, one of which is killed midway: all six finish, exactly once.</summary>
[TestFixture, Category("Slow")]
public sealed class SweepTests
{
    private const long Steps = 40_960;

    private static SweepJob[] Jobs() => Enumerable.Range(0, 6).Select(i => new SweepJob(
        $"ppo-cartpole-{i}", "ppo", "CartPole-v1", Steps, Environments: 8, Seed: (ulong)(100 + i),
        OptionsJson: JsonSerializer.Serialize(PpoOptions.CartPole with { Seed = (ulong)(100 + i) }, Checkpoint.JsonOptions))).ToArray();

    [Test]
    public async Task ASweepWithASiloKilledMidwayFinishesEveryJobExactlyOnce()
    {
        await using var cluster = await Cluster.StartAsync(3);
        using var output = new TemporaryDirectory("rlkit-sweep");
        var handle = Cluster.Handle(cluster);
        var jobs = Jobs();
        var sweep = handle.RunSweepAsync("sweep-a", jobs, output.FullPath, TimeSpan.FromMilliseconds(100));

        // Midway: once every job has started (the sweep starts them one by one, and on a fast machine the first may
        // already have finished), kill the silo of a job that is still running.
        SweepRunStatus[] statuses;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            statuses = await Task.WhenAll(jobs.Select(j => cluster.Client.GetGrain<ISweepRunGrain>($"sweep-a/{j.Name}").Status()));
        }
        while (statuses.Any(s => s.State == SweepRunState.Idle) && DateTime.UtcNow < deadline);
        Assert.That(statuses.Select(s => s.State), Has.None.EqualTo(SweepRunState.Idle), "every job started");
        var status = statuses.FirstOrDefault(s => s.State == SweepRunState.Running);
        Assert.That(status, Is.Not.Null, "the kill must land while a job runs");
        var onVictim = Enumerable.Range(0, jobs.Length).Where(j => statuses[j].Silo == status!.Silo && statuses[j].State == SweepRunState.Running).ToArray();
        var victim = cluster.Silos.Single(s => s.SiloAddress.ToString() == status!.Silo);
        await cluster.KillSiloAsync(victim);

        var report = await sweep;
        foreach (var job in report.Jobs) TestContext.Out.WriteLine($"{job.Job.Name}: {job.Outcome}, attempts {job.Attempts}, silo {job.Silo}");
        Assert.Multiple(() =>
        {
            Assert.That(report.Jobs.Select(j => j.Outcome), Has.All.EqualTo(SweepJobOutcome.Completed));
            // Each job running on the killed silo is rescheduled once, unless it committed its CSV in the instant
            // before the kill; no job elsewhere is rescheduled.
            Assert.That(report.Jobs.Where(j => j.Attempts > 1).Select(j => Array.IndexOf(jobs, j.Job)), Is.SubsetOf(onVictim));
            Assert.That(report.Jobs.Select(j => j.Attempts), Has.All.InRange(1, 2));
            Assert.That(report.Rescheduled, Is.InRange(1, onVictim.Length));
            Assert.That(report.Jobs.Where(j => j.Attempts > 1).Select(j => j.Silo), Has.None.EqualTo(status!.Silo),
                        "no rescheduled job's result was committed by the dead silo");
        });
        AssertOneCompleteCurvePerJob(output.FullPath, jobs);

        // Resumable: running the sweep again repeats nothing and leaves the files as they are.
        var before = jobs.Select(j => File.ReadAllBytes(j.OutputPath(output.FullPath))).ToArray();
        var again = await handle.RunSweepAsync("sweep-a", jobs, output.FullPath);
        Assert.That(again.Jobs.Select(j => j.Outcome), Has.All.EqualTo(SweepJobOutcome.AlreadyDone));
        Assert.That(jobs.Select(j => File.ReadAllBytes(j.OutputPath(output.FullPath))), Is.EqualTo(before));
    }

    [Test]
    public async Task AnInterruptedSweepResumesWithOnlyTheMissingJobs()
    {
        await using var cluster = await Cluster.StartAsync(2);
        using var output = new TemporaryDirectory("rlkit-sweep");
        var jobs = Jobs().Select(j => j with { Steps = 2048 }).ToArray();
        // A first sweep that ran only the first two jobs (as if the learner had stopped there).
        var first = await Cluster.Handle(cluster).RunSweepAsync("sweep-b", jobs[..2], output.FullPath, TimeSpan.FromMilliseconds(50));
        Assert.That(first.Jobs.Select(j => j.Outcome), Has.All.EqualTo(SweepJobOutcome.Completed));
        var report = await Cluster.Handle(cluster).RunSweepAsync("sweep-b2", jobs, output.FullPath, TimeSpan.FromMilliseconds(50));
        Assert.That(report.Jobs.Select(j => j.Outcome), Is.EqualTo(new[]
        {
            SweepJobOutcome.AlreadyDone, SweepJobOutcome.AlreadyDone, SweepJobOutcome.Completed,
            SweepJobOutcome.Completed, SweepJobOutcome.Completed, SweepJobOutcome.Completed,
        }));
        AssertOneCompleteCurvePerJob(output.FullPath, jobs);
    }

    [Test]
    public void BadJobsAreRejectedWithTheirName()
    {
        var handle = new RLKitCluster(NoCluster.Create(), RLKit.Envs.StandardEnvironments.CreateCatalog());
        var job = Jobs()[0];
        Assert.That(() => handle.RunSweepAsync("s", [job, job], "out"), Throws.ArgumentException.With.Message.Contains("two jobs are named 'ppo-cartpole-0'"));
        Assert.That(() => handle.RunSweepAsync("s", [job with { Name = "../x" }], "out"), Throws.ArgumentException.With.Message.Contains("SweepJob.Name '../x'"));
        Assert.That(() => handle.RunSweepAsync("s", [job with { Steps = 0 }], "out"), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("Steps must be at least 1"));
    }

    private static void AssertOneCompleteCurvePerJob(string directory, SweepJob[] jobs)
    {
        Assert.That(Directory.GetFiles(directory).Select(Path.GetFileName), Is.EquivalentTo(jobs.Select(j => j.Name + ".csv")), "one CSV per job and no temporary file left");
        foreach (var job in jobs)
        {
            var lines = File.ReadAllLines(job.OutputPath(directory));
            Assert.That(lines.Count(l => l.StartsWith("steps,", StringComparison.Ordinal)), Is.EqualTo(1), job.Name);
            var steps = lines.Skip(1).Select(l => long.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.That(steps, Is.Ordered.Ascending, job.Name);
            Assert.That(steps[^1], Is.EqualTo(job.Steps), job.Name);
        }
    }

    /// <summary>A grain factory for tests that must fail before reaching any grain.</summary>
    internal class NoCluster : System.Reflection.DispatchProxy
    {
        public static IGrainFactory Create() => Create<IGrainFactory, NoCluster>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"No cluster: {targetMethod?.Name} was called.");
    }
}

using Orleans.TestingHost;
using RLKit.Algorithms.Ppo;
using RLKit.Distributed.Policies;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Evaluation;

namespace RLKit.Distributed.Tests;

/// <summary>Evaluation over many seeds across silos gives each seed the numbers of a local evaluation; weight broadcasts reach every worker.</summary>
[TestFixture]
public sealed class EvaluationTests
{
    private InProcessTestCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await Cluster.StartAsync(2);

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    private static PpoAgent Train(ulong seed, long steps)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var env = new SyncVectorEnvironment(Enumerable.Range(0, 4).Select(_ => catalog.Make("CartPole-v1")).ToArray());
        return new PpoEstimator(PpoOptions.CartPole with { Seed = seed }).Fit(env, Budget.Steps(steps));
    }

    private static EvaluationReport Local(PpoAgent agent, ulong seed, int episodes, bool deterministic) =>
        Evaluator.Evaluate(agent, StandardEnvironments.CreateCatalog().Make("CartPole-v1"), episodes, deterministic, seed: seed);

    [Test]
    public async Task EachSeedGetsTheNumbersOfALocalEvaluation()
    {
        var agent = Train(seed: 3, steps: 4096);
        ulong[] seeds = [10, 11, 12, 13, 14, 15, 16];
        var result = await Cluster.Handle(_cluster).EvaluateAsync(agent, "CartPole-v1", seeds, episodesPerSeed: 2, deterministic: false, workers: 3);
        Assert.That(result.Seeds, Is.EqualTo(seeds));
        for (int k = 0; k < seeds.Length; k++)
        {
            var local = Local(agent, seeds[k], 2, deterministic: false);
            Assert.That(result.Reports[k].Returns, Is.EqualTo(local.Returns), $"seed {seeds[k]}");
            Assert.That(result.Reports[k].Lengths, Is.EqualTo(local.Lengths), $"seed {seeds[k]}");
        }
        Assert.That(result.MeanReturn, Is.EqualTo(seeds.SelectMany(s => Local(agent, s, 2, false).Returns).Average()).Within(1e-9));
    }

    [Test]
    public async Task ABroadcastReplacesEveryWorkersWeights()
    {
        var first = Train(seed: 1, steps: 512);
        var second = Train(seed: 2, steps: 4096);
        var handle = Cluster.Handle(_cluster);
        var group = new PolicyWorkerGroup(_cluster.Client, $"broadcast-{Guid.NewGuid():N}", workers: 3, first, handle.Options);
        await group.InitializeAsync();
        int bytes = await group.BroadcastAsync(second);
        Assert.That(bytes, Is.GreaterThan(second.Weights.Values.Sum(t => t.Size) * sizeof(float)));
        Assert.That(await Task.WhenAll(group.Workers.Select(w => w.Version())), Has.All.EqualTo(1));
        var expected = Local(second, 7, 1, deterministic: false);
        for (int w = 0; w < 3; w++)
        {
            var evaluated = await group.WithPolicyAsync(w, worker => worker.Evaluate("CartPole-v1", null, [7], 1, false));
            Assert.That(evaluated[0].Returns, Is.EqualTo(expected.Returns), $"worker {w}");
        }
    }

    [Test]
    public void BadArgumentsAreRejectedWithTheirNames()
    {
        var agent = Train(seed: 1, steps: 128);
        var handle = new RLKitCluster(SweepTests.NoCluster.Create(), StandardEnvironments.CreateCatalog());
        Assert.That(() => handle.EvaluateAsync(agent, "CartPole-v1", []), Throws.ArgumentException.With.Property("ParamName").EqualTo("seeds"));
        Assert.That(() => handle.EvaluateAsync(agent, "CartPole-v1", [1], episodesPerSeed: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("episodesPerSeed"));
        Assert.That(() => handle.EvaluateAsync(agent, "CartPole-v1", [1], workers: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("workers"));
        Assert.That(() => handle.EvaluateAsync(agent, "NoSuchEnv-v0", [1]), Throws.InstanceOf<KeyNotFoundException>());
        Assert.That(() => handle.VectorEnvironment("CartPole-v1", workers: 0, environmentsPerWorker: 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("workers"));
        Assert.That(() => handle.VectorEnvironment("CartPole-v1", workers: 1, environmentsPerWorker: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("environmentsPerWorker"));
        Assert.That(() => new RLKitCluster(SweepTests.NoCluster.Create(), StandardEnvironments.CreateCatalog(), new DistributedOptions { MaxAttempts = 0 }),
                    Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxAttempts"));
    }
}

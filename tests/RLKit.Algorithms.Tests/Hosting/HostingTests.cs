using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Environments;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Hosting;

[TestFixture]
public sealed class HostingTests
{
    private static ServiceProvider BuildProvider() =>
        new ServiceCollection().AddRLKit(b => b.AddClassicAlgorithms().AddStandardEnvironments().UseSeed(7)).Services.BuildServiceProvider();

    [TestCase("ppo", typeof(PpoEstimator))]
    [TestCase("a2c", typeof(A2cEstimator))]
    [TestCase("reinforce", typeof(ReinforceEstimator))]
    [TestCase("dqn", typeof(DqnEstimator))]
    [TestCase("sql", typeof(SoftQEstimator))]
    [TestCase("sac", typeof(SacEstimator))]
    [TestCase("sac-discrete", typeof(DiscreteSacEstimator))]
    [TestCase("td3", typeof(Td3Estimator))]
    [TestCase("ddpg", typeof(DdpgEstimator))]
    [TestCase("cdqn", typeof(RLKit.Algorithms.Cdqn.CdqnEstimator))]
    public void EveryClassicAlgorithmResolvesByKey(string key, Type estimatorType)
    {
        using var provider = BuildProvider();
        var factory = provider.GetRequiredKeyedService<IAgentEstimatorFactory>(key);
        var configured = factory.Create();
        // The estimator's own Algorithm property, not the factory's key, so a factory wired to the wrong estimator fails.
        var estimatorAlgorithm = (string?)configured.Estimator.GetType().GetProperty("Algorithm")!.GetValue(configured.Estimator);
        Assert.Multiple(() =>
        {
            Assert.That(factory.Algorithm, Is.EqualTo(key));
            Assert.That(configured.Estimator, Is.TypeOf(estimatorType));
            Assert.That(factory.EstimatorType, Is.EqualTo(estimatorType));
            Assert.That(estimatorAlgorithm, Is.EqualTo(key));
            Assert.That(configured.Options, Is.InstanceOf(factory.OptionsType));
            Assert.That(provider.GetRequiredService<AlgorithmRegistry>().Get(key), Is.SameAs(factory));
        });
    }

    [TestCase("PPO", "ppo")]
    [TestCase("Sac-Discrete", "sac-discrete")]
    [TestCase("dQn", "dqn")]
    public void KeyedFactoriesIgnoreCaseAsTheRegistryDoes(string key, string algorithm)
    {
        using var provider = BuildProvider();
        var registry = provider.GetRequiredService<AlgorithmRegistry>();
        var factory = provider.GetRequiredKeyedService<IAgentEstimatorFactory>(key);
        Assert.That(factory, Is.SameAs(registry.Get(key)));
        Assert.That(factory, Is.SameAs(provider.GetRequiredKeyedService<IAgentEstimatorFactory>(algorithm)));
        Assert.That(factory.Algorithm, Is.EqualTo(algorithm));
    }

    [Test]
    public void AnUnknownKeyedFactoryIsMissingAsItIsFromTheRegistry()
    {
        using var provider = BuildProvider();
        Assert.That(provider.GetRequiredService<AlgorithmRegistry>().TryGet("nope", out _), Is.False);
        Assert.That(provider.GetKeyedService<IAgentEstimatorFactory>("nope"), Is.Null);
        Assert.That(provider.GetKeyedService<IAgentEstimatorFactory>(42), Is.Null);
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IAgentEstimatorFactory>("nope"));
    }

    [Test]
    public void RegistryListsExactlyTheClassicAlgorithms()
    {
        using var provider = BuildProvider();
        Assert.That(provider.GetRequiredService<AlgorithmRegistry>().Algorithms,
                    Is.EqualTo(new[] { "a2c", "cdqn", "ddpg", "dqn", "ppo", "reinforce", "sac", "sac-discrete", "savo", "sql", "td3" }));
    }

    [Test]
    public void PolicyHeadsResolveByKey()
    {
        using var provider = BuildProvider();
        var rng = new RandomGenerator(1);
        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredKeyedService<PolicyHeadFactory>("categorical")(8, 2, rng), Is.TypeOf<CategoricalHead>());
            Assert.That(provider.GetRequiredKeyedService<PolicyHeadFactory>("masked-categorical")(8, 2, rng), Is.TypeOf<MaskedCategoricalHead>());
            Assert.That(provider.GetRequiredKeyedService<PolicyHeadFactory>("diag-gaussian")(8, 2, rng), Is.TypeOf<DiagGaussianHead>());
            Assert.That(provider.GetRequiredKeyedService<PolicyHeadFactory>("tanh-gaussian")(8, 2, rng), Is.TypeOf<TanhGaussianHead>());
            Assert.That(provider.GetRequiredKeyedService<PolicyHeadFactory>("deterministic")(8, 2, rng), Is.TypeOf<DeterministicHead>());
        });
    }

    [Test]
    public void AddRLKitTwiceRegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddRLKit(b => b.AddClassicAlgorithms().AddStandardEnvironments());
        int count = services.Count;
        services.AddRLKit(b => b.AddClassicAlgorithms().AddStandardEnvironments());
        services.AddRLKit().AddClassicAlgorithms();
        Assert.That(services, Has.Count.EqualTo(count));
        Assert.That(count, Is.GreaterThan(9 + 5), "nine algorithms and five heads are keyed services");

        using var provider = services.BuildServiceProvider();
        var context = provider.GetRequiredService<RLContext>();
        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<RLContext>(), Is.SameAs(context), "the context is a singleton");
            Assert.That(context.Environments.Ids, Does.Contain("CartPole-v1"));
            Assert.That(context.Environments.Ids, Is.Unique, "the standard environments were registered into the catalog once");
            Assert.That(context.Agents.Algorithms.Algorithms, Has.Count.EqualTo(ClassicAlgorithms.All.Count));
        });
    }

    [Test]
    public void ContextFromServicesUsesTheConfiguredSeedCatalogAndKeyedEnvironments()
    {
        using var provider = BuildProvider();
        var context = provider.GetRequiredService<RLContext>();
        using var keyed = provider.GetRequiredKeyedService<IEnvironment>("Pendulum-v1");
        Assert.Multiple(() =>
        {
            Assert.That(context.Seed, Is.EqualTo(7UL));
            Assert.That(context.Environments.Catalog, Is.SameAs(provider.GetRequiredService<EnvironmentCatalog>()));
            Assert.That(keyed.Id, Is.EqualTo("Pendulum-v1"));
            Assert.That(context.Agents.Create("dqn").Estimator, Is.TypeOf<DqnEstimator>());
        });
    }

    [Test]
    public void UnknownAlgorithmKeyListsTheKnownOnes()
    {
        using var provider = BuildProvider();
        var context = provider.GetRequiredService<RLContext>();
        var e = Assert.Throws<KeyNotFoundException>(() => context.Agents.Create("ppo2"));
        Assert.That(e!.Message, Does.Contain("'ppo2'").And.Contain("ppo").And.Contain("dqn").And.Contain("sac-discrete"));

        var empty = Assert.Throws<KeyNotFoundException>(() => new RLContext(environments: null, new AlgorithmRegistry(), seed: 1).Agents.Create("ppo"));
        Assert.That(empty!.Message, Does.Contain("AddClassicAlgorithms"));
        Assert.That(new RLContext(seed: 1).Agents.Create("ppo").Estimator, Is.TypeOf<PpoEstimator>(), "a default context has the deployed algorithms");
    }

    [Test]
    public void UnknownEnvironmentIdListsTheKnownOnes()
    {
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var e = Assert.Throws<KeyNotFoundException>(() => rl.Environments.MakeVector("CartPole-v9", count: 2));
        Assert.That(e!.Message, Does.Contain("CartPole-v9").And.Contain("CartPole-v1").And.Contain("Pendulum-v1"));

        var emptyCatalog = new RLContext(new EnvironmentCatalog(), seed: 1);
        var empty = Assert.Throws<KeyNotFoundException>(() => emptyCatalog.Environments.Make("CartPole-v1"));
        Assert.That(empty!.Message, Does.Contain("RLKitEnvs.CreateContext"));
    }

    [Test]
    public void InvalidOptionThroughTheContextNamesTheOptionAndItsRange()
    {
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var ppo = Assert.Throws<ArgumentOutOfRangeException>(() => rl.Agents.Ppo(o => o with { ClipRange = 1.5f }));
        Assert.That(ppo!.ParamName, Is.EqualTo(nameof(PpoOptions.ClipRange)));
        Assert.That(ppo.Message, Does.Contain("ClipRange").And.Contain("(0, 1)"));

        var dqn = Assert.Throws<ArgumentOutOfRangeException>(() => rl.Agents.Dqn(new DqnOptions { LearningStarts = -1 }));
        Assert.That(dqn!.Message, Does.Contain("LearningStarts"));

        rl.Agents.AddClassicAlgorithms();
        var byName = Assert.Throws<ArgumentOutOfRangeException>(() => rl.Agents.CreateFromJson("ppo", """{ "Gamma": 1.5 }"""));
        Assert.That(byName!.Message, Does.Contain("Gamma").And.Contain("[0, 1]"));

        var wrongType = Assert.Throws<ArgumentException>(() => rl.Agents.Create("ppo", new DqnOptions()));
        Assert.That(wrongType!.Message, Does.Contain("PpoOptions").And.Contain("DqnOptions"));
    }

    [Test]
    public void OptionsFromJsonKeepDefaultsForMissingProperties()
    {
        var rl = RLKitEnvs.CreateContext(seed: 1).Agents.AddClassicAlgorithms();
        var configured = rl.CreateFromJson("ppo", """{ "Gamma": 0.9, "Epochs": 3 }""");
        var options = (PpoOptions)configured.Options;
        Assert.Multiple(() =>
        {
            Assert.That(options.Gamma, Is.EqualTo(0.9f));
            Assert.That(options.Epochs, Is.EqualTo(3));
            Assert.That(options.ClipRange, Is.EqualTo(new PpoOptions().ClipRange));
        });
    }

    [TestCase("""{ "learningRate": 0.001, "clip_range": 0.3, "Gamma": 0.9 }""")]
    [TestCase("""{ "learning_rate": 0.001, "ClipRange": 0.3, "gamma": 0.9 }""")]
    public void OptionsFromJsonAcceptPascalCamelAndSnakeCaseKeys(string json)
    {
        var rl = RLKitEnvs.CreateContext(seed: 1).Agents.AddClassicAlgorithms();
        var options = (PpoOptions)rl.CreateFromJson("ppo", json).Options;
        Assert.Multiple(() =>
        {
            Assert.That(options.LearningRate, Is.EqualTo(0.001f));
            Assert.That(options.ClipRange, Is.EqualTo(0.3f));
            Assert.That(options.Gamma, Is.EqualTo(0.9f));
        });
    }

    [Test]
    public void AMisspeltOptionIsAnErrorNamingTheKeyAndTheNearestOption()
    {
        var rl = RLKitEnvs.CreateContext(seed: 1).Agents.AddClassicAlgorithms();
        var misspelt = Assert.Throws<ArgumentException>(() => rl.CreateFromJson("ppo", """{ "Gama": 0.5 }"""));
        Assert.That(misspelt!.Message, Does.Contain("\"Gama\"").And.Contain("did you mean \"Gamma\""));

        var nested = Assert.Throws<ArgumentException>(() => rl.CreateFromJson("ppo", """{ "action_relations": { "encodr": "gcn" } }"""));
        Assert.That(nested!.Message, Does.Contain("ActionRelations.encodr").And.Contain("did you mean \"Encoder\""));

        var twice = Assert.Throws<ArgumentException>(() => rl.CreateFromJson("ppo", """{ "gamma": 0.5, "Gamma": 0.6 }"""));
        Assert.That(twice!.Message, Does.Contain("Gamma twice"));
    }

    [Test]
    public void SimpleOverloadsAreSeededFromTheContext()
    {
        var a = new RLContext(seed: 5);
        var b = new RLContext(seed: 5);
        var c = new RLContext(seed: 6);
        ulong a1 = a.Agents.Ppo().Options.Seed, a2 = a.Agents.Dqn().Options.Seed;
        ulong b1 = b.Agents.Ppo().Options.Seed, b2 = b.Agents.Dqn().Options.Seed;
        Assert.Multiple(() =>
        {
            Assert.That((b1, b2), Is.EqualTo((a1, a2)), "same seed, same calls, same seeds");
            Assert.That(a2, Is.Not.EqualTo(a1), "successive estimators get different seeds");
            Assert.That(c.Agents.Ppo().Options.Seed, Is.Not.EqualTo(a1));
            Assert.That(a.Agents.Ppo(new PpoOptions { Seed = 42 }).Options.Seed, Is.EqualTo(42), "an options record is used as given");
        });
    }

    [Test]
    public void ParameterlessContextFindsTheStandardEnvironments()
    {
        var rl = new RLContext(seed: 3);
        using var env = rl.Environments.MakeVector("CartPole-v1", count: 3, seed: 11);
        Assert.Multiple(() =>
        {
            Assert.That(env.Count, Is.EqualTo(3));
            Assert.That(env.Observations.Shape.ToArray(), Is.EqualTo(new[] { 3, 4 }));
            Assert.That(env.Observations.AsSpan().ToArray(), Has.Some.Not.EqualTo(0f), "MakeVector resets the environments");
        });
    }

    [Test]
    public void ContextFitsEvaluatesSavesAndLoadsPpoOnCartPole()
    {
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var messages = new List<LoggingEventArgs>();
        rl.Log += (_, e) => messages.Add(e);
        var watch = Stopwatch.StartNew();

        using var env = rl.Environments.MakeVector("CartPole-v1", count: 8, seed: 1);
        var estimator = rl.Agents.Ppo(PpoOptions.CartPole with { Seed = 1 });
        var agent = estimator.Fit(env, Budget.Steps(8 * 32 * 60), rl.Progress());

        // A random CartPole policy averages about 22; 1.5e4 PPO steps reach about 110 (seeded), so 80 shows learning.
        var report = rl.Evaluate(agent, "CartPole-v1", episodes: 10, solvedThreshold: 80);
        Assert.Multiple(() =>
        {
            Assert.That(report.Episodes, Is.EqualTo(10));
            Assert.That(report.Solved, Is.True, report.ToString());
            Assert.That(messages.Where(m => m.Update is not null).Select(m => m.Source), Has.All.EqualTo("ppo"));
            Assert.That(messages.Count(m => m.Update is { IsFinal: true }), Is.EqualTo(1), "the final progress report reached Log");
            Assert.That(messages.Count(m => m.Update is { IsFinal: false }), Is.GreaterThanOrEqualTo(3), "per-update reports reached Log");
        });

        string path = Path.Combine(Path.GetTempPath(), $"rlkit-hosting-{Guid.NewGuid():N}.rlkit");
        try
        {
            rl.Model.Save(agent, path);
            var loaded = rl.Model.Load<PpoAgent>(path);
            Assert.That(messages.Select(m => m.Source), Does.Contain("Model"));

            var observations = Tensor.FromArray(Enumerable.Range(0, 256).Select(i => MathF.Sin(i * 0.37f) * 0.2f).ToArray(), 64, 4);
            var expected = new int[64];
            var actual = new int[64];
            agent.Act(observations, expected, deterministic: true);
            loaded.Act(observations, actual, deterministic: true);
            Assert.That(actual, Is.EqualTo(expected), "greedy actions");
            agent.Act(observations, expected, deterministic: false, new RandomGenerator(9));
            loaded.Act(observations, actual, deterministic: false, new RandomGenerator(9));
            Assert.That(actual, Is.EqualTo(expected), "sampled actions with the same generator");
            Assert.That(rl.Evaluate(loaded, "CartPole-v1", episodes: 5, seed: 3).Returns,
                        Is.EqualTo(rl.Evaluate(agent, "CartPole-v1", episodes: 5, seed: 3).Returns));
        }
        finally
        {
            File.Delete(path);
        }
        TestContext.Out.WriteLine($"PPO through RLContext: {report} in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Test]
    public void SavingAnAgentWithoutCheckpointSupportNamesIt()
    {
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var e = Assert.Throws<NotSupportedException>(() => rl.Model.Save(new PlainAgent(), Path.Combine(Path.GetTempPath(), "never.rlkit")));
        Assert.That(e!.Message, Does.Contain("plain").And.Contain("ICheckpointable"));
    }

    [Test]
    public void EveryContextLoadsThroughItsOwnRegistry()
    {
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var agent = new PpoAgent(env.ObservationSpace, env.ActionSpace, new PpoOptions { HiddenSizes = [8] }, new RandomGenerator(1));
        using var directory = new TemporaryDirectory("rlkit-registry");
        string path = directory.File("ppo.rlkit");
        RLKitEnvs.CreateContext(seed: 1).Model.Save(agent, path);
        using var withAlgorithms = BuildProvider();
        using var withoutAlgorithms = new ServiceCollection().AddRLKit(b => b.AddStandardEnvironments()).Services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => withoutAlgorithms.GetRequiredService<RLContext>().Model.Load(path));
        Assert.Multiple(() =>
        {
            Assert.That(withAlgorithms.GetRequiredService<RLContext>().Model.Load(path), Is.TypeOf<PpoAgent>(), "AddRLKit with AddClassicAlgorithms");
            Assert.That(RLKitEnvs.CreateContext(seed: 1).Model.Load(path), Is.TypeOf<PpoAgent>());
            Assert.That(new RLContext(seed: 1).Model.Load(path), Is.TypeOf<PpoAgent>());
            Assert.That(error!.Message, Does.Contain("'ppo'").And.Contain("registered: none")
                                            .And.Contain("RLKit.Algorithms (AlgorithmsModule)").And.Contain("RLKit.Envs (StandardEnvironmentsModule)"));
        });
    }

    [Test]
    public void EachDefaultContextHasItsOwnRegistry()
    {
        var a = new RLContext(seed: 1);
        var b = new RLContext(seed: 1);
        var renamed = new AgentEstimatorFactory<PpoOptions, PpoAgent, PpoEstimator>(
            "my-ppo", "PPO under another name.", static () => new PpoOptions(), static (o, seed) => o with { Seed = seed },
            static o => new PpoEstimator(o), PpoAgent.FromCheckpoint);
        Assert.That(a.Agents.Register(renamed), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(a.Agents.Create("my-ppo").Estimator, Is.TypeOf<PpoEstimator>());
            Assert.That(b.Agents.Algorithms.Contains("my-ppo"), Is.False);
            Assert.That(AlgorithmRegistry.CreateDefault().Contains("my-ppo"), Is.False);
            Assert.That(b.Agents.Algorithms.Algorithms, Is.EqualTo(new[] { "a2c", "cdqn", "ddpg", "distral", "dnc", "dqn", "mt-sac", "ppo", "qmp", "reinforce", "sac", "sac-discrete", "savo", "sql", "td3" }));
        });
    }

    [Test]
    public void NamedEntryPointsAreTheGenericCreate()
    {
        var named = new RLContext(seed: 9).Agents;
        var generic = new RLContext(seed: 9).Agents;
        Assert.Multiple(() =>
        {
            Assert.That(named.Ppo().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.Ppo).Options.Seed));
            Assert.That(named.A2c().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.A2c).Options.Seed));
            Assert.That(named.Reinforce().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.Reinforce).Options.Seed));
            Assert.That(named.Dqn().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.Dqn).Options.Seed));
            Assert.That(named.SoftQ().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.SoftQ).Options.Seed));
            Assert.That(named.Sac().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.Sac).Options.Seed));
            Assert.That(named.DiscreteSac().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.DiscreteSac).Options.Seed));
            Assert.That(named.Td3().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.Td3).Options.Seed));
            Assert.That(named.Ddpg().Options.Seed, Is.EqualTo(generic.Create(ClassicAlgorithms.Ddpg).Options.Seed));
            Assert.That(named.A2c(o => o with { Gamma = 0.9f }).Options.Gamma, Is.EqualTo(0.9f));
            Assert.That(generic.Create(ClassicAlgorithms.Td3, new Td3Options { Seed = 4 }).Options.Seed, Is.EqualTo(4));
        });
    }

    /// <summary>An agent that is not checkpointable.</summary>
    private sealed class PlainAgent : IAgent
    {
        public string Algorithm => "plain";
        public RLKit.Spaces.Space ObservationSpace { get; } = new RLKit.Spaces.Box(-1f, 1f, 4);
        public RLKit.Spaces.Space ActionSpace { get; } = new RLKit.Spaces.Discrete(2);
        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => actions.Clear();
        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
    }
}

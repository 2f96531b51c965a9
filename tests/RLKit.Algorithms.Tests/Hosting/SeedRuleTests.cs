using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Sac;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Envs.Classic;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Hosting;

/// <summary>
/// The seed rule of issue 15: an explicit seed wins; otherwise the context's stream decides; the environment seed used
/// is reported in the training log.
/// </summary>
[TestFixture]
public sealed class SeedRuleTests
{
    private static readonly PpoOptions Small = new() { StepsPerEnvironment = 16, MinibatchSize = 32, Epochs = 1, HiddenSizes = [8] };

    [Test]
    public void A_preset_passed_as_is_takes_the_context_stream_not_seed_0()
    {
        var rl = new RLContext(seed: 5);
        var estimator = rl.Agents.Ppo(PpoOptions.CartPole);
        ulong expected = new RLContext(seed: 5).NextSeed();
        Assert.Multiple(() =>
        {
            Assert.That(estimator.Options.Seed, Is.EqualTo(expected), "the context's first seed");
            Assert.That(estimator.Options.Seed, Is.Not.Zero);
            Assert.That(estimator.Options.StepsPerEnvironment, Is.EqualTo(32), "the preset's values are kept");
            Assert.That(estimator.Options with { Seed = 0 }, Is.EqualTo(PpoOptions.CartPole with { Seed = 0 }), "only the seed changed");
            Assert.That(rl.Agents.Ppo(PpoOptions.CartPole).Options.Seed, Is.Not.EqualTo(estimator.Options.Seed), "the next estimator, the next seed");
        });
    }

    [Test]
    public void An_explicit_seed_wins_even_zero()
    {
        var rl = new RLContext(seed: 5);
        Assert.Multiple(() =>
        {
            Assert.That(rl.Agents.Ppo(PpoOptions.CartPole with { Seed = 0 }).Options.Seed, Is.Zero);
            Assert.That(rl.Agents.Ppo(new PpoOptions { Seed = 42 }).Options.Seed, Is.EqualTo(42));
            Assert.That(rl.Agents.Dqn(o => o with { Seed = 3 }).Options.Seed, Is.EqualTo(3));
            Assert.That(rl.Agents.CreateFromJson("sac", """{ "seed": 9 }""").Options, Has.Property("Seed").EqualTo(9UL));
            Assert.That(((SacOptions)rl.Agents.Create("sac", new SacOptions { Seed = 0 }).Options).Seed, Is.Zero);
        });
    }

    [Test]
    public void Every_other_way_in_takes_the_context_stream()
    {
        var rl = new RLContext(seed: 8);
        var stream = new RLContext(seed: 8);
        Assert.Multiple(() =>
        {
            Assert.That(rl.Agents.Ppo().Options.Seed, Is.EqualTo(stream.NextSeed()), "defaults");
            Assert.That(rl.Agents.Dqn(_ => new DqnOptions()).Options.Seed, Is.EqualTo(stream.NextSeed()), "a configure function that returns its own record");
            Assert.That(((SacOptions)rl.Agents.CreateFromJson("sac", """{ "gamma": 0.98 }""").Options).Seed, Is.EqualTo(stream.NextSeed()), "JSON without a seed");
            Assert.That(((SacOptions)rl.Agents.Create("sac", new SacOptions()).Options).Seed, Is.EqualTo(stream.NextSeed()), "an unseeded record by name");
        });
    }

    [Test]
    public void Without_a_context_an_unset_seed_is_0()
    {
        var options = new PpoOptions();
        Assert.Multiple(() =>
        {
            Assert.That(new PpoEstimator(options).Options.Seed, Is.Zero);
            Assert.That(((ISeedableOptions)options).IsSeedSet, Is.False);
            Assert.That(((ISeedableOptions)(options with { Seed = 0 })).IsSeedSet, Is.True);
            Assert.That(((ISeedableOptions)(options with { Seed = 4 } with { Gamma = 0.9f })).IsSeedSet, Is.True, "with keeps a set seed");
        });
    }

    [Test]
    public void Fit_trains_from_the_seed_given_to_MakeVector_and_reports_it()
    {
        var rl = new RLContext(seed: 1);
        var messages = new List<LoggingEventArgs>();
        rl.Log += (_, e) => messages.Add(e);
        var estimator = rl.Agents.Ppo(Small with { Seed = 3 });
        var updates = new List<TrainingUpdate>();
        using (var env = rl.Environments.MakeVector("CartPole-v1", count: 2, seed: 11))
            estimator.Fit(env, Budget.Steps(128), rl.Progress(new SynchronousProgress(updates.Add)));

        Assert.Multiple(() =>
        {
            Assert.That(updates, Is.Not.Empty);
            Assert.That(updates.Select(u => u.EnvironmentSeed), Has.All.EqualTo(11UL), "the environment's seed, not the options' 3");
            Assert.That(messages.Single(m => m.Update is { IsFinal: true }).Message, Does.Contain("environment seed 11"));
        });
    }

    [Test]
    public void The_MakeVector_seed_changes_training_and_the_same_seed_repeats_it()
    {
        List<(long, double?)> Run(ulong environmentSeed)
        {
            var rl = new RLContext(seed: 1);
            var curve = new List<(long, double?)>();
            using var env = rl.Environments.MakeVector("CartPole-v1", count: 2, seed: environmentSeed);
            rl.Agents.Ppo(Small with { Seed = 3 }).Fit(env, Budget.Steps(256), new SynchronousProgress(u => curve.Add((u.Steps, u.MeanReturn))));
            return curve;
        }

        var first = Run(1);
        Assert.Multiple(() =>
        {
            Assert.That(Run(1), Is.EqualTo(first), "same seeds, same training");
            Assert.That(Run(2), Is.Not.EqualTo(first), "another environment seed, other episodes (it used to be ignored)");
        });
    }

    [Test]
    public void An_environment_without_a_seed_of_its_own_follows_the_stream_or_the_algorithm()
    {
        var rl = new RLContext(seed: 6);
        ulong expected = new RLContext(seed: 6).NextSeed();
        using var fromContext = rl.Environments.MakeVector("CartPole-v1", count: 2);
        Assert.That(fromContext.Seed, Is.EqualTo(expected), "MakeVector without a seed takes the context's next seed");

        var updates = new List<TrainingUpdate>();
        rl.Agents.Ppo(Small with { Seed = 3 }).Fit(fromContext, Budget.Steps(64), new SynchronousProgress(updates.Add));
        Assert.That(updates.Select(u => u.EnvironmentSeed), Has.All.EqualTo(expected));

        // Built by hand and never reset with a seed: Fit resets it with the algorithm's seed, as before.
        var catalog = StandardEnvironments.CreateCatalog();
        using var byHand = new SyncVectorEnvironment([catalog.Make("CartPole-v1"), catalog.Make("CartPole-v1")], AutoresetMode.SameStep);
        Assert.That(byHand.Seed, Is.Null);
        updates.Clear();
        new PpoEstimator(Small with { Seed = 3 }).Fit(byHand, Budget.Steps(64), new SynchronousProgress(updates.Add));
        Assert.Multiple(() =>
        {
            Assert.That(updates.Select(u => u.EnvironmentSeed), Has.All.EqualTo(3UL));
            Assert.That(byHand.Seed, Is.Null, "Fit's own reset is not recorded as the environment's seed (see the next test)");
        });
    }

    [Test]
    public void A_trainers_own_reset_does_not_become_the_environments_seed()
    {
        // Two runs on one environment that was never seeded by its owner: each trains from its own algorithm seed.
        using var env = new SyncVectorEnvironment([new CartPole(), new CartPole()], AutoresetMode.SameStep);
        var seeds = new List<ulong?>();
        new PpoEstimator(Small with { Seed = 3 }).Fit(env, Budget.Steps(64), new SynchronousProgress(u => seeds.Add(u.EnvironmentSeed)));
        Assert.That(env.Seed, Is.Null, "Fit's reset is not recorded as the environment's own seed");
        new PpoEstimator(Small with { Seed = 4 }).Fit(env, Budget.Steps(64), new SynchronousProgress(u => seeds.Add(u.EnvironmentSeed)));
        Assert.That(seeds.Distinct(), Is.EqualTo(new ulong?[] { 3, 4 }));
    }
}

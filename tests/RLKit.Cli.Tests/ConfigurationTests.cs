using RLKit.Cli.Configuration;

namespace RLKit.Cli.Tests;

/// <summary>Hyperparameter files, presets and --set: validated by the library's options reader, errors exit 2 naming the key.</summary>
public class ConfigurationTests
{
    [Test]
    public void AMisspeltConfigKeyExitsWithUsageNamingTheKeyAndTheNearestValidOne()
    {
        using var dir = new TemporaryDirectory();
        string config = dir.File("ppo.yml", "CartPole-v1:\n  n_timesteps: 1000\n  gama: 0.9\n");
        var outcome = Rlkit.Run("train", "--algo", "ppo", "--env", "CartPole-v1", "--config", config, "--out", dir.Combine("m.rlkit"));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
            Assert.That(outcome.Error, Does.Contain("\"gama\"").And.Contain("did you mean \"Gamma\""));
            Assert.That(File.Exists(dir.Combine("m.rlkit")), Is.False, "nothing is trained or written");
        });
    }

    [Test]
    public void SnakeCaseCamelCaseAndPascalCaseKeysAllReachTheOptions()
    {
        using var dir = new TemporaryDirectory();
        string config = dir.File("ppo.yml", """
            CartPole-v1:
              n_envs: 2
              n_timesteps: !!float 2e3
              learning_rate: 5.0e-3
              gaeLambda: 0.7
              Epochs: 3
              hidden_sizes: [32, 16]
              value_clip_range: null
            """);
        var outcome = Rlkit.Run("train", "-a", "ppo", "-e", "CartPole-v1", "-c", config, "--dry-run");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
            Assert.That(outcome.Out, Does.Contain("2,000 steps, 2 environment(s)"));
            Assert.That(outcome.Out, Does.Contain("LearningRate = 0.005").And.Contain("GaeLambda = 0.7").And.Contain("Epochs = 3"));
            Assert.That(outcome.Out, Does.Contain("HiddenSizes = [32, 16]"));
        });
    }

    [Test]
    public void SetOverridesThePresetInAnySpellingAndReachesNestedOptions()
    {
        var outcome = Rlkit.Run("train", "-a", "dqn", "-e", "CartPole-v1", "--dry-run",
                                "--set", "LearningRate=0.002", "--set", "n_envs=3", "--set", "prioritized={alpha: 0.5}", "--set", "prioritized.beta_start=0.3",
                                "--set", "hidden_sizes=[8]");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
            Assert.That(outcome.Out, Does.Contain("3 environment(s)"));
            Assert.That(outcome.Out, Does.Contain("LearningRate = 0.002").And.Contain("HiddenSizes = [8]"));
            Assert.That(outcome.Out, Does.Contain("Alpha = 0.5").And.Contain("BetaStart = 0.3"));
            // The preset's learning_rate is replaced, not doubled (which the options reader would refuse).
            Assert.That(outcome.Out, Does.Not.Contain("learning_rate:"));
        });
    }

    [Test]
    public void AMisspeltSetKeyIsAUsageErrorWithASuggestion()
    {
        var outcome = Rlkit.Run("train", "-a", "ppo", "-e", "CartPole-v1", "--dry-run", "--set", "clip_rnage=0.1");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain("\"clip_rnage\"").And.Contain("did you mean \"ClipRange\""));
    }

    [TestCase("gamma: 1.5", "Gamma")]
    [TestCase("n_envs: 0", "n_envs")]
    [TestCase("n_timesteps: -3", "n_timesteps")]
    [TestCase("policy: CnnPolicy", "policy")]
    [TestCase("epochs: many", "Epochs")]
    public void AnOutOfRangeValueIsAUsageErrorNamingTheKey(string line, string named)
    {
        using var dir = new TemporaryDirectory();
        string config = dir.File("ppo.yml", $"CartPole-v1:\n  {line}\n");
        var outcome = Rlkit.Run("train", "-a", "ppo", "-e", "CartPole-v1", "-c", config, "--dry-run");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain(named));
    }

    [Test]
    public void AFileWithoutTheEnvironmentsSectionListsItsSections()
    {
        using var dir = new TemporaryDirectory();
        string config = dir.File("ppo.yml", "Pendulum-v1:\n  gamma: 0.9\nAcrobot-v1: {}\n");
        var outcome = Rlkit.Run("train", "-a", "ppo", "-e", "CartPole-v1", "-c", config, "--dry-run");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain("no section for CartPole-v1").And.Contain("Pendulum-v1, Acrobot-v1"));
    }

    [TestCase("CartPole-v1:\n  gamma: [0.9\n", "not valid YAML")]
    [TestCase("CartPole-v1:\n  gamma: 0.9\n  gamma: 0.8\n", "gamma")]
    [TestCase("- CartPole-v1\n", "map keyed by environment id")]
    public void AMalformedFileIsAUsageError(string text, string expected)
    {
        using var dir = new TemporaryDirectory();
        string config = dir.File("bad.yml", text);
        var outcome = Rlkit.Run("train", "-a", "ppo", "-e", "CartPole-v1", "-c", config, "--dry-run");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain(expected));
    }

    [Test]
    public void EveryShippedPresetParsesAndValidates()
    {
        var pairs = Presets.Algorithms.SelectMany(a => Presets.Environments(a).Select(e => (Algorithm: a, Environment: e))).ToArray();
        Assert.That(pairs.Select(p => $"{p.Algorithm}/{p.Environment}"), Is.SupersetOf(new[]
        {
            "ppo/CartPole-v1", "a2c/CartPole-v1", "reinforce/CartPole-v1", "dqn/CartPole-v1", "sql/CartPole-v1", "sac-discrete/CartPole-v1",
            "ppo/Pendulum-v1", "sac/Pendulum-v1", "td3/Pendulum-v1", "ddpg/Pendulum-v1",
        }));
        Assert.Multiple(() =>
        {
            foreach (var (algorithm, environment) in pairs)
            {
                var outcome = Rlkit.Run("train", "-a", algorithm, "-e", environment, "--dry-run");
                Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), $"{algorithm} on {environment}: {outcome}");
                Assert.That(outcome.Out, Does.Contain($"the {algorithm} preset ({environment})"), $"{algorithm} on {environment} uses its preset");
            }
        });
    }

    [Test]
    public void YamlScalarsFollowTheCoreSchema()
    {
        var node = YamlJson.Parse("a: 1e5\nb: '1e5'\nc: .inf\nd: ~\ne: True\nf: 2.5\ng: !!str 3\nh: !!float 4\ni: [1, x]\n", "test")!;
        Assert.That(node.ToJsonString(), Is.EqualTo("""{"a":100000,"b":"1e5","c":"Infinity","d":null,"e":true,"f":2.5,"g":"3","h":4,"i":[1,"x"]}"""));
    }
}

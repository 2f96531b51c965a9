namespace RLKit.Cli.Tests;

/// <summary>The commands that need no trained model, --help, and argument errors.</summary>
public class CommandTests
{
    [Test]
    public void EnvsListsEnvironmentsAndTaskSetsWithTheirSpaces()
    {
        var outcome = Rlkit.Run("envs");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        var cartPole = outcome.Out.Split('\n').Single(l => l.TrimStart().StartsWith("CartPole-v1 ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(cartPole, Does.Contain("observations Box").And.Contain("actions Discrete(2)"));
            Assert.That(outcome.Out, Does.Contain("Pendulum-v1"));
            Assert.That(outcome.Out, Does.Contain("Task sets"));
        });
    }

    [Test]
    public void CheckEnvPassesCartPole()
    {
        var outcome = Rlkit.Run("check-env", "CartPole-v1");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("CartPole-v1: passed"));
    }

    [Test]
    public void CheckEnvOfAnUnknownIdIsAUsageErrorListingTheIds()
    {
        var outcome = Rlkit.Run("check-env", "CartPole-v9");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain("CartPole-v9").And.Contain("CartPole-v1"));
    }

    [TestCase]
    [TestCase("train")]
    [TestCase("evaluate")]
    [TestCase("envs")]
    [TestCase("check-env")]
    [TestCase("info")]
    [TestCase("export")]
    public void HelpWorksOnEveryCommand(params string[] command)
    {
        var outcome = Rlkit.Run([.. command, "--help"]);
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("Usage:"));
    }

    [TestCase(new[] { "train", "-a", "ppo", "-e", "CartPole-v1", "--steps", "-5" }, "--steps must be at least 1 (got -5)")]
    [TestCase(new[] { "train", "-a", "ppo", "-e", "CartPole-v1", "--steps", "many" }, "many")]
    [TestCase(new[] { "train", "-a", "ppo", "-e", "CartPole-v1", "--n-envs", "0" }, "--n-envs must be in [1, 1024] (got 0)")]
    [TestCase(new[] { "train", "-a", "ppo", "-e", "CartPole-v1", "--eval-episodes", "0" }, "--eval-episodes must be at least 1")]
    [TestCase(new[] { "train", "-e", "CartPole-v1" }, "--algo")]
    [TestCase(new[] { "train", "-a", "ppx", "-e", "CartPole-v1" }, "no algorithm 'ppx'")]
    [TestCase(new[] { "train", "-a", "ppo", "-e", "CartPole-v9" }, "no environment 'CartPole-v9'")]
    [TestCase(new[] { "train", "-a", "ppo", "-e", "CartPole-v1", "--set", "gamma" }, "expected key=value")]
    [TestCase(new[] { "train", "-a", "ppo", "-e", "CartPole-v1", "--config", "/nonexistent/ppo.yml" }, "--config: no file")]
    [TestCase(new[] { "evaluate", "--model", "/nonexistent/m.rlkit" }, "--model: no file")]
    [TestCase(new[] { "evaluate", "--model", "m.rlkit", "--episodes", "0" }, "--episodes must be at least 1")]
    [TestCase(new[] { "evaluate", "--model", "m.rlkit", "--render", "png" }, "png")]
    [TestCase(new[] { "info" }, "--model")]
    [TestCase(new[] { "frobnicate" }, "frobnicate")]
    [TestCase(new string[0], "command")]
    public void BadArgumentsAreUsageErrorsThatSayWhatIsWrong(string[] args, string expected)
    {
        var outcome = Rlkit.Run(args);
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain(expected));
    }

    [Test]
    public void AnAlgorithmThatCannotActInTheEnvironmentIsAUsageError()
    {
        var outcome = Rlkit.Run("train", "-a", "dqn", "-e", "Pendulum-v1", "--steps", "100", "--out", Path.Combine(Path.GetTempPath(), "rlkit-never-written.rlkit"));
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Usage), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain("dqn").And.Contain("Pendulum-v1"));
    }

    [Test]
    public void ACorruptModelIsARuntimeFailure()
    {
        using var dir = new TemporaryDirectory();
        string model = dir.File("broken.rlkit", "not a checkpoint");
        var outcome = Rlkit.Run("info", "--model", model);
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Failure), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain("broken.rlkit"));
    }
}

using System.Diagnostics;

namespace RLKit.Cli.Tests;

/// <summary>
/// The rl-zoo loop end to end, in-process: a seeded <c>train</c> of PPO on CartPole-v1 with the shipped preset learns,
/// and <c>evaluate</c>, <c>info</c> and <c>export</c> read what it wrote.
/// </summary>
[TestFixture]
public class TrainingRoundTripTests
{
    private TemporaryDirectory _dir = null!;
    private Rlkit.Outcome _train = null!;
    private string _model = null!;

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _dir = new TemporaryDirectory();
        _model = Path.Combine(_dir.Path, "nested", "ppo.rlkit");
        var clock = Stopwatch.StartNew();
        _train = Rlkit.Run("train", "--algo", "ppo", "--env", "CartPole-v1", "--seed", "1", "--out", _model, "--eval-episodes", "20");
        TestContext.Progress.WriteLine($"rlkit train ppo CartPole-v1: {clock.Elapsed.TotalSeconds:0.0} s, RESULT mean_return={(_train.ExitCode == 0 ? _train.Result("mean_return") : "n/a")}");
    }

    [OneTimeTearDown]
    public void Cleanup() => _dir.Dispose();

    [Test]
    public void TrainWithThePresetSolvesCartPoleAndPrintsProgressAndAResultLine()
    {
        Assert.That(_train.ExitCode, Is.EqualTo(ExitCodes.Ok), _train.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(_train.MeanReturn, Is.GreaterThanOrEqualTo(475), _train.Out);
            Assert.That(_train.Result("algo"), Is.EqualTo("ppo"));
            Assert.That(_train.Result("env"), Is.EqualTo("CartPole-v1"));
            Assert.That(_train.Result("seed"), Is.EqualTo("1"));
            Assert.That(_train.Result("steps"), Is.EqualTo("100000"));
            Assert.That(_train.Out, Does.Contain("ppo  50% |"), "plain progress lines when the output is not a terminal");
            Assert.That(_train.Out, Does.Contain("ppo: done, 100,000 steps"));
            Assert.That(File.Exists(_model), Is.True);
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(_model)!), Is.EqualTo(new[] { _model }), "no temporary file left beside the model");
        });
    }

    [Test]
    public void TheSameSeedTrainsTheSameAgent()
    {
        string again = Path.Combine(_dir.Path, "again.rlkit");
        var outcome = Rlkit.Run("train", "--algo", "ppo", "--env", "CartPole-v1", "--seed", "1", "--out", again, "--eval-episodes", "20", "--steps", "4096");
        string first = Path.Combine(_dir.Path, "first.rlkit");
        var outcome2 = Rlkit.Run("train", "--algo", "ppo", "--env", "CartPole-v1", "--seed", "1", "--out", first, "--eval-episodes", "20", "--steps", "4096");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        Assert.That(File.ReadAllBytes(again), Is.EqualTo(File.ReadAllBytes(first)));
        Assert.That(outcome.Result("mean_return"), Is.EqualTo(outcome2.Result("mean_return")));
    }

    [Test]
    public void EvaluateRunsTheSavedModelOnTheEnvironmentItWasTrainedOn()
    {
        var outcome = Rlkit.Run("evaluate", "--model", _model, "--episodes", "5");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Result("exp"), Is.EqualTo("evaluate"));
            Assert.That(outcome.Result("env"), Is.EqualTo("CartPole-v1"));
            Assert.That(outcome.Result("episodes"), Is.EqualTo("5"));
            Assert.That(outcome.MeanReturn, Is.GreaterThanOrEqualTo(475));
        });
    }

    [Test]
    public void EvaluateRendersAnEpisodeAsSvg()
    {
        string svg = Path.Combine(_dir.Path, "episode.svg");
        var outcome = Rlkit.Run("evaluate", "--model", _model, "--episodes", "1", "--render", "svg", "--render-out", svg);
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        string text = File.ReadAllText(svg);
        Assert.That(text, Does.StartWith("<svg").Or.StartWith("<?xml"));
        Assert.That(text, Does.Contain("observation[3]").And.Contain("action").And.Contain("reward"));
    }

    [Test]
    public void EvaluateOnAnEnvironmentOfAnotherShapeFailsAtRunTime()
    {
        var outcome = Rlkit.Run("evaluate", "--model", _model, "--env", "Pendulum-v1", "--episodes", "1");
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Failure), outcome.ToString());
        Assert.That(outcome.Error, Does.Contain("Pendulum-v1"));
    }

    [Test]
    public void InfoShowsTheAlgorithmSpacesOptionsAndNotes()
    {
        var outcome = Rlkit.Run("info", "--model", _model);
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        Assert.That(outcome.Out, Does.Contain("algorithm:    ppo").And.Contain("actions:      Discrete(2)")
                                     .And.Contain("environment: CartPole-v1").And.Contain("\"StepsPerEnvironment\": 32")
                                     .And.Contain("written by:   RLKit"));
    }

    [Test]
    public void ExportWritesAnOnnxModel()
    {
        string onnx = Path.Combine(_dir.Path, "ppo.onnx");
        var outcome = Rlkit.Run("export", "--model", _model, "--out", onnx);
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.Ok), outcome.ToString());
        Assert.That(new FileInfo(onnx).Length, Is.GreaterThan(1000));
        Assert.That(outcome.Out, Does.Contain("input 'observation' [batch, 4]"));
    }
}

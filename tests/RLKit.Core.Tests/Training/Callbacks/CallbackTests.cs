using System.Globalization;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Callbacks;
using RLKit.Training.Checkpoints;
using RLKit.Training.Metrics;

namespace RLKit.Core.Tests.Training.Callbacks;

[TestFixture]
public sealed class CallbackTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Path.Combine(Path.GetTempPath(), "rlkit-callbacks-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A checkpointable agent whose greedy action is its single weight "dial": on a 2-step scripted episode it returns 2 × dial.</summary>
    private sealed class DialAgent : ICheckpointable
    {
        private readonly Tensor _dial = Tensor.Zeros(1);

        public int Dial { get => (int)_dial.AsReadOnlySpan()[0]; set => _dial.AsSpan()[0] = value; }
        public string Algorithm => "dial";
        public Space ObservationSpace { get; } = new Box(-1f, 1f, 1);
        public Space ActionSpace { get; } = new Discrete(10);
        public object Options => new LinearTestOptions();
        public IReadOnlyDictionary<string, Tensor> Weights => new Dictionary<string, Tensor> { ["dial"] = _dial };
        public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => _dial.CopyFrom(weights["dial"]);
        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => actions.Fill(Dial);
        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
    }

    /// <summary>
    /// Plays a training loop by hand over two sub-environments: each vector step gives reward 1 to both and ends their
    /// episodes every <paramref name="episodeLength"/> steps; an update is reported every
    /// <paramref name="vectorStepsPerUpdate"/> vector steps, after <paramref name="beforeUpdate"/> (given the update's index) ran.
    /// </summary>
    private static List<TrainingUpdate> Drive(TrainingMonitor monitor, IAgent agent, int vectorStepsPerUpdate = 16, int episodeLength = 1000,
                                              Action<int>? beforeUpdate = null, IReadOnlyDictionary<string, double>? losses = null)
    {
        float[] rewards = [1f, 1f];
        bool[] terminated = new bool[2], truncated = new bool[2];
        var updates = new List<TrainingUpdate>();
        int vectorSteps = 0;
        while (!monitor.ShouldStop)
        {
            for (int i = 0; i < vectorStepsPerUpdate; i++)
            {
                vectorSteps++;
                terminated[0] = terminated[1] = vectorSteps % episodeLength == 0;
                monitor.RecordStep(rewards, terminated, truncated);
            }
            beforeUpdate?.Invoke(updates.Count);
            updates.Add(monitor.Report(agent, losses ?? new Dictionary<string, double>(), 1e-3));
        }
        return updates;
    }

    private static ScriptedEnvironment TwoStepEnvironment() => new(new Discrete(10), [2]);

    [Test]
    public void Checkpoints_are_saved_at_the_first_update_past_each_interval()
    {
        var callback = new CheckpointCallback(everySteps: 100, _directory);
        var monitor = new TrainingMonitor("dial", Budget.Steps(400), envCount: 2, callbacks: [callback]);
        var agent = new DialAgent();
        Drive(monitor, agent, vectorStepsPerUpdate: 16, beforeUpdate: i => agent.Dial = i % 10); // updates at 32, 64, 96, 128, ...

        string[] expected = ["dial_128_steps.rlkit", "dial_224_steps.rlkit", "dial_320_steps.rlkit", "dial_416_steps.rlkit"];
        Assert.Multiple(() =>
        {
            Assert.That(callback.SavedPaths.Select(Path.GetFileName), Is.EqualTo(expected));
            Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName).Order(), Is.EqualTo(expected.Order()));
            // The checkpoint at 128 steps is the 4th update (index 3): dial 3.
            var restored = new DialAgent();
            var data = Checkpoint.LoadInto(restored, Path.Combine(_directory, expected[0]));
            Assert.That(restored.Dial, Is.EqualTo(3));
            Assert.That(data.Metadata.Notes!["steps"], Is.EqualTo("128"));
        });
    }

    [Test]
    public void Checkpointing_an_agent_that_cannot_be_saved_is_a_clear_error()
    {
        var monitor = new TrainingMonitor("scripted", Budget.Steps(400), 2, callbacks: [new CheckpointCallback(10, _directory)]);
        var error = Assert.Throws<InvalidOperationException>(() => Drive(monitor, new ScriptedAgent(new Discrete(2))));
        Assert.That(error!.Message, Does.Contain("ICheckpointable"));
    }

    [Test]
    public void Evaluation_runs_every_interval_and_keeps_the_best_agent()
    {
        string bestPath = Path.Combine(_directory, "best", "best.rlkit");
        using var env = TwoStepEnvironment();
        using var evaluation = new EvaluationCallback(() => env, everySteps: 64, episodes: 2, keepBest: bestPath);
        var monitor = new TrainingMonitor("dial", Budget.Steps(320), 2, callbacks: [evaluation]);
        var agent = new DialAgent();
        int[] dials = [1, 1, 4, 4, 2, 2, 3, 3, 1, 1];
        Drive(monitor, agent, vectorStepsPerUpdate: 16, beforeUpdate: i => agent.Dial = dials[i]); // updates at 32, 64, ..., 320

        Assert.Multiple(() =>
        {
            Assert.That(evaluation.History.Select(h => h.Steps), Is.EqualTo(new long[] { 64, 128, 192, 256, 320 }));
            Assert.That(evaluation.History.Select(h => h.Report.MeanReturn), Is.EqualTo(new[] { 2.0, 8.0, 4.0, 6.0, 2.0 }));
            Assert.That(evaluation.BestReport!.MeanReturn, Is.EqualTo(8.0));
            Assert.That(evaluation.BestSteps, Is.EqualTo(128));
            var best = new DialAgent();
            Checkpoint.LoadInto(best, bestPath);
            Assert.That(best.Dial, Is.EqualTo(4));
        });
    }

    [Test]
    public void Stop_at_threshold_on_evaluations_stops_at_the_first_evaluation_reaching_it()
    {
        using var env = TwoStepEnvironment();
        using var evaluation = new EvaluationCallback(() => env, everySteps: 64, episodes: 1);
        var monitor = new TrainingMonitor("dial", Budget.Steps(10_000), 2, callbacks: [evaluation, new StopAtThresholdCallback(6, evaluation)]);
        var agent = new DialAgent();
        var updates = Drive(monitor, agent, vectorStepsPerUpdate: 16, beforeUpdate: i => agent.Dial = i / 2); // evaluations see dial 0, 1, 2, 3, ...

        Assert.That(updates[^1].Steps, Is.EqualTo(256)); // dial 3 at the 4th evaluation → return 6
        Assert.That(monitor.StopReason, Does.Contain("threshold 6").And.Contain("step 256"));
    }

    [Test]
    public void Stop_at_threshold_on_the_training_mean_return_stops_when_episodes_reach_it()
    {
        // Episodes of 40 steps earn 40; the first end at the 40th vector step, inside the 3rd update (48 vector steps).
        var reached = new TrainingMonitor("dial", Budget.Steps(10_000), 2, callbacks: [new StopAtThresholdCallback(40)]);
        var updates = Drive(reached, new DialAgent(), vectorStepsPerUpdate: 16, episodeLength: 40);
        Assert.That(updates[^1].Steps, Is.EqualTo(96));
        Assert.That(reached.StopReason, Does.Contain("mean training return 40"));

        var missed = new TrainingMonitor("dial", Budget.Steps(1_000), 2, callbacks: [new StopAtThresholdCallback(40.5)]);
        Drive(missed, new DialAgent(), vectorStepsPerUpdate: 16, episodeLength: 40);
        Assert.That(missed.StopReason, Does.Contain("step budget"));
    }

    [Test]
    public void Stop_on_no_improvement_waits_for_patience_evaluations_without_a_new_best()
    {
        using var env = TwoStepEnvironment();
        using var evaluation = new EvaluationCallback(() => env, everySteps: 32, episodes: 1);
        var patience = new StopOnNoImprovementCallback(evaluation, patience: 3);
        var monitor = new TrainingMonitor("dial", Budget.Steps(10_000), 2, callbacks: [evaluation, patience]);
        var agent = new DialAgent();
        int[] dials = [1, 3, 2, 3, 2, 9, 9, 9];
        var updates = Drive(monitor, agent, vectorStepsPerUpdate: 16, beforeUpdate: i => agent.Dial = dials[i]); // one evaluation per update

        // 1 best, 3 better, then 2, 3 (equal is no improvement), 2: three misses → stop at the 5th update (160 steps).
        Assert.That(updates, Has.Count.EqualTo(5));
        Assert.That(patience.EvaluationsWithoutImprovement, Is.EqualTo(3));
        Assert.That(monitor.StopReason, Does.Contain("no improvement"));
    }

    [TestCase(new[] { 1, 2, 1, 9, 9, 9, 9 }, 3, TestName = "An improvement within minDelta counts as a miss")]
    [TestCase(new[] { 1, 2, 3, 3, 3, 3, 3 }, 5, TestName = "A near miss does not raise the bar")]
    public void Min_delta_follows_keras_early_stopping(int[] dials, int expectedUpdates)
    {
        // Patience 2, minDelta 2.5; returns are 2 × dial. First case: 2 (best), 4 (within 2.5: miss), 2 (miss) → stop at
        // the 3rd update (with minDelta 0 it would run to the 6th). Second case: 2 (best), 4 (miss, the bar stays at 2),
        // 6 (> 4.5: new best), 6, 6 → stop at the 5th (a bar raised to 4 by the near miss would stop at the 3rd).
        using var env = TwoStepEnvironment();
        using var evaluation = new EvaluationCallback(() => env, everySteps: 32, episodes: 1);
        var patience = new StopOnNoImprovementCallback(evaluation, patience: 2, minDelta: 2.5);
        var monitor = new TrainingMonitor("dial", Budget.Steps(10_000), 2, callbacks: [evaluation, patience]);
        var agent = new DialAgent();
        var updates = Drive(monitor, agent, vectorStepsPerUpdate: 16, beforeUpdate: i => agent.Dial = dials[i]);
        Assert.That(updates, Has.Count.EqualTo(expectedUpdates));
    }

    [Test]
    public void Metric_sink_callback_writes_the_expected_csv_columns()
    {
        string path = Path.Combine(_directory, "progress.csv");
        using (var sink = new CsvMetricSink(path))
        {
            var monitor = new TrainingMonitor("dial", Budget.Steps(64), 2, callbacks: [new MetricSinkCallback(sink)]);
            Drive(monitor, new DialAgent(), vectorStepsPerUpdate: 16, episodeLength: 8,
                  losses: new Dictionary<string, double> { ["policy"] = 0.5, ["value"] = 1.25 });
        }
        var lines = File.ReadAllLines(path);
        Assert.That(lines[0], Is.EqualTo(
            "step,time/episodes,time/updates,time/steps_per_second,time/elapsed_seconds,rollout/mean_return,rollout/mean_length,train/learning_rate,train/policy,train/value"));
        Assert.That(lines, Has.Length.EqualTo(3)); // updates at 32 and 64 steps
        var first = lines[1].Split(',');
        var second = lines[2].Split(',');
        Assert.Multiple(() =>
        {
            Assert.That(first[0], Is.EqualTo("32"));
            Assert.That(first[1], Is.EqualTo("4")); // 2 sub-environments × 2 episodes of 8 steps in 16 vector steps
            Assert.That(first[2], Is.EqualTo("1"));
            Assert.That(double.Parse(first[3], CultureInfo.InvariantCulture), Is.GreaterThan(0));
            Assert.That(first[5], Is.EqualTo("8"));
            Assert.That(first[6], Is.EqualTo("8"));
            Assert.That(first[7], Is.EqualTo("0.001"));
            Assert.That(first[8..], Is.EqualTo(new[] { "0.5", "1.25" }));
            Assert.That(second[0..3], Is.EqualTo(new[] { "64", "8", "2" }));
        });
    }

    [Test]
    public void Metric_sink_callback_can_be_throttled_by_steps()
    {
        string path = Path.Combine(_directory, "progress.csv");
        using (var sink = new CsvMetricSink(path))
        {
            var monitor = new TrainingMonitor("dial", Budget.Steps(320), 2, callbacks: [new MetricSinkCallback(sink, everySteps: 100)]);
            Drive(monitor, new DialAgent(), vectorStepsPerUpdate: 16);
        }
        Assert.That(File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "128", "224", "320" }));
    }

    [Test]
    public void Invalid_intervals_and_counts_are_rejected_by_name()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new CheckpointCallback(0, _directory), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("everySteps"));
            Assert.That(() => new EvaluationCallback(TwoStepEnvironment, 10, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("episodes"));
            Assert.That(() => new EvaluationCallback(TwoStepEnvironment, -1, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("everySteps"));
            Assert.That(() => new StopAtThresholdCallback(double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("threshold"));
            using var evaluation = new EvaluationCallback(TwoStepEnvironment, 10, 1);
            Assert.That(() => new StopOnNoImprovementCallback(evaluation, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("patience"));
            Assert.That(() => new StopOnNoImprovementCallback(evaluation, 1, -0.1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("minDelta"));
            Assert.That(() => new MetricSinkCallback(new CsvMetricSink(Path.Combine(_directory, "x.csv")), -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }
}

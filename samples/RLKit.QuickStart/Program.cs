// RLKit QuickStart: train PPO on CartPole-v1 in a few seconds, watch it learn, evaluate it, and keep the run.
//
//   dotnet run -c Release --project samples/RLKit.QuickStart
//
// Writes runs/quickstart/run-NNN/ (progress.csv, TensorBoard events, learning-curve.svg, model.rlkit) and ends with one line
//   RESULT algo=ppo env=CartPole-v1 steps=100000 mean_return=<x> std=<y> train_seconds=<t>
using System.Diagnostics;
using System.Globalization;
using RLKit.Algorithms.Ppo;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Callbacks;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;
using RLKit.Training.Logging;
using RLKit.Training.Metrics;

const string EnvironmentId = "CartPole-v1";
const int EnvironmentCount = 8;
const long TrainingSteps = 100_000;
const int EvaluationEpisodes = 100;
const int Seed = 1;
var invariant = CultureInfo.InvariantCulture;

// 1. Eight CartPoles stepped together; SameStep autoreset keeps every step a real transition.
var catalog = StandardEnvironments.CreateCatalog();
using var environment = new SyncVectorEnvironment(
    Enumerable.Range(0, EnvironmentCount).Select(_ => catalog.Make(EnvironmentId)).ToArray(), AutoresetMode.SameStep);

// 2. PPO with RL-Baselines3-Zoo's tuned CartPole hyperparameters: 8 envs × 32 steps, minibatch 256, 20 epochs,
//    γ 0.98, λ 0.8, learning rate 1e-3 decayed linearly, clip 0.2, no entropy bonus.
var estimator = new PpoEstimator(PpoOptions.CartPole with { Seed = Seed });

// 3. Metrics go to progress.csv and TensorBoard as training reports them, under the library's tag names. Each run
//    gets its own folder (runs/quickstart/run-001, run-002, …), so TensorBoard shows runs side by side instead of
//    merging their event files into one curve.
string runDirectory = NextRunDirectory(Path.Combine("runs", "quickstart"));
Directory.CreateDirectory(runDirectory);
var curve = new List<CurvePoint>();
PpoAgent agent;
var clock = new Stopwatch();
using (var csv = new CsvMetricSink(Path.Combine(runDirectory, "progress.csv")))
using (var tensorBoard = new TensorBoardMetricSink(runDirectory))
{
    void Record(TrainingUpdate update)
    {
        var scalars = new Dictionary<string, double>
        {
            [MetricSinkCallback.StepsPerSecondTag] = update.StepsPerSecond,
            [MetricSinkCallback.LearningRateTag] = update.LearningRate,
            [MetricSinkCallback.EpisodesTag] = update.Episodes,
        };
        if (update.MeanReturn is { } meanReturn)
        {
            scalars[MetricSinkCallback.MeanReturnTag] = meanReturn;
            curve.Add(new CurvePoint(update.Steps, meanReturn));
        }
        if (update.MeanLength is { } meanLength) scalars[MetricSinkCallback.MeanLengthTag] = meanLength;
        foreach (var (name, value) in update.Losses) scalars[MetricSinkCallback.LossPrefix + name] = value;
        csv.Write(update.Steps, scalars);
        tensorBoard.Write(update.Steps, scalars);
    }

    // 4. Train, with the library's console progress: a bar redrawn in place in a terminal, one plain line per tenth
    //    of the budget when the output is redirected (a CI log). The same reports feed the metric files.
    var consoleProgress = new ConsoleProgress();
    var progress = new InlineProgress(update =>
    {
        Record(update);
        consoleProgress.Report(update);
    });
    clock.Start();
    agent = estimator.Fit(environment, Budget.Steps(TrainingSteps), progress);
    clock.Stop();
}

// 5. Evaluate 100 greedy episodes on a fresh environment.
var evaluation = Evaluator.Evaluate(agent, catalog.Make(EnvironmentId), EvaluationEpisodes, deterministic: true,
                                    solvedThreshold: 475, seed: 10_000);
Console.WriteLine($"Greedy evaluation: {evaluation}");

// 6. Keep the run: the learning curve and the model (safetensors weights + JSON metadata; Checkpoint.LoadAgent reads it back).
LearningCurveSvg.Write(Path.Combine(runDirectory, "learning-curve.svg"), [new LearningCurve("PPO", [curve])],
                       new LearningCurveSvgOptions { Title = $"PPO on {EnvironmentId}" });
string modelPath = Path.Combine(runDirectory, "model" + Checkpoint.FileExtension);
Checkpoint.Save(agent, modelPath, notes: new Dictionary<string, string>
{
    ["environment"] = EnvironmentId,
    ["steps"] = TrainingSteps.ToString(invariant),
});
Console.WriteLine($"Wrote {Path.GetFullPath(runDirectory)} (progress.csv, TensorBoard events, learning-curve.svg, {Path.GetFileName(modelPath)})");

Console.WriteLine(string.Create(invariant,
    $"RESULT algo=ppo env={EnvironmentId} steps={TrainingSteps} mean_return={evaluation.MeanReturn:0.00} std={evaluation.StdReturn:0.00} train_seconds={clock.Elapsed.TotalSeconds:0.00}"));

// The first runs/quickstart/run-NNN that does not exist yet.
static string NextRunDirectory(string parent)
{
    for (int run = 1; ; run++)
    {
        string candidate = Path.Combine(parent, $"run-{run:000}");
        if (!Directory.Exists(candidate)) return candidate;
    }
}

/// <summary>Reports on the training thread (Progress&lt;T&gt; would post to the thread pool and lag behind).</summary>
internal sealed class InlineProgress(Action<TrainingUpdate> report) : IProgress<TrainingUpdate>
{
    public void Report(TrainingUpdate value) => report(value);
}

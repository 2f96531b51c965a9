using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;
using RLKit.Training.Callbacks;
using RLKit.Training.Logging;
using RLKit.Training.Metrics;

namespace RLKit.Snippets.Guide;

internal static class LoggingAndTensorBoard
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        rl.Log += (_, e) => Console.WriteLine($"[{e.Level}] {e.Source}: {e.Message}");

        string run = Path.Combine("runs", "cartpole-ppo", DateTime.Now.ToString("yyyyMMdd-HHmmss"));   // one folder per run
        using var tensorBoard = new TensorBoardMetricSink(run);
        using var csv = new CsvMetricSink(Path.Combine(run, "progress.csv"));

        using var envs = rl.Environments.MakeVector("CartPole-v1", count: 8);
        var agent = rl.Agents.Ppo(PpoOptions.CartPole)
            .WithCallbacks(new MetricSinkCallback(tensorBoard), new MetricSinkCallback(csv))
            .Fit(envs, Budget.Steps(100_000), rl.Progress(new ConsoleProgress()));
        // end snippet
        Given.Check(File.Exists(tensorBoard.FilePath) && File.Exists(Path.Combine(run, "progress.csv")), "the event file and the CSV");
    }
}

// The packages' smoke test: what the README's Install and Getting started sections promise, from the packed packages.
// Trains PPO on CartPole-v1 briefly, evaluates it, saves and reloads the checkpoint in this process (the algorithm is
// found through the packages' module attributes, not registered by hand), exports it to ONNX, and exits 1 with the
// reason if anything falls short.
//
//   dotnet run -c Release -- [--steps N] [--threshold R]
using System.Globalization;
using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Logging;

long steps = 50_000;
double threshold = 300;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--steps": steps = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--threshold": threshold = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: return Fail($"unknown option {args[i]} (expected --steps or --threshold)");
    }
}

var rl = RLKitEnvs.CreateContext(seed: 1);
using var envs = rl.Environments.MakeVector("CartPole-v1", count: 8, seed: 1);
var agent = rl.Agents.Ppo(PpoOptions.CartPole).Fit(envs, Budget.Steps(steps), new ConsoleProgress());
var report = rl.Evaluate(agent, "CartPole-v1", episodes: 20);

string directory = Path.Combine(Path.GetTempPath(), $"rlkit-consumer-{Guid.NewGuid():N}");
Directory.CreateDirectory(directory);
try
{
    string checkpoint = Path.Combine(directory, "cartpole.rlkit");
    rl.Model.Save(agent, checkpoint);
    var loaded = Checkpoint.LoadAgent(checkpoint);
    float[] observations = new float[4 * 64];
    var rng = new Random(7);
    for (int i = 0; i < observations.Length; i++) observations[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
    int[] before = new int[64], after = new int[64];
    agent.Predict(observations, before);
    loaded.Predict(observations, after);
    if (!before.SequenceEqual(after)) return Fail("the reloaded checkpoint acts differently from the trained agent");

    string onnx = Path.Combine(directory, "cartpole.onnx");
    rl.Model.ExportOnnx(agent, onnx);
    if (new FileInfo(onnx).Length == 0) return Fail("the ONNX export is empty");
}
finally
{
    Directory.Delete(directory, recursive: true);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT consumer algo=ppo env=CartPole-v1 steps={steps} mean_return={report.MeanReturn:F2} threshold={threshold:F2}"));
return report.MeanReturn >= threshold ? 0 : Fail($"mean return {report.MeanReturn:F2} is below {threshold:F2}");

static int Fail(string reason)
{
    Console.Error.WriteLine($"consumer: FAILED: {reason}");
    return 1;
}

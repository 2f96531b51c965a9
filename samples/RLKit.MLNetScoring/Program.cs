// From a trained agent to ML.NET batch scoring: train (or load) a CartPole agent, export its policy to ONNX, log the
// observations it meets to a CSV file, score that file in an MLContext pipeline through ApplyOnnxModel, and check that
// ML.NET's greedy actions are the ones agent.Predict takes.
//
//   dotnet run -c Release --project samples/RLKit.MLNetScoring [-- path/to/model.rlkit]
//
// Without an argument it trains PPO on CartPole-v1 for 50 000 steps (about two seconds); with one it loads that
// checkpoint (e.g. the QuickStart's runs/quickstart/run-001/model.rlkit). Files go to runs/mlnet-scoring/.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using RLKit.Algorithms.Ppo;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.MLNet;
using RLKit.Onnx;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

const int LoggedSteps = 1_000;
var output = Directory.CreateDirectory(Path.Combine("runs", "mlnet-scoring")).FullName;
var catalog = StandardEnvironments.CreateCatalog();

// 1. A trained agent.
IAgent agent;
if (args.Length > 0)
{
    agent = Checkpoint.LoadAgent(args[0]);
    Console.WriteLine($"loaded a {agent.Algorithm} agent from {args[0]}");
}
else
{
    using var envs = new SyncVectorEnvironment(Enumerable.Range(0, 8).Select(_ => catalog.Make("CartPole-v1")).ToList(), AutoresetMode.SameStep);
    agent = new PpoEstimator(PpoOptions.CartPole with { Seed = 1 }).Fit(envs, Budget.Steps(50_000));
    Console.WriteLine("trained PPO on CartPole-v1 for 50 000 steps");
}

// 2. Its policy as ONNX.
string model = Path.Combine(output, "cartpole.onnx");
OnnxExporter.Export(agent, model);

// 3. Logged observations: the agent acting (sampling its actions, so the log also holds states off its greedy path).
string csv = Path.Combine(output, "observations.csv");
using (var env = catalog.Make("CartPole-v1"))
using (var writer = new StreamWriter(csv))
{
    writer.WriteLine("x,x_dot,theta,theta_dot");
    var rng = new RandomGenerator(7);
    var observation = env.Reset(seed: 7).Observation.ToArray();
    for (int t = 0; t < LoggedSteps; t++)
    {
        writer.WriteLine(string.Join(",", observation.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        var step = env.Step(agent.Predict(observation, deterministic: false, rng));
        observation = step.Terminated || step.Truncated ? env.Reset().Observation.ToArray() : step.Observation.ToArray();
    }
}

// 4. ML.NET: load the CSV as an IDataView and score it with the policy.
var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromTextFile<LoggedObservation>(csv, separatorChar: ',', hasHeader: true);
var scoring = ml.Transforms.ApplyRLKitPolicy(model);                 // ApplyOnnxModel with the policy's inputs and outputs
var scored = scoring.Fit(data).Transform(data);
var rows = ml.Data.CreateEnumerable<ScoredObservation>(scored, reuseRowObject: false).ToList();

// 5. The same greedy actions as agent.Predict.
int agree = 0;
Console.WriteLine();
Console.WriteLine("  x        x_dot    theta    theta_dot | ML.NET action  Predict   value");
for (int i = 0; i < rows.Count; i++)
{
    int predicted = agent.Predict(rows[i].Observation);
    if (rows[i].Action[0] == predicted) agree++;
    if (i < 10)
    {
        var o = rows[i].Observation;
        Console.WriteLine(FormattableString.Invariant(
            $"  {o[0],7:F3}  {o[1],7:F3}  {o[2],7:F3}  {o[3],9:F3} | {rows[i].Action[0],13}  {predicted,7}  {rows[i].Value[0],6:F2}"));
    }
}
Console.WriteLine("  …");
Console.WriteLine();
Console.WriteLine($"files: {model}, {csv}");
Console.WriteLine($"RESULT rows={rows.Count} same_greedy_action={agree}/{rows.Count} actions_0={rows.Count(r => r.Action[0] == 0)} actions_1={rows.Count(r => r.Action[0] == 1)}");
return agree == rows.Count ? 0 : 1;

/// <summary>One row of the CSV: a CartPole observation (cart position and velocity, pole angle and angular velocity).</summary>
internal sealed class LoggedObservation
{
    [LoadColumn(0, 3), ColumnName(OnnxNames.Observation), VectorType(4)]
    public float[] Observation { get; set; } = [];
}

/// <summary>A scored row: the observation, the greedy action (a vector of one int64) and the state value.</summary>
internal sealed class ScoredObservation
{
    [ColumnName(OnnxNames.Observation)]
    public float[] Observation { get; set; } = [];

    [ColumnName(OnnxNames.Action)]
    public long[] Action { get; set; } = [];

    [ColumnName(OnnxNames.Value)]
    public float[] Value { get; set; } = [];
}

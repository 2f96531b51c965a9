// Trains each classic algorithm of RLKit 0.1 (commit 73574c4, before the registry redesign) for 400 steps with one
// hidden layer of 8 units and saves one checkpoint each, plus its greedy actions on fixed observations
// (expected-actions.json), as fixtures for CheckpointCompatibilityTests. Deterministic: a rerun writes the same bytes.
using System.Text.Json;
using RLKit.Algorithms.ActorCritic;
using RLKit.Algorithms.PolicyGradient;
using RLKit.Algorithms.ValueBased;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

string outDir = args.Length > 0 ? args[0] : "out";
Directory.CreateDirectory(outDir);
const int Steps = 400;
int[] hidden = [8];

var runs = new (string Algorithm, string Env, Func<IAgent> Train)[]
{
    ("ppo", "CartPole-v1", () => Fit(new PpoEstimator(new PpoOptions { HiddenSizes = hidden, StepsPerEnvironment = 64, MinibatchSize = 32, Epochs = 2, Seed = 1 }), "CartPole-v1")),
    ("a2c", "CartPole-v1", () => Fit(new A2cEstimator(new A2cOptions { HiddenSizes = hidden, Seed = 1 }), "CartPole-v1")),
    ("reinforce", "CartPole-v1", () => Fit(new ReinforceEstimator(new ReinforceOptions { HiddenSizes = hidden, Seed = 1 }), "CartPole-v1")),
    ("dqn", "CartPole-v1", () => Fit(new DqnEstimator(new DqnOptions { HiddenSizes = hidden, LearningStarts = 32, BatchSize = 16, TrainFrequency = 4, Seed = 2 }), "CartPole-v1")),
    ("sql", "CartPole-v1", () => Fit(new SoftQEstimator(new SoftQOptions { HiddenSizes = hidden, LearningStarts = 32, BatchSize = 16, TrainFrequency = 4, Seed = 2 }), "CartPole-v1")),
    ("sac-discrete", "CartPole-v1", () => Fit(new DiscreteSacEstimator(new DiscreteSacOptions { HiddenSizes = hidden, LearningStarts = 32, BatchSize = 16, Seed = 1 }), "CartPole-v1")),
    ("sac", "Pendulum-v1", () => Fit(new SacEstimator(new SacOptions { HiddenSizes = hidden, LearningStarts = 32, BatchSize = 16, Seed = 1 }), "Pendulum-v1")),
    ("td3", "Pendulum-v1", () => Fit(new Td3Estimator(new Td3Options { HiddenSizes = hidden, LearningStarts = 32, BatchSize = 16, Seed = 1 }), "Pendulum-v1")),
    ("ddpg", "Pendulum-v1", () => Fit(new DdpgEstimator(new DdpgOptions { HiddenSizes = hidden, LearningStarts = 32, BatchSize = 16, Seed = 1 }), "Pendulum-v1")),
};

var expected = new List<object>();
foreach (var (algorithm, env, train) in runs)
{
    var agent = train();
    if (agent.Algorithm != algorithm) throw new InvalidOperationException($"{algorithm}: agent says {agent.Algorithm}");
    string path = Path.Combine(outDir, algorithm + Checkpoint.FileExtension);
    Checkpoint.Save((ICheckpointable)agent, path, notes: new Dictionary<string, string> { ["environment"] = env, ["steps"] = Steps.ToString() });

    int size = agent.ObservationSpace.FlatSize;
    const int count = 16;
    var values = new float[count * size];
    for (int i = 0; i < count; i++)
        for (int j = 0; j < size; j++)
            values[i * size + j] = MathF.Round(MathF.Sin(0.7f * i + 1.3f * j + 0.1f) * (j == size - 1 ? 3f : 1f), 3);
    var observations = Tensor.FromArray(values, count, size);
    var rows = Enumerable.Range(0, count).Select(i => values.AsSpan(i * size, size).ToArray()).ToArray();
    if (agent.ActionSpace is RLKit.Spaces.Discrete)
    {
        var actions = new int[count];
        agent.Act(observations, actions, deterministic: true);
        expected.Add(new { Algorithm = algorithm, Environment = env, Observations = rows, DiscreteActions = actions });
    }
    else
    {
        int actionSize = agent.ActionSpace.FlatSize;
        var actions = new float[count * actionSize];
        agent.Act(observations, actions, deterministic: true);
        expected.Add(new { Algorithm = algorithm, Environment = env, Observations = rows, ContinuousActions = actions });
    }
    Console.WriteLine($"{algorithm}: {new FileInfo(path).Length} bytes");
}
// One algorithm per line: readable diffs, small file.
File.WriteAllText(Path.Combine(outDir, "expected-actions.json"),
                  "[\n" + string.Join(",\n", expected.Select(e => "  " + JsonSerializer.Serialize(e))) + "\n]\n");

static IAgent Fit<T>(AgentEstimator<T> estimator, string env) where T : class, IAgent
{
    using var environment = StandardEnvironments.CreateCatalog().Make(env);
    return estimator.Fit(environment, Budget.Steps(Steps));
}

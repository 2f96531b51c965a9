using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using RLKit.Algorithms.Ppo;
using RLKit.Autograd;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Nn;
using RLKit.Onnx;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.MLNet.Tests;

/// <summary>
/// A trained CartPole PPO agent, exported to ONNX and scored by ML.NET through <c>ApplyOnnxModel</c>
/// (<see cref="RLKitPolicyTransforms.ApplyRLKitPolicy"/>): on an <see cref="IDataView"/> of logged observations, the greedy
/// actions are <c>agent.Predict</c>'s and the values are the critic's within 1e-5, relative to the value where it is
/// above 1: a trained CartPole critic's values reach about 50, where one float32 step is 4e-6, so ONNX Runtime's other
/// summation order may differ from RLKit's by a few such steps.
/// </summary>
[TestFixture]
public class PolicyScoringTests
{
    private const int ObservationSize = 4;
    private const float Tolerance = 1e-5f;

    private TemporaryDirectory _directory = null!;
    private PpoAgent _agent = null!;
    private string _model = null!;
    private float[][] _logged = null!;

    /// <summary>One logged CartPole observation.</summary>
    public sealed class ObservationRow
    {
        [ColumnName(OnnxNames.Observation), VectorType(ObservationSize)]
        public float[] Observation { get; set; } = [];
    }

    /// <summary>The same, read from a CSV file with a header (x, x_dot, theta, theta_dot).</summary>
    public sealed class CsvObservationRow
    {
        [LoadColumn(0, ObservationSize - 1), ColumnName(OnnxNames.Observation), VectorType(ObservationSize)]
        public float[] Observation { get; set; } = [];
    }

    /// <summary>What the policy scores for one observation.</summary>
    public sealed class ScoredRow
    {
        [ColumnName(OnnxNames.Observation)]
        public float[] Observation { get; set; } = [];

        [ColumnName(OnnxNames.Action)]
        public long[] Action { get; set; } = [];

        [ColumnName(OnnxNames.Value)]
        public float[] Value { get; set; } = [];

        [ColumnName(OnnxNames.Probabilities)]
        public float[] Probabilities { get; set; } = [];
    }

    [OneTimeSetUp]
    public void TrainExportAndLog()
    {
        _directory = new TemporaryDirectory("rlkit-mlnet");
        var catalog = StandardEnvironments.CreateCatalog();
        using (var envs = new SyncVectorEnvironment(Enumerable.Range(0, 8).Select(_ => catalog.Make("CartPole-v1")).ToList(), AutoresetMode.SameStep))
            _agent = new PpoEstimator(PpoOptions.CartPole with { Seed = 1 }).Fit(envs, Budget.Steps(16_384));
        _model = _directory.File("cartpole.onnx");
        OnnxExporter.Export(_agent, _model);
        _logged = Rollout(_agent, steps: 600, seed: 11);
    }

    [OneTimeTearDown]
    public void Clean() => _directory.Dispose();

    /// <summary>The observations the agent meets acting in CartPole, sampling its actions so some states are off its greedy path.</summary>
    private static float[][] Rollout(PpoAgent agent, int steps, ulong seed)
    {
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var rng = new RandomGenerator(seed);
        var observation = env.Reset(seed).Observation.ToArray();
        var logged = new List<float[]>(steps);
        for (int t = 0; t < steps; t++)
        {
            logged.Add(observation);
            var step = env.Step(agent.Predict(observation, deterministic: false, rng));
            observation = step.Terminated || step.Truncated ? env.Reset().Observation.ToArray() : step.Observation.ToArray();
        }
        return [.. logged];
    }

    private void AssertMatchesTheAgent(IReadOnlyList<ScoredRow> rows, IReadOnlyList<float[]> observations)
    {
        Assert.That(rows, Has.Count.EqualTo(observations.Count));
        var flat = observations.SelectMany(o => o).ToArray();
        float[] values;
        using (GradMode.NoGrad())
            values = _agent.Network.Value(Tensor.FromArray(flat, observations.Count, ObservationSize)).ToArray();
        var actions = new int[observations.Count];
        _agent.Predict(flat, actions);

        double worst = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.That(rows[i].Observation, Is.EqualTo(observations[i]), $"row {i} keeps its observation");
            Assert.That(rows[i].Action, Is.EqualTo(new long[] { actions[i] }), $"row {i}: the greedy action");
            Assert.That(rows[i].Action[0], Is.EqualTo(_agent.Predict(observations[i])), $"row {i}: one-at-a-time Predict");
            Assert.That(rows[i].Value, Has.Length.EqualTo(1));
            Assert.That(rows[i].Value[0], Is.EqualTo(values[i]).Within(Tolerance * MathF.Max(1f, MathF.Abs(values[i]))), $"row {i}: the value");
            worst = Math.Max(worst, Math.Abs(rows[i].Value[0] - values[i]) / Math.Max(1.0, Math.Abs(values[i])));
            Assert.That(rows[i].Probabilities.Sum(), Is.EqualTo(1f).Within(1e-5f), $"row {i}: the probabilities");
        }
        TestContext.Out.WriteLine($"{rows.Count} rows; values {values.Min():F2} to {values.Max():F2}; max |ML.NET − RLKit| / max(1, |RLKit|) = {worst:G3}");
        Assert.That(actions.Distinct().Count(), Is.EqualTo(2), "the logged states call for both actions, so agreement is not by chance");
    }

    [Test]
    public void Scoring_an_IDataView_gives_the_greedy_actions_of_Predict_and_the_values()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(_logged.Select(o => new ObservationRow { Observation = o }));

        var scored = ml.Transforms.ApplyRLKitPolicy(_model).Fit(data).Transform(data);

        AssertMatchesTheAgent(ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).ToList(), _logged);
    }

    [Test]
    public void Scoring_a_csv_of_logged_observations_through_ApplyOnnxModel_gives_the_same()
    {
        string csv = _directory.File("observations.csv");
        File.WriteAllLines(csv, ["x,x_dot,theta,theta_dot", .. _logged.Select(o => string.Join(",", o.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))]);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromTextFile<CsvObservationRow>(csv, separatorChar: ',', hasHeader: true);

        // Plain ApplyOnnxModel, as an ML.NET user would write it without RLKit.MLNet, gives the same as the helper.
        var plain = ml.Transforms.ApplyOnnxModel([OnnxNames.Action, OnnxNames.Value, OnnxNames.Probabilities], [OnnxNames.Observation], _model,
            new Dictionary<string, int[]> { [OnnxNames.Observation] = [1, ObservationSize] }, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100);
        var rows = ml.Data.CreateEnumerable<ScoredRow>(plain.Fit(data).Transform(data), reuseRowObject: false).ToList();

        AssertMatchesTheAgent(rows, _logged);
    }

    [Test]
    public void Chosen_outputs_are_the_only_columns_added()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(_logged.Take(3).Select(o => new ObservationRow { Observation = o }));
        var schema = ml.Transforms.ApplyRLKitPolicy(_model, OnnxNames.Action).Fit(data).Transform(data).Schema;

        Assert.That(schema.Select(c => c.Name), Is.EquivalentTo(new[] { OnnxNames.Observation, OnnxNames.Action }));
        Assert.That(schema[OnnxNames.Action].Type, Is.InstanceOf<VectorDataViewType>());
        Assert.That(((VectorDataViewType)schema[OnnxNames.Action].Type).ItemType, Is.EqualTo(NumberDataViewType.Int64));
    }

    [Test]
    public void An_output_the_model_does_not_have_is_refused_naming_those_it_has()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.ApplyRLKitPolicy(_model, OnnxNames.QValues));
        Assert.That(e!.ParamName, Is.EqualTo("outputColumnNames"));
        Assert.That(e.Message, Does.Contain("q_values").And.Contain("action").And.Contain("value"));
    }

    [Test]
    public void A_model_that_is_no_RLKit_policy_is_refused_naming_its_inputs()
    {
        string path = _directory.File("plain.onnx");
        OnnxExporter.Export(new Linear(4, 2, new RandomGenerator(1)), 4, path);

        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.ApplyRLKitPolicy(path));
        Assert.That(e!.Message, Does.Contain("not an RLKit policy").And.Contain("input"));
    }

    [Test]
    public void A_missing_model_is_a_FileNotFoundException() =>
        Assert.Throws<FileNotFoundException>(() => new MLContext().Transforms.ApplyRLKitPolicy(_directory.File("missing.onnx")));
}

using Microsoft.ML.OnnxRuntime;
using RLKit.Autograd;
using RLKit.Environments.Wrappers;
using RLKit.Hosting;
using RLKit.Nn;
using RLKit.Onnx.Schema;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Onnx.Tests;

/// <summary>The model file itself (opset, dynamic batch, names, metadata), the options, the entry points and every error.</summary>
public sealed class ExportTests
{
    [Test]
    public void TheModelStatesItsOpsetIrVersionBatchDimensionAndNames()
    {
        var agent = TinyAgents.Ppo();
        using var run = OnnxRun.Export(agent);
        var model = ModelProto.Parser.ParseFrom(run.Model);
        Assert.Multiple(() =>
        {
            Assert.That(model.IrVersion, Is.EqualTo(OnnxExporter.IrVersion).And.EqualTo(8));
            Assert.That(model.OpsetImport.Single().Version, Is.EqualTo(OnnxExporter.Opset).And.EqualTo(17));
            Assert.That(model.OpsetImport.Single().Domain, Is.Empty);
            Assert.That(model.ProducerName, Is.EqualTo("RLKit.Onnx"));
            var input = run.Session.InputMetadata[OnnxNames.Observation];
            Assert.That(input.Dimensions, Is.EqualTo(new[] { -1, 4 }));
            Assert.That(input.SymbolicDimensions[0], Is.EqualTo("batch"));
            Assert.That(run.Session.OutputMetadata[OnnxNames.Logits].SymbolicDimensions[0], Is.EqualTo("batch"));
            Assert.That(run.Session.ModelMetadata.CustomMetadataMap["rlkit.algorithm"], Is.EqualTo("ppo"));
            Assert.That(run.Session.ModelMetadata.CustomMetadataMap["rlkit.action_space"], Is.EqualTo("Discrete(2)"));
            Assert.That(model.Graph.DocString, Does.Contain("input observation float32 [batch, 4]").And.Contain("output action int64 [batch]"));
            // The weights keep the agent's own tensor names.
            var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
            Assert.That(agent.Weights.Keys.Where(k => !k.Contains("log_std")), Is.SubsetOf(initializers));
        });
    }

    [Test]
    public void ObservationNormalizationIsFoldedIn()
    {
        // Statistics gathered by the real wrapper over 300 CartPole steps; the model takes raw observations and must act as
        // the agent does on the wrapper's normalised ones.
        using var wrapper = new ObservationNormalization(TinyAgents.Make("CartPole-v1"), clip: 3.0);
        wrapper.Reset(seed: 1);
        var rng = new RandomGenerator(2);
        for (int i = 0; i < 300; i++)
            if (wrapper.Step(rng.NextInt(2)) is { Terminated: true } or { Truncated: true }) wrapper.Reset();
        var statistics = OnnxObservationNormalization.From(wrapper);
        Assert.That(statistics.Variance, Has.Some.Not.EqualTo(1.0), "the statistics must have moved for this test to mean anything");

        var agent = TinyAgents.Ppo();
        agent.Network.Eval();
        using var run = OnnxRun.Export(agent, new OnnxExportOptions { ObservationNormalization = statistics });
        const int rows = 1000;
        var raw = OnnxRun.RandomObservations(rows, 4, seed: 3, scale: 1.5f);
        var normalized = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            // ObservationNormalization's formula, in double as the wrapper computes it; clip 3 is reached by some rows.
            double z = (raw[i] - statistics.Mean[i % 4]) / Math.Sqrt(statistics.Variance[i % 4] + statistics.Epsilon);
            normalized[i] = (float)Math.Clamp(z, -statistics.Clip, statistics.Clip);
        }
        Assert.That(normalized, Has.Some.EqualTo(3f).Or.Some.EqualTo(-3f));
        var outputs = run.Run(raw, rows);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var x = Tensor.FromArray(normalized, rows, 4);
        OnnxRun.AssertClose(agent.Network.Value(x).AsReadOnlySpan(), outputs.Float[OnnxNames.Value], OnnxNames.Value);
        var expected = new int[rows];
        agent.Act(x, expected, deterministic: true);
        var logits = ((Algorithms.Common.CategoricalDistribution)agent.Network.Policy(x)).Logits;
        OnnxRun.AssertClose(logits.AsReadOnlySpan(), outputs.Float[OnnxNames.Logits], OnnxNames.Logits);
        OnnxRun.AssertSameActions(expected, outputs.Int64[OnnxNames.Action], logits.AsReadOnlySpan(), 2);
    }

    [Test]
    public void TheModelCatalogWritesAFileOnnxRuntimeLoads()
    {
        var agent = TinyAgents.Dqn();
        using var directory = new TemporaryDirectory("rlkit-onnx");
        string path = directory.File("dqn.onnx");
        new RLContext(seed: 1).Model.ExportOnnx(agent, path);
        using var run = OnnxRun.Load(path);
        var observation = OnnxRun.RandomObservations(1, 4, seed: 5);
        var action = run.Run(observation, 1).Int64[OnnxNames.Action][0];
        Assert.That(action, Is.EqualTo(agent.Predict(observation)));
        Assert.That(Directory.GetFiles(directory.FullPath).Select(Path.GetFileName), Is.EqualTo(new[] { "dqn.onnx" }), "no temporary file is left");
    }

    [Test]
    public void APlainNetworkWithLayerNormAndGeluMatchesItsForward()
    {
        var rng = new RandomGenerator(11);
        var mlp = new Mlp([5, 12, 12, 3], rng, Activation.GELU, Activation.Sigmoid, layerNorm: true);
        // Move the layer norms off their identity initialisation.
        foreach (var (name, tensor) in mlp.StateDict().Where(p => p.Key.StartsWith("norm", StringComparison.Ordinal)))
            Init.Uniform(tensor, rng, 0.5f, 1.5f);
        using var directory = new TemporaryDirectory("rlkit-onnx");
        OnnxExporter.Export(mlp, 5, directory.File("mlp.onnx"));
        using var run = OnnxRun.Load(directory.File("mlp.onnx"));
        var x = OnnxRun.RandomObservations(1000, 5, seed: 12, scale: 2f);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1000, 5]);
        using var runOptions = new RunOptions();
        using var results = run.Session.Run(runOptions, ["input"], [input], ["output"]);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        OnnxRun.AssertClose(mlp.Forward(Tensor.FromArray(x, 1000, 5)).AsReadOnlySpan(), results[0].GetTensorDataAsSpan<float>(), "output");
    }

    [Test]
    public void AnUnsupportedModuleIsNamed()
    {
        var rng = new RandomGenerator(1);
        using var directory = new TemporaryDirectory("rlkit-onnx");
        var deepSet = new DeepSet(new Linear(4, 8, rng), new Linear(8, 2, rng));
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(deepSet, 4, directory.File("set.onnx")))!;
        Assert.That(e.Message, Does.Contain("DeepSet").And.Contain("Linear, Mlp, LayerNorm"));
        var conv = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(new Conv1d(2, 2, 3, rng), 4, directory.File("conv.onnx")))!;
        Assert.That(conv.Message, Does.Contain("Conv1d"));
        var width = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(new Linear(4, 2, rng), 5, directory.File("linear.onnx")))!;
        Assert.That(width.ParamName, Is.EqualTo("inputSize"));
        Assert.That(Directory.GetFiles(directory.FullPath), Is.Empty, "a failed export writes nothing");
    }

    [Test]
    public void ARelationalOnPolicyAgentIsRefusedClearly()
    {
        var env = RLKit.Envs.StandardEnvironments.CreateCatalog().Make("DigLavaGrid-v0");
        var agent = new RLKit.Algorithms.Ppo.PpoAgent(env.ObservationSpace, env.ActionSpace,
            new RLKit.Algorithms.Ppo.PpoOptions { ActionRelations = RLKit.Algorithms.ActionRelations.Relations.Agile }, new RandomGenerator(0));
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(agent, Stream.Null))!;
        Assert.That(e.Message, Does.Contain("ActionRelations"));
    }

    [Test]
    public void AnUnsupportedAgentIsNamedAndATaskViewPointsToTheTaskOption()
    {
        var fake = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(new FakeAgent(), Stream.Null))!;
        Assert.That(fake.Message, Does.Contain(nameof(FakeAgent)).And.Contain("PpoAgent"));
        var view = ((IMultiTaskAgent)TinyAgents.Distral()).ForTask(1);
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(view, Stream.Null))!;
        Assert.That(e.Message, Does.Contain("OnnxExportOptions.Task"));
    }

    [Test]
    public void TaskOptionsAreChecked()
    {
        var distral = TinyAgents.Distral();
        var outOfRange = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(distral, Stream.Null, new OnnxExportOptions { Task = 5 }))!;
        Assert.That(outOfRange.Message, Does.Contain("[0, 4]"));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(distral, Stream.Null, new OnnxExportOptions { Task = -1 }))!;
        Assert.That(negative.ParamName, Is.EqualTo(nameof(OnnxExportOptions.Task)));
        var single = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(TinyAgents.Ppo(), Stream.Null, new OnnxExportOptions { Task = 0 }))!;
        Assert.That(single.Message, Does.Contain("multi-task"));
    }

    [Test]
    public void NormalizationStatisticsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new OnnxObservationNormalization([0.0, 1.0], [1.0]));
        Assert.Throws<ArgumentException>(() => new OnnxObservationNormalization([double.NaN], [1.0]));
        Assert.Throws<ArgumentException>(() => new OnnxObservationNormalization([0.0], [-1.0]));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxObservationNormalization([0.0], [1.0], clip: 0))!.ParamName, Is.EqualTo("clip"));
        var wrongSize = new OnnxExportOptions { ObservationNormalization = new OnnxObservationNormalization([0.0, 0.0], [1.0, 1.0]) };
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(TinyAgents.Ppo(), Stream.Null, wrongSize))!;
        Assert.That(e.Message, Does.Contain("2 elements").And.Contain("observations of 4"));
    }

    [Test]
    public void BadPathsAreRejected()
    {
        var agent = TinyAgents.Ppo();
        using var directory = new TemporaryDirectory("rlkit-onnx");
        Assert.Throws<DirectoryNotFoundException>(() => OnnxExporter.Export(agent, Path.Combine(directory.FullPath, "missing", "model.onnx")));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(agent, directory.FullPath + Path.DirectorySeparatorChar));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(agent, " "));
        Assert.That(Directory.GetFileSystemEntries(directory.FullPath), Is.Empty);
    }

    [Test]
    public void TheFileIsReplacedAtomically()
    {
        // An existing model is replaced by a complete new one through a temporary file; a failing export leaves it as it was.
        using var directory = new TemporaryDirectory("rlkit-onnx");
        string path = directory.File("policy.onnx");
        File.WriteAllText(path, "an older model");
        var agent = TinyAgents.Ppo();
        OnnxExporter.Export(agent, path);
        var written = File.ReadAllBytes(path);
        using var expected = new MemoryStream();
        OnnxExporter.Export(agent, expected);
        Assert.That(written, Is.EqualTo(expected.ToArray()));
        Assert.That(Directory.GetFiles(directory.FullPath).Select(Path.GetFileName), Is.EqualTo(new[] { "policy.onnx" }));

        Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(new FakeAgent(), path));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(written));
        Assert.That(Directory.GetFiles(directory.FullPath).Select(Path.GetFileName), Is.EqualTo(new[] { "policy.onnx" }));
    }

    [Test]
    public void ExportIsDeterministic()
    {
        var agent = TinyAgents.Sac();
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        OnnxExporter.Export(agent, first);
        OnnxExporter.Export(agent, second);
        Assert.That(first.ToArray(), Is.EqualTo(second.ToArray()));
    }

    private sealed class FakeAgent : IAgent
    {
        public string Algorithm => "fake";
        public Space ObservationSpace { get; } = new Box(-1f, 1f, [4]);
        public Space ActionSpace { get; } = new Discrete(2);
        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => actions.Clear();
        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
    }
}

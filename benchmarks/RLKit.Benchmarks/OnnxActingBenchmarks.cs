using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Onnx;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Benchmarks;

/// <summary>
/// Acting latency of the QuickStart network (PPO's CartPole defaults: 4 → 64 → 64 tanh actor, 2 logits), greedy, at
/// batch 1, 8 and 256: RLKit's <c>agent.Predict</c> (from a float span) and <c>agent.Act</c> (from a tensor built once)
/// against ONNX Runtime running the same agent exported by RLKit.Onnx, in the same process. The export leaves the critic
/// out (<see cref="OnnxExportOptions.IncludeValue"/> = false), so both sides compute the actor only; ONNX Runtime runs one
/// intra-op thread with every graph optimisation, on preallocated input and output values (its fastest call).
/// </summary>
[MemoryDiagnoser]
public class OnnxActingBenchmarks
{
    private PpoAgent _agent = null!;
    private float[] _observations = null!;
    private Tensor _observationTensor = null!;
    private int[] _actions = null!;
    private long[] _onnxActions = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _input = null!;
    private OrtValue _output = null!;
    private string[] _inputNames = null!;
    private string[] _outputNames = null!;
    private OrtValue[] _inputs = null!;
    private OrtValue[] _outputs = null!;

    /// <summary>Observations per call.</summary>
    [Params(1, 8, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var cartPole = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        _agent = new PpoAgent(cartPole.ObservationSpace, cartPole.ActionSpace, PpoOptions.CartPole with { Seed = 1 }, new RandomGenerator(1));
        var rng = new RandomGenerator(2);
        _observations = new float[Batch * 4];
        rng.FillNormal(_observations, 0f, 0.5f);
        _observationTensor = Tensor.FromArray(_observations, Batch, 4);
        _actions = new int[Batch];
        _onnxActions = new long[Batch];

        using var model = new MemoryStream();
        OnnxExporter.Export(_agent, model, new OnnxExportOptions { IncludeValue = false });
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model.ToArray(), sessionOptions);
        _runOptions = new RunOptions();
        _input = OrtValue.CreateTensorValueFromMemory(_observations, [Batch, 4]);
        _output = OrtValue.CreateTensorValueFromMemory(_onnxActions, [Batch]);
        (_inputNames, _inputs) = ([OnnxNames.Observation], [_input]);
        (_outputNames, _outputs) = ([OnnxNames.Action], [_output]);

        // Both sides must choose the same actions, or the comparison means nothing.
        RLKitPredict();
        OnnxRuntime();
        for (int i = 0; i < Batch; i++)
            if (_actions[i] != _onnxActions[i]) throw new InvalidOperationException($"row {i}: RLKit chose {_actions[i]}, ONNX Runtime {_onnxActions[i]}.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>RLKit from plain floats: <c>agent.Predict(observations, actions)</c>.</summary>
    [Benchmark(Baseline = true)]
    public int RLKitPredict()
    {
        _agent.Predict(_observations, _actions);
        return _actions[0];
    }

    /// <summary>RLKit from a tensor the caller keeps: <c>agent.Act(tensor, actions, deterministic: true)</c>.</summary>
    [Benchmark]
    public int RLKitAct()
    {
        _agent.Act(_observationTensor, _actions, deterministic: true);
        return _actions[0];
    }

    /// <summary>ONNX Runtime on the exported model, preallocated input and output.</summary>
    [Benchmark]
    public long OnnxRuntime()
    {
        _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
        return _onnxActions[0];
    }
}

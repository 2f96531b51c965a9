using BenchmarkDotNet.Attributes;
using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// One supervised training step of the network size PPO uses on CartPole: a 4→64→64→2 tanh MLP on a
/// batch of 256: forward, MSE loss, backward, Adam step. Allocated bytes are per step, with the step's
/// temporaries pooled by a TensorScope as a training loop does.
/// </summary>
[MemoryDiagnoser]
public class MlpStepBenchmarks
{
    private Mlp _net = null!;
    private Adam _adam = null!;
    private Tensor _x = null!;
    private Tensor _target = null!;
    private int _previousThreads;

    /// <summary>Engine threads: 1, or 0 for the default (all cores).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _previousThreads = EngineSettings.MaxDegreeOfParallelism;
        EngineSettings.MaxDegreeOfParallelism = Threads == 0 ? Environment.ProcessorCount : Threads;
        var rng = new RandomGenerator(3);
        _net = new Mlp([4, 64, 64, 2], rng, Activation.Tanh);
        _adam = new Adam(_net.Parameters(), learningRate: 3e-4f);
        _x = Tensor.RandomNormal(rng, [256, 4]);
        _target = Tensor.RandomNormal(rng, [256, 2]);
    }

    [GlobalCleanup]
    public void Cleanup() => EngineSettings.MaxDegreeOfParallelism = _previousThreads;

    [Benchmark]
    public float TrainStep()
    {
        using var scope = TensorScope.Begin();
        var loss = Functional.MseLoss(_net.Forward(_x), _target);
        _adam.ZeroGrad();
        loss.Backward();
        _adam.Step();
        return loss.Item();
    }

    [Benchmark]
    public float ForwardOnly()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return _net.Forward(_x).AsReadOnlySpan()[0];
    }
}

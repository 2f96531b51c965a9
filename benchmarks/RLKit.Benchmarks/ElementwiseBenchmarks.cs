using BenchmarkDotNet.Attributes;
using RLKit.Autograd;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// Forward element-wise kernels on a 256×64 activation (a PPO minibatch through a 64-wide layer),
/// inside a TensorScope so output buffers come from the pool as they do in training.
/// TensorPrimitivesTanh is the library tanh the engine avoids; it is here to show why.
/// </summary>
[MemoryDiagnoser]
public class ElementwiseBenchmarks
{
    private Tensor _x = null!;
    private float[] _scratch = null!;
    private Tensor _logits = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x = Tensor.RandomNormal(new RandomGenerator(7), [256, 64]);
        _scratch = new float[_x.Size];
        _logits = Tensor.RandomNormal(new RandomGenerator(8), [256, 2]);
    }

    [Benchmark] public float Tanh() => Run(static x => x.Tanh());
    [Benchmark] public float Exp() => Run(static x => x.Exp());
    [Benchmark] public float Softmax() => Run(static x => x.Softmax(-1));
    [Benchmark] public float LogSoftmax() => Run(static x => x.LogSoftmax(-1));

    /// <summary>A policy head's log-probabilities: 256 rows of 2 actions (CartPole).</summary>
    [Benchmark] public float LogSoftmaxPolicyHead() => Run(_ => _logits.LogSoftmax(-1));

    [Benchmark]
    public float TensorPrimitivesTanh()
    {
        TensorPrimitives.Tanh(_x.AsReadOnlySpan(), _scratch);
        return _scratch[0];
    }

    private float Run(Func<Tensor, Tensor> op)
    {
        using var scope = TensorScope.Begin();
        return op(_x).AsReadOnlySpan()[0];
    }
}

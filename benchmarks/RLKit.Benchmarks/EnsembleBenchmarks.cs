using BenchmarkDotNet.Attributes;
using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// Ten [256, 256] tanh MLPs with input 6 and output 1 (QMP's per-task critics on the maze: obs 4 ⊕ action 2 → Q)
/// as one <see cref="EnsembleMlp"/> against ten separate <see cref="Mlp"/>s with the same weights.
/// </summary>
/// <remarks>
/// <para><c>*TrainStep</c>: forward, MSE loss and backward (parameter gradients, not the input's) on a batch of 256
/// per member: 513 M multiply-adds (1.03 GFLOP) in the GEMMs.</para>
/// <para><c>*Scoring</c>: the forward alone, outside autograd, on 10 rows per member ([10, 10, 6]: one row per
/// candidate policy, each member its own rows, as a Q-switch scores 10 proposals for one state per task): 6.7 M
/// multiply-adds (13.5 MFLOP). <c>*ScoringShared</c>: the same 100 rows fed to every member ([100, 6]), ten
/// times that work.</para>
/// </remarks>
[MemoryDiagnoser]
public class EnsembleBenchmarks
{
    private const int Members = 10, Batch = 256, ScoringRows = 10, InputSize = 6;
    private static readonly int[] Sizes = [InputSize, 256, 256, 1];

    private EnsembleMlp _ensemble = null!;
    private Mlp[] _separate = null!;
    private Tensor _x = null!, _target = null!, _scoring = null!, _scoringShared = null!;
    private Tensor[] _xs = null!, _targets = null!, _scorings = null!;
    private int _previousThreads;

    /// <summary>Engine threads: 1, or 0 for the default (all cores).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    /// <summary>Builds both forms from one seed (so they hold the same weights) and their inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _previousThreads = EngineSettings.MaxDegreeOfParallelism;
        EngineSettings.MaxDegreeOfParallelism = Threads == 0 ? Environment.ProcessorCount : Threads;
        _ensemble = new EnsembleMlp(Members, Sizes, new RandomGenerator(3), Activation.Tanh);
        var rng = new RandomGenerator(3);
        _separate = Enumerable.Range(0, Members).Select(_ => new Mlp(Sizes, rng, Activation.Tanh)).ToArray();
        _x = Tensor.RandomNormal(rng, [Members, Batch, InputSize]);
        _target = Tensor.RandomNormal(rng, [Members, Batch, 1]);
        _scoring = Tensor.RandomNormal(rng, [Members, ScoringRows, InputSize]);
        _scoringShared = Tensor.RandomNormal(rng, [Members * ScoringRows, InputSize]);
        _xs = Split(_x);
        _targets = Split(_target);
        _scorings = Split(_scoring);
    }

    /// <summary>Restores the engine's degree of parallelism.</summary>
    [GlobalCleanup]
    public void Cleanup() => EngineSettings.MaxDegreeOfParallelism = _previousThreads;

    /// <summary>Forward, loss and backward of the ensemble: one batched GEMM per layer and per gradient.</summary>
    [Benchmark]
    public float EnsembleTrainStep()
    {
        using var scope = TensorScope.Begin();
        _ensemble.ZeroGrad();
        var loss = Functional.MseLoss(_ensemble.Forward(_x), _target);
        loss.Backward();
        return loss.Item();
    }

    /// <summary>The same step as ten networks, their losses summed into one backward.</summary>
    [Benchmark(Baseline = true)]
    public float SeparateTrainStep()
    {
        using var scope = TensorScope.Begin();
        Tensor? loss = null;
        for (int t = 0; t < Members; t++)
        {
            _separate[t].ZeroGrad();
            var lt = Functional.MseLoss(_separate[t].Forward(_xs[t]), _targets[t]);
            loss = loss is null ? lt : loss + lt;
        }
        loss!.Backward();
        return loss.Item();
    }

    /// <summary>Q-switch scoring: member t evaluates its own 10 rows.</summary>
    [Benchmark]
    public float EnsembleScoring()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return _ensemble.Forward(_scoring).AsReadOnlySpan()[0];
    }

    /// <summary>Q-switch scoring as ten networks, each on its 10 rows.</summary>
    [Benchmark]
    public float SeparateScoring()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        float sum = 0;
        for (int t = 0; t < Members; t++) sum += _separate[t].Forward(_scorings[t]).AsReadOnlySpan()[0];
        return sum;
    }

    /// <summary>Every member on the same 100 rows.</summary>
    [Benchmark]
    public float EnsembleScoringShared()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return _ensemble.Forward(_scoringShared).AsReadOnlySpan()[0];
    }

    /// <summary>Ten networks, each on the same 100 rows.</summary>
    [Benchmark]
    public float SeparateScoringShared()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        float sum = 0;
        for (int t = 0; t < Members; t++) sum += _separate[t].Forward(_scoringShared).AsReadOnlySpan()[0];
        return sum;
    }

    /// <summary>The members' slices of a [T, N, d] tensor as T separate [N, d] tensors.</summary>
    private static Tensor[] Split(Tensor stacked)
    {
        int rows = stacked.Dim(1), width = stacked.Dim(2);
        return Enumerable.Range(0, stacked.Dim(0))
            .Select(t => Tensor.FromSpan(stacked.AsReadOnlySpan().Slice(t * rows * width, rows * width), rows, width)).ToArray();
    }
}

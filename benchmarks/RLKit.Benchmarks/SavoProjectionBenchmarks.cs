using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.Savo;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// SAVO's discrete mode (seed 003 §4.4.5 item 5) at RecSim's size: a batch of 256 proposals projected onto the nearest of
/// 10,000 item representations of 30 floats, the call each target computation and each acting step of a
/// `RecSim-SingleItem-v0` run makes. <c>Project</c> is the 1-NN projection (ids and representations), <c>Nearest3</c>
/// the 3 nearest items per proposal (Wolpertinger's discrete candidates).
/// </summary>
[MemoryDiagnoser]
public class SavoProjectionBenchmarks
{
    private const int Items = 10_000, Size = 30, Batch = 256;

    private ActionDomain _domain = null!;
    private Tensor _proposals = null!;
    private int[] _ids = null!, _threeIds = null!;

    /// <summary>Random item representations and proposals from fixed seeds.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomGenerator(1);
        var representations = new float[Items * Size];
        rng.FillNormal(representations, 0f, 1f);
        _domain = ActionDomain.For(new ActionSet(Items, Size, representations), "space");
        _proposals = Tensor.RandomNormal(new RandomGenerator(2), [Batch, Size]);
        _ids = new int[Batch];
        _threeIds = new int[Batch * 3];
    }

    /// <summary>1-NN projection of 256 proposals onto 10,000 items.</summary>
    [Benchmark(Baseline = true)]
    public void Project()
    {
        using var scope = TensorScope.Begin();
        _domain.Project(_proposals, Batch, default, _ids);
    }

    /// <summary>The 3 nearest of 10,000 items for each of 256 proposals.</summary>
    [Benchmark]
    public void Nearest3() => _domain.Nearest(_proposals, Batch, default, _threeIds, 3);
}

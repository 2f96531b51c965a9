using BenchmarkDotNet.Attributes;
using RLKit.Envs.Recommender;

namespace RLKit.Benchmarks;

/// <summary>
/// Step cost of the RecSim-style recommenders (raw, without the time-limit wrapper): a single-item recommendation
/// over 10,000 and 100,000 items (one D = 30 dot product, a click draw, the drift on a click) and a 6-item slate
/// from 20 candidates (CPR, 6 dot products, the softmax choice). Episodes are reset at their catalog lengths
/// (20 and 15 steps), as a training loop would. Target: 0 B per step.
/// </summary>
[MemoryDiagnoser]
public class RecommenderEnvBenchmarks
{
    private RecSimSingleItem _singleItem = null!;
    private RecSimSingleItem _singleItemLarge = null!;
    private RecSimSlate _slate = null!;
    private int[] _trainItems = null!;
    private int[] _trainItemsLarge = null!;
    private readonly int[] _slateAction = new int[6];
    private int _step;
    private int _cursor;

    [GlobalSetup]
    public void Setup()
    {
        _singleItem = new RecSimSingleItem();
        _singleItem.Reset(seed: 1);
        _trainItems = _singleItem.Catalog.ItemsIn(ItemSplit.Train).ToArray();
        _singleItemLarge = new RecSimSingleItem(new RecSimSingleItemOptions { ItemCount = 100_000 });
        _singleItemLarge.Reset(seed: 1);
        _trainItemsLarge = _singleItemLarge.Catalog.ItemsIn(ItemSplit.Train).ToArray();
        _slate = new RecSimSlate();
        _slate.Reset(seed: 1);
        _slate.Candidates[..6].CopyTo(_slateAction);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _singleItem.Dispose();
        _singleItemLarge.Dispose();
        _slate.Dispose();
    }

    /// <summary>One single-item step over the default 10,000-item catalogue.</summary>
    [Benchmark]
    public double SingleItemStep10k() => SingleItemStep(_singleItem, _trainItems);

    /// <summary>One single-item step over a 100,000-item catalogue.</summary>
    [Benchmark]
    public double SingleItemStep100k() => SingleItemStep(_singleItemLarge, _trainItemsLarge);

    /// <summary>One slate step (6 of 20 candidate item ids), resetting every 15 steps.</summary>
    [Benchmark]
    public double SlateStep()
    {
        _step = (_step + 1) % 210;
        if (_step % 15 == 0)
        {
            _slate.Reset();
            _slate.Candidates[..6].CopyTo(_slateAction);
        }
        // The first position cycles through the 14 candidates the other five positions do not hold.
        _slateAction[0] = _slate.Candidates[6 + _step % 14];
        return _slate.Step(_slateAction).Reward;
    }

    private double SingleItemStep(RecSimSingleItem env, int[] items)
    {
        _step = (_step + 1) % 20;
        if (_step == 0) env.Reset();
        _cursor = (_cursor + 7919) % items.Length;
        return env.Step(items[_cursor]).Reward;
    }
}

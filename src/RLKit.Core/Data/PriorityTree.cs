using System.Numerics;

namespace RLKit.Data;

/// <summary>
/// A complete binary tree over leaf priorities keeping, for every subtree, the sum (for proportional sampling in
/// O(log n)) and the minimum (for normalising importance weights by the largest weight). Parents are recomputed from
/// their children on every update rather than adjusted by a difference, so rounding never accumulates.
/// </summary>
internal sealed class PriorityTree
{
    private readonly int _leafBase;
    private readonly double[] _sums;
    private readonly double[] _mins;

    public PriorityTree(int capacity)
    {
        Capacity = capacity;
        _leafBase = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 1));
        _sums = new double[2 * _leafBase];
        _mins = new double[2 * _leafBase];
        _mins.AsSpan().Fill(double.PositiveInfinity);
    }

    public int Capacity { get; }

    public double Total => _sums[1];

    /// <summary>The smallest priority among the leaves that were set (+∞ when none was).</summary>
    public double Min => _mins[1];

    public double this[int leaf] => _sums[_leafBase + leaf];

    public void Set(int leaf, double priority)
    {
        int node = _leafBase + leaf;
        _sums[node] = priority;
        _mins[node] = priority;
        for (node >>= 1; node >= 1; node >>= 1)
        {
            int left = 2 * node;
            _sums[node] = _sums[left] + _sums[left + 1];
            _mins[node] = Math.Min(_mins[left], _mins[left + 1]);
        }
    }

    /// <summary>
    /// The leaf where the running sum of priorities first exceeds <paramref name="prefix"/> (in [0, Total)). Only
    /// subtrees with a positive sum are entered, so a leaf of priority zero is never returned even when rounding puts
    /// <paramref name="prefix"/> at the very top.
    /// </summary>
    public int FindPrefixSum(double prefix)
    {
        int node = 1;
        while (node < _leafBase)
        {
            int left = 2 * node;
            if (prefix < _sums[left] || _sums[left + 1] <= 0)
            {
                node = left;
            }
            else
            {
                prefix -= _sums[left];
                node = left + 1;
            }
        }
        return node - _leafBase;
    }

    public void Clear()
    {
        Array.Clear(_sums);
        _mins.AsSpan().Fill(double.PositiveInfinity);
    }
}

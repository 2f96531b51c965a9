using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors;

/// <summary>The engine's per-thread array pool: reuse for repeated shapes, bounded retention for changing ones.</summary>
[TestFixture]
public class BufferPoolTests
{
    [Test]
    public void ARepeatedLengthIsServedFromThePool()
    {
        var first = BufferPool.Rent(1000, clear: false);
        BufferPool.Return(first);
        var second = BufferPool.Rent(1000, clear: true);
        Assert.That(second, Is.SameAs(first));
        Assert.That(second, Is.All.EqualTo(0f), "clear: true hands back zeros");
    }

    [Test]
    public void ChangingLengthsNeverRetainMoreThanTheCap()
    {
        // An update per episode: every step a new batch length, and arrays of millions of floats each.
        long peak = 0;
        for (int episode = 0; episode < 200; episode++)
        {
            int length = 2_000_000 + episode * 1_000;
            var arrays = Enumerable.Range(0, 4).Select(_ => BufferPool.Rent(length, clear: false)).ToArray();
            foreach (var array in arrays) BufferPool.Return(array);
            peak = Math.Max(peak, BufferPool.RetainedFloats);
        }
        Assert.That(peak, Is.LessThanOrEqualTo(BufferPool.MaxRetainedFloats));
        Assert.That(peak, Is.GreaterThan(BufferPool.MaxRetainedFloats / 2), "the pool still keeps arrays up to its cap");
    }
}

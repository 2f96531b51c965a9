using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors;

/// <summary>The two scopes checkpoint loading builds networks in: no initialisation, and a bound on allocation.</summary>
public class ConstructionLimitsTests
{
    [Test]
    public void SuppressedInitialisersLeaveTheTensorAndTheGeneratorAlone()
    {
        var rng = new RandomGenerator(4);
        var reference = new RandomGenerator(4);
        var weight = Tensor.Zeros(8, 5);
        using (Init.Suppress())
        {
            Init.Orthogonal(weight, rng);
            Init.KaimingUniform(weight, rng);
            Init.Normal(weight, rng, 1f, 2f);
            Init.Constant(weight, 3f);
        }
        Assert.That(weight.ToArray(), Is.All.EqualTo(0f));
        Assert.That(rng.NextDouble(), Is.EqualTo(reference.NextDouble()), "nothing was drawn");
        Init.Constant(weight, 3f);
        Assert.That(weight.ToArray(), Is.All.EqualTo(3f), "the scope ended");
        Assert.Throws<ArgumentException>(() => { using (Init.Suppress()) Init.Orthogonal(Tensor.Zeros(3), rng); }, "arguments are still checked");
    }

    [Test]
    public void AllocationsPastTheLimitAreRefusedBeforeTheyHappen()
    {
        using (Tensor.LimitAllocations(100))
        {
            Tensor.Zeros(60);
            var e = Assert.Throws<AllocationLimitExceededException>(() => Tensor.Zeros(50));
            Assert.That((e!.Requested, e.Remaining), Is.EqualTo((50L, 40L)));
            Tensor.Zeros(40);
            using (Tensor.LimitAllocations(1_000_000)) Tensor.Zeros(1000);
            Assert.Throws<AllocationLimitExceededException>(() => Tensor.Zeros(1), "the outer limit is back after the inner scope");
        }
        Assert.That(Tensor.Zeros(1000).Size, Is.EqualTo(1000), "no limit outside the scope");
    }
}

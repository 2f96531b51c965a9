using RLKit.Spaces;
using RLKit.Training.Checkpoints;

namespace RLKit.Core.Tests.Training.Checkpoints;

/// <summary>Space descriptions come from files: impossible sizes are refused before they size an allocation (fuzz finding F1).</summary>
public class SpaceDescriptionTests
{
    [TestCase(-3, 2)]
    [TestCase(0, 2)]
    [TestCase(4, -1)]
    [TestCase(50_000, 50_000)]
    [TestCase(40_000, 40_000)]
    public void ImpossibleActionSetSizesAreInvalidData(int count, int representationSize)
    {
        var description = new SpaceDescription("ActionSet", [], "x", Count: count, RepresentationSize: representationSize);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => description.ToSpace());
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1_000_000));
        Assert.That(e!.Message, Does.Contain(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void AValidActionSetRoundTrips()
    {
        var space = (ActionSet)SpaceDescription.Of(new ActionSet(5, 3, new float[15])).ToSpace();
        Assert.That((space.Count, space.RepresentationSize), Is.EqualTo((5, 3)));
    }
}

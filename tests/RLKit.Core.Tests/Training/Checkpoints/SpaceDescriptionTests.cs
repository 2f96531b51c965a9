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

    [Test]
    public void AnActionListRoundTripsWithItsLengthAndUniverse()
    {
        var items = new ActionSet(7, 2, new float[14]);
        items.Available[3] = false;
        var description = SpaceDescription.Of(new ActionList(items, 4));
        Assert.That((description.Kind, description.Count, description.RepresentationSize, description.Length), Is.EqualTo(("ActionList", 7, 2, 4)));
        Assert.That(description.Shape, Is.EqualTo(new[] { 4 }));

        var json = System.Text.Json.JsonSerializer.Serialize(description, Checkpoint.JsonOptions);
        var back = System.Text.Json.JsonSerializer.Deserialize<SpaceDescription>(json, Checkpoint.JsonOptions)!;
        Assert.That(back.Matches(description), Is.True);
        var space = (ActionList)back.ToSpace();
        Assert.That((space.Length, space.Items.Count, space.Items.RepresentationSize, space.Items.AvailableCount), Is.EqualTo((4, 7, 2, 7)));
        Assert.That(SpaceDescription.Of(space).Matches(description), Is.True);
    }

    [Test]
    public void ActionListsOfOtherLengthsOrActionSetsDoNotMatch()
    {
        var items = new ActionSet(7, 2, new float[14]);
        var four = SpaceDescription.Of(new ActionList(items, 4));
        Assert.That(SpaceDescription.Of(new ActionList(items, 3)).Matches(four), Is.False);
        Assert.That(SpaceDescription.Of(items).Matches(four), Is.False);
        Assert.That(SpaceDescription.Of(new ActionList(new ActionSet(8, 2, new float[16]), 4)).Matches(four), Is.False);
    }

    [TestCase(0, 5)]
    [TestCase(6, 5)]
    [TestCase(-2, 5)]
    public void ImpossibleActionListLengthsAreInvalidData(int length, int count)
    {
        var description = new SpaceDescription("ActionList", [length], "x", Count: count, RepresentationSize: 1, Length: length);
        var e = Assert.Throws<InvalidDataException>(() => description.ToSpace());
        Assert.That(e!.Message, Does.Contain($"the length must lie in [1, {count}]"));
    }

    [Test]
    public void AnActionListWithoutItsLengthOrWithAnImpossibleUniverseIsInvalidData()
    {
        var noLength = Assert.Throws<InvalidDataException>(() => new SpaceDescription("ActionList", [2], "x", Count: 5, RepresentationSize: 1).ToSpace());
        Assert.That(noLength!.Message, Does.Contain("'Length'"));
        var huge = Assert.Throws<InvalidDataException>(() => new SpaceDescription("ActionList", [2], "x", Count: 50_000, RepresentationSize: 50_000, Length: 2).ToSpace());
        Assert.That(huge!.Message, Does.Contain("50000"));
    }
}

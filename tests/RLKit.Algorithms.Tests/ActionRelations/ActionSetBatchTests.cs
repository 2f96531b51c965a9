using RLKit.Algorithms.ActionRelations;

namespace RLKit.Algorithms.Tests.ActionRelations;

public class ActionSetBatchTests
{
    // Four actions with representations [id, 10·id].
    private static readonly float[] Representations = [0, 0, 1, 10, 2, 20, 3, 30];

    [Test]
    public void RowsListTheirAvailableActionsInUniverseOrderThenPadding()
    {
        bool[] availability = [false, true, false, true, /**/ true, true, true, false];
        var batch = ActionSetBatch.FromAvailability(Representations, 2, availability, 2);

        Assert.That((batch.Rows, batch.Width, batch.Count, batch.RepresentationSize), Is.EqualTo((2, 3, 4, 2)));
        Assert.That(batch.Ids.ToArray(), Is.EqualTo(new[] { 1, 3, -1, 0, 1, 2 }));
        Assert.That(batch.Mask.ToArray(), Is.EqualTo(new[] { 1f, 1f, 0f, 1f, 1f, 1f }));
        Assert.That(batch.Representations.ShapeArray(), Is.EqualTo(new[] { 2, 3, 2 }));
        Assert.That(batch.Representations.ToArray(), Is.EqualTo(new[] { 1f, 10, 3, 30, 0, 0, /**/ 0, 0, 1, 10, 2, 20 }));
        Assert.That((batch.AvailableCount(0), batch.AvailableCount(1)), Is.EqualTo((2, 3)));
        Assert.That(new[] { batch.SlotOf(0, 0), batch.SlotOf(0, 1), batch.SlotOf(0, 3), batch.SlotOf(1, 2), batch.SlotOf(1, 3), batch.SlotOf(1, 99), batch.SlotOf(1, -1) },
            Is.EqualTo(new[] { -1, 0, 1, 2, -1, -1, -1 }));
        Assert.That((batch.IdAt(0, 1), batch.IdAt(0, 2)), Is.EqualTo((3, -1)));
    }

    [Test]
    public void ExcludedActionsAreLeftOut()
    {
        bool[] availability = [true, true, true, true];
        bool[] exclude = [false, true, false, true];
        var batch = ActionSetBatch.FromAvailability(Representations, 2, availability, 1, exclude);
        Assert.That(batch.Ids.ToArray(), Is.EqualTo(new[] { 0, 2 }));
        Assert.That(batch.SlotOf(0, 1), Is.EqualTo(-1));
    }

    [Test]
    public void ARowWithNothingAvailableIsNamed()
    {
        bool[] availability = [true, false, false, false, /**/ false, false, false, false];
        Assert.That(() => ActionSetBatch.FromAvailability(Representations, 2, availability, 2),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("availability").And.Message.Contains("row 1"));
        Assert.That(() => ActionSetBatch.FromAvailability(Representations, 2, [true, false, false, false], 1, [true, false, false, false]),
            Throws.ArgumentException.With.Message.Contains("row 0").And.Message.Contains("exclusion"));
    }

    [Test]
    public void WidthMismatchesAreRejected()
    {
        bool[] availability = [true, true, true, true];
        Assert.That(() => ActionSetBatch.FromAvailability(Representations, 3, availability, 1),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("representations").And.Message.Contains("representation width 3"));
        Assert.That(() => ActionSetBatch.FromAvailability(Representations, 2, [true, true, true], 2),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("availability"));
        Assert.That(() => ActionSetBatch.FromAvailability(Representations, 2, availability, 1, [true]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("exclude"));
        Assert.That(() => ActionSetBatch.FromAvailability(Representations, 0, availability, 1),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("representationSize"));
        Assert.That(() => ActionSetBatch.FromAvailability(Representations, 2, availability, 0),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("rows"));
        var batch = ActionSetBatch.FromAvailability(Representations, 2, availability, 1);
        Assert.That(() => batch.SlotOf(1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("row"));
        Assert.That(() => batch.IdAt(0, 4), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("slot"));
    }
}

using FsCheck;
using FsCheck.Fluent;
using RLKit.Algorithms.ActionRelations;
using RLKit.Tensors;
using static RLKit.Algorithms.Tests.ActionRelations.ActionRelationTestData;

namespace RLKit.Algorithms.Tests.ActionRelations;

public class ActionSetSummarizerTests
{
    private static ActionSetSummarizer Mean(int features, RandomGenerator rng) => ActionSetSummarizers.Create(features, Small("gat"), rng)!;

    [Test]
    public void MeanSummaryIsTheMlpOfTheMaskedMean()
    {
        var rng = new RandomGenerator(1);
        var summarizer = Mean(2, rng);
        var features = Tensor.FromArray([1f, 2f, 3f, 4f, 1e6f, -1e6f], 1, 3, 2);
        var summary = summarizer.Summarize(features, Tensor.FromArray([1f, 1f, 0f], 1, 3));
        var reference = summarizer.Summarize(Tensor.FromArray([2f, 3f], 1, 1, 2), Tensor.Ones(1, 1)); // the mean alone
        Assert.That(summary.ShapeArray(), Is.EqualTo(new[] { 1, summarizer.OutputSize }));
        Assert.That(summary.ToArray(), Is.EqualTo(reference.ToArray()).Within(1e-5f));
        Assert.That(ActionSetSummarizers.Create(2, Small("gat", summarizer: "none"), rng), Is.Null);
    }

    [Test]
    public void SummaryIsPermutationInvariant()
    {
        var summarizer = Mean(3, new RandomGenerator(2));
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var rng = new RandomGenerator((ulong)seed);
            int width = 1 + rng.NextInt(7);
            var features = Tensor.FromArray(Uniform(rng, 3 * width * 3), 3, width, 3);
            var mask = Tensor.FromArray(Availability(rng, 3, width).Select(a => a ? 1f : 0f).ToArray(), 3, width);
            var perm = Permutation(rng, width);
            var a = summarizer.Summarize(features, mask).ToArray();
            var b = summarizer.Summarize(PermuteSlots(features, perm), PermuteSlots(mask, perm)).ToArray();
            return a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 1e-5f);
        }).QuickCheckThrowOnFailure();
    }

    [TestCaseSource(typeof(ActionRelationTestData), nameof(OrderFreeEncoders))]
    public void EncoderThenSummaryIsPermutationInvariant(string name)
    {
        var rng0 = new RandomGenerator(3);
        var encoder = ActionRelationEncoders.Create(3, Small(name), rng0);
        var summarizer = Mean(encoder.OutputSize, rng0);
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var rng = new RandomGenerator((ulong)seed);
            int width = 1 + rng.NextInt(6);
            var nodes = Tensor.FromArray(Uniform(rng, 2 * width * 3), 2, width, 3);
            var mask = Tensor.FromArray(Availability(rng, 2, width).Select(a => a ? 1f : 0f).ToArray(), 2, width);
            var perm = Permutation(rng, width);
            var a = summarizer.Summarize(encoder.Encode(nodes, mask), mask).ToArray();
            var pm = PermuteSlots(mask, perm);
            var b = summarizer.Summarize(encoder.Encode(PermuteSlots(nodes, perm), pm), pm).ToArray();
            return a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 1e-5f);
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void GradCheckWrtFeaturesAndParameters()
    {
        // The MLP's ReLU has a kink (see GradCheckOverDraws).
        GradCheckOverDraws(rng =>
        {
            var summarizer = Mean(3, rng);
            var mask = Tensor.FromArray([1f, 0f, 1f, 1f, 1f, 1f], 2, 3);
            var features = GradCheck.Input(rng, [2, 3, 3]);
            GradCheck.Check(t => summarizer.Summarize(t[0], mask), [features, .. summarizer.Parameters()], h: 1e-3);
        });
    }

    [Test]
    public void BadInputsNameTheArgument()
    {
        var summarizer = Mean(3, new RandomGenerator(4));
        Assert.That(() => summarizer.Summarize(Tensor.Ones(1, 2, 4), Tensor.Ones(1, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("features").And.Message.Contains("[batch, M, 3]"));
        Assert.That(() => summarizer.Summarize(Tensor.Ones(1, 2, 3), Tensor.Ones(2, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("mask"));
        Assert.That(() => summarizer.Summarize(Tensor.Ones(1, 2, 3), Tensor.Zeros(1, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("mask").And.Message.Contains("row 0"));
    }
}

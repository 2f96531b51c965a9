using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.ActionRelations;
using RLKit.Hosting;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.ActionRelations;

public class ActionRelationOptionsTests
{
    [Test]
    public void DefaultsAreAgileAndValid()
    {
        var options = new ActionRelationOptions();
        Assert.That(options, Is.EqualTo(Relations.Agile));
        Assert.That((options.Encoder, options.Summarizer, options.RelationalUtility, options.StateInGraph, options.HiddenSize, options.Heads, options.NegativeSlope, options.StateHiddenSize),
            Is.EqualTo(("gat", "mean", true, true, 64, 1, 0.2f, 64)));
        Assert.That(options.Validate, Throws.Nothing);
    }

    [TestCase("agile", "gat", "mean", true, true)]
    [TestCase("agile-gcn", "gcn", "mean", true, true)]
    [TestCase("agile-only-action", "gat", "mean", true, false)]
    [TestCase("summary-gat", "gat", "mean", false, true)]
    [TestCase("summary-deepset", "deepset", "mean", false, true)]
    [TestCase("summary-lstm", "lstm", "mean", false, true)]
    [TestCase("utility-policy", "none", "none", false, true)]
    public void MethodPresetsMatchThePaper(string name, string encoder, string summarizer, bool relational, bool stateInGraph)
    {
        var options = Relations.Method(name);
        Assert.That((options.Encoder, options.Summarizer, options.RelationalUtility, options.StateInGraph), Is.EqualTo((encoder, summarizer, relational, stateInGraph)));
        Assert.That(options.Validate, Throws.Nothing);
    }

    [Test]
    public void EncoderPresetsNameTheirEncoder()
    {
        Assert.That(new[] { Relations.Gat(), Relations.Gcn(), Relations.DeepSet(), Relations.Lstm(), Relations.None() }.Select(o => o.Encoder),
            Is.EqualTo(ActionRelationEncoders.Names));
        Assert.That(ActionRelationEncoders.All.Keys, Is.EquivalentTo(ActionRelationEncoders.Names));
        Assert.That(ActionSetSummarizers.All.Keys, Is.EquivalentTo(ActionSetSummarizers.Names));
    }

    [Test]
    public void UnknownMethodListsTheKnownNames()
    {
        Assert.That(() => Relations.Method("agile-xl"), Throws.ArgumentException.With.Property("ParamName").EqualTo("name")
            .And.Message.Contains("agile-xl").And.Message.Contains("summary-deepset").And.Message.Contains("utility-policy"));
    }

    [Test]
    public void UnknownEncoderAndSummarizerNamesListTheKnownNames()
    {
        Assert.That(() => new ActionRelationOptions(Encoder: "transformer").Validate(),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Encoder").And.Message.Contains("gat, gcn, deepset, lstm, none"));
        Assert.That(() => new ActionRelationOptions(Summarizer: "max").Validate(),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Summarizer").And.Message.Contains("mean, none"));
        var rng = new RandomGenerator(1);
        Assert.That(() => ActionRelationEncoders.Create(4, new ActionRelationOptions(Encoder: "transformer"), rng),
            Throws.ArgumentException.With.Message.Contains("transformer").And.Message.Contains("gat, gcn, deepset, lstm, none"));
        Assert.That(() => ActionSetSummarizers.Create(4, new ActionRelationOptions(Summarizer: "max"), rng),
            Throws.ArgumentException.With.Message.Contains("max").And.Message.Contains("mean, none"));
        Assert.That(() => new ActionSetScorer(3, 2, new ActionRelationOptions(Encoder: "GAT"), rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Encoder"));
    }

    [TestCase(0, 1, 0.2f, 64, "HiddenSize")]
    [TestCase(64, 0, 0.2f, 64, "Heads")]
    [TestCase(64, 1, float.NaN, 64, "NegativeSlope")]
    [TestCase(64, 1, 0.2f, 0, "StateHiddenSize")]
    public void OutOfRangeWidthsNameTheOption(int hidden, int heads, float slope, int stateHidden, string option)
    {
        var options = new ActionRelationOptions(HiddenSize: hidden, Heads: heads, NegativeSlope: slope, StateHiddenSize: stateHidden);
        Assert.That(options.Validate, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(option)
            .And.Message.Contains($"ActionRelationOptions.{option} must be"));
    }

    [Test]
    public void EncodersAndSummarizersResolveByKey()
    {
        using var provider = new ServiceCollection().AddRLKit(b => b.AddClassicAlgorithms()).Services.BuildServiceProvider();
        var rng = new RandomGenerator(2);
        var options = ActionRelationTestData.Small("gat");
        foreach (var name in ActionRelationEncoders.Names)
        {
            var encoder = provider.GetRequiredKeyedService<ActionRelationEncoderFactory>(name)(6, options, rng);
            Assert.That(encoder.InputSize, Is.EqualTo(6), name);
        }
        Assert.That(provider.GetRequiredKeyedService<ActionSetSummarizerFactory>("mean")(6, options, rng)!.OutputSize, Is.EqualTo(options.HiddenSize));
        Assert.That(provider.GetRequiredKeyedService<ActionSetSummarizerFactory>("none")(6, options, rng), Is.Null);
    }
}

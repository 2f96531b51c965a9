using FsCheck;
using FsCheck.Fluent;
using RLKit.Algorithms.ActionRelations;
using RLKit.Tensors;
using static RLKit.Algorithms.Tests.ActionRelations.ActionRelationTestData;

namespace RLKit.Algorithms.Tests.ActionRelations;

public class ActionSetScorerTests
{
    private const int StateSize = 3, RepresentationSize = 2, Count = 6;

    /// <summary>Every method preset plus AGILE with each encoder, all at test widths.</summary>
    public static IEnumerable<TestCaseData> Configurations()
    {
        foreach (var (name, preset) in Relations.Methods)
            yield return new TestCaseData(name, preset with { HiddenSize = 5, StateHiddenSize = 4 }).SetArgDisplayNames(name);
        foreach (var encoder in new[] { "deepset", "lstm", "none" })
            yield return new TestCaseData("agile-" + encoder, Small(encoder)).SetArgDisplayNames("agile-" + encoder);
    }

    /// <summary>The configurations whose scores do not depend on how the universe is ordered (all but the LSTM's).</summary>
    public static IEnumerable<TestCaseData> OrderFreeConfigurations() =>
        Configurations().Where(c => ((ActionRelationOptions)c.Arguments[1]!).Encoder != "lstm");

    private static (Tensor States, float[] Representations, bool[] Availability) Inputs(RandomGenerator rng, int rows) =>
        (Tensor.FromArray(Uniform(rng, rows * StateSize), rows, StateSize), Uniform(rng, Count * RepresentationSize), Availability(rng, rows, Count));

    [TestCaseSource(nameof(Configurations))]
    public void PaddedRowsScoreLikeEachRowAlone(string method, ActionRelationOptions options)
    {
        var rng = new RandomGenerator(1);
        var scorer = new ActionSetScorer(StateSize, RepresentationSize, options, rng, contextSize: 2);
        const int rows = 4;
        var (states, reps, availability) = Inputs(rng, rows);
        availability[0] = availability[1] = true; // row 0 is the widest, so the other rows are padded
        for (int a = 2; a < Count; a++) availability[a] = true;
        var context = Tensor.FromArray(Uniform(rng, rows * 2), rows, 2);
        var batch = ActionSetBatch.FromAvailability(reps, RepresentationSize, availability, rows);
        var together = scorer.Score(states, batch, context);
        Assert.That(together.Scores.ShapeArray(), Is.EqualTo(new[] { rows, batch.Width }));
        Assert.That(together.StateCode.ShapeArray(), Is.EqualTo(new[] { rows, options.StateHiddenSize }));
        Assert.That(together.Summary?.ShapeArray(), Is.EqualTo(options.Summarizer == "none" ? null : new[] { rows, options.HiddenSize }));
        for (int b = 0; b < rows; b++)
        {
            var one = ActionSetBatch.FromAvailability(reps, RepresentationSize, availability.AsSpan(b * Count, Count), 1);
            var alone = scorer.Score(states.Narrow(0, b, 1), one, context.Narrow(0, b, 1));
            for (int slot = 0; slot < one.Width; slot++)
                Assert.That(together.Scores[b, batch.SlotOf(b, one.IdAt(0, slot))], Is.EqualTo(alone.Scores[0, slot]).Within(1e-5f), $"{method}: row {b}, slot {slot}");
            if (alone.Summary is not null)
                Assert.That(together.Summary!.Narrow(0, b, 1).ToArray(), Is.EqualTo(alone.Summary.ToArray()).Within(1e-5f), $"{method}: summary of row {b}");
        }
    }

    [TestCaseSource(nameof(Configurations))]
    public void PaddingScoresAreLargeNegativeWithZeroProbabilityAndGradient(string method, ActionRelationOptions options)
    {
        var rng = new RandomGenerator(2);
        var scorer = new ActionSetScorer(StateSize, RepresentationSize, options, rng);
        var (states, reps, _) = Inputs(rng, 2);
        bool[] availability = [true, true, true, true, true, false, /**/ false, true, false, false, true, false];
        var batch = ActionSetBatch.FromAvailability(reps, RepresentationSize, availability, 2);
        batch.Representations.RequiresGrad = true;
        var scores = scorer.Score(states, batch).Scores;
        var probabilities = scores.Softmax(-1);
        var logProbabilities = scores.LogSoftmax(-1);
        for (int slot = 2; slot < batch.Width; slot++)
        {
            Assert.That(scores[1, slot], Is.LessThanOrEqualTo(-1e8f), $"{method}: padding score");
            Assert.That(probabilities[1, slot], Is.EqualTo(0f), $"{method}: padding probability");
        }
        // An entropy-like loss over every slot, as PPO computes it: padding must not receive any gradient through it.
        (logProbabilities * probabilities).Sum().Backward();
        var grad = batch.Representations.Grad!;
        for (int slot = 2; slot < batch.Width; slot++)
            Assert.That(grad.Narrow(0, 1, 1).Narrow(1, slot, 1).ToArray(), Is.All.EqualTo(0f), $"{method}: padding gradient");
        Assert.That(grad.ToArray().Any(g => g != 0f), Is.True, $"{method}: real actions get a gradient");
    }

    [TestCaseSource(nameof(OrderFreeConfigurations))]
    public void ScoresFollowTheActionsWhenTheUniverseIsRelabelled(string method, ActionRelationOptions options)
    {
        // Relabelling the universe (moving action a to id π(a), representation and availability with it) reorders
        // the slots of every row; the score of each action and the summary must not change.
        var scorer = new ActionSetScorer(StateSize, RepresentationSize, options, new RandomGenerator(3));
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var rng = new RandomGenerator((ulong)seed);
            var (states, reps, availability) = Inputs(rng, 2);
            var pi = Permutation(rng, Count);
            var newReps = new float[reps.Length];
            var newAvailability = new bool[availability.Length];
            for (int a = 0; a < Count; a++)
            {
                reps.AsSpan(a * RepresentationSize, RepresentationSize).CopyTo(newReps.AsSpan(pi[a] * RepresentationSize));
                for (int b = 0; b < 2; b++) newAvailability[b * Count + pi[a]] = availability[b * Count + a];
            }
            var before = ActionSetBatch.FromAvailability(reps, RepresentationSize, availability, 2);
            var after = ActionSetBatch.FromAvailability(newReps, RepresentationSize, newAvailability, 2);
            var s0 = scorer.Score(states, before);
            var s1 = scorer.Score(states, after);
            bool ok = true;
            for (int b = 0; b < 2; b++)
                for (int a = 0; a < Count; a++)
                    if (before.SlotOf(b, a) is var slot and >= 0)
                        ok &= Math.Abs(s0.Scores[b, slot] - s1.Scores[b, after.SlotOf(b, pi[a])]) <= 1e-5f;
            if (s0.Summary is not null)
                ok &= s0.Summary.ToArray().Zip(s1.Summary!.ToArray()).All(p => Math.Abs(p.First - p.Second) <= 1e-5f);
            return ok;
        }).QuickCheckThrowOnFailure();
    }

    [TestCaseSource(nameof(Configurations))]
    public void GradCheckWrtStatesRepresentationsContextAndParameters(string method, ActionRelationOptions options)
    {
        // Slope 1: the GAT's LeakyReLU becomes linear, so the check is not at the mercy of its kink. The ReLUs of
        // the node, summary and utility MLPs keep theirs (see GradCheckOverDraws).
        GradCheckOverDraws(rng =>
        {
            var scorer = new ActionSetScorer(StateSize, RepresentationSize, options with { NegativeSlope = 1f }, rng, contextSize: 2);
            bool[] availability = [true, false, true, true, false, false, /**/ false, true, false, false, true, false];
            var batch = ActionSetBatch.FromAvailability(Uniform(rng, Count * RepresentationSize), RepresentationSize, availability, 2);
            batch.Representations.RequiresGrad = true;
            var states = GradCheck.Input(rng, [2, StateSize]);
            var context = GradCheck.Input(rng, [2, 2]);
            var mask = batch.Mask;
            GradCheck.Check(t =>
            {
                var scores = scorer.Score(t[0], batch, t[2]);
                // Padding scores are a constant; mask them so the projection does not add ±1e9 terms.
                var real = scores.Scores * mask;
                return scores.Summary is null ? real : Tensor.Concat([real, scores.Summary], 1);
            }, [states, batch.Representations, context, .. scorer.Parameters()], h: 1e-3);
        });
    }

    [Test]
    public void BadInputsNameTheArgument()
    {
        var rng = new RandomGenerator(5);
        var scorer = new ActionSetScorer(StateSize, RepresentationSize, Small("gat"), rng);
        var batch = ActionSetBatch.FromAvailability(Uniform(rng, Count * 3), 3, Availability(rng, 2, Count), 2);
        Assert.That(() => scorer.Score(Tensor.Zeros(2, StateSize), batch),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("actions").And.Message.Contains("3 wide").And.Message.Contains("built for 2"));
        var good = ActionSetBatch.FromAvailability(Uniform(rng, Count * 2), 2, Availability(rng, 2, Count), 2);
        Assert.That(() => scorer.Score(Tensor.Zeros(2, StateSize + 1), good),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("states").And.Message.Contains("[rows=2, 3]"));
        Assert.That(() => scorer.Score(Tensor.Zeros(3, StateSize), good), Throws.ArgumentException.With.Property("ParamName").EqualTo("states"));
        Assert.That(() => scorer.Score(Tensor.Zeros(2, StateSize), good, Tensor.Zeros(2, 1)), Throws.ArgumentException.With.Property("ParamName").EqualTo("context"));
        var withContext = new ActionSetScorer(StateSize, RepresentationSize, Small("gat"), rng, contextSize: 2);
        Assert.That(() => withContext.Score(Tensor.Zeros(2, StateSize), good), Throws.ArgumentException.With.Property("ParamName").EqualTo("context").And.Message.Contains("[rows=2, 2]"));
        Assert.That(() => new ActionSetScorer(0, 2, Small("gat"), rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("stateSize"));
        Assert.That(() => new ActionSetScorer(3, 0, Small("gat"), rng), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("representationSize"));
        Assert.That(() => new ActionSetScorer(3, 2, Small("gat"), rng, contextSize: -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("contextSize"));
    }

    [Test]
    public void OnlyTheUsedPathwaysAreBuilt()
    {
        var rng = new RandomGenerator(6);
        var agile = new ActionSetScorer(StateSize, RepresentationSize, Small("gat"), rng);
        Assert.That((agile.RelationalEncoder is not null, agile.SummaryEncoder is not null, agile.SummarySize), Is.EqualTo((true, true, 5)));
        Assert.That(agile.RelationalEncoder, Is.Not.SameAs(agile.SummaryEncoder), "twin encoders with separate weights (C.3.1)");
        var summaryOnly = new ActionSetScorer(StateSize, RepresentationSize, Relations.SummaryGat with { HiddenSize = 5, StateHiddenSize = 4 }, rng);
        Assert.That((summaryOnly.RelationalEncoder is null, summaryOnly.AttentionEncoder, summaryOnly.SummarySize), Is.EqualTo((true, summaryOnly.SummaryEncoder, 5)));
        var utility = new ActionSetScorer(StateSize, RepresentationSize, Relations.UtilityPolicy, rng);
        Assert.That((utility.RelationalEncoder, utility.SummaryEncoder, utility.SummarySize), Is.EqualTo(((ActionRelationEncoder?)null, (ActionRelationEncoder?)null, 0)));
    }
}

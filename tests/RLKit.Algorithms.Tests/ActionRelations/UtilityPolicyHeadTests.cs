using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Hosting;
using RLKit.Spaces;
using RLKit.Tensors;
using static RLKit.Algorithms.Tests.ActionRelations.ActionRelationTestData;

namespace RLKit.Algorithms.Tests.ActionRelations;

/// <summary>The utility policy head of seed 003 ch. 2 (eq. 2.3, App. D.3.2) on small universes.</summary>
[TestFixture]
public sealed class UtilityPolicyHeadTests
{
    private const int Latent = 4, RepresentationSize = 3, Count = 7, Hidden = 5;

    private static ActionSet Universe(ulong seed = 11) => new(Count, RepresentationSize, Uniform(new RandomGenerator(seed), Count * RepresentationSize));

    private static UtilityPolicyHead Head(ActionSet? set = null, ulong seed = 1) =>
        new(Latent, set ?? Universe(), new UtilityPolicyOptions(Hidden), new RandomGenerator(seed));

    private static Tensor Latents(int rows, ulong seed = 2) => Tensor.FromArray(Uniform(new RandomGenerator(seed), rows * Latent), rows, Latent);

    private static bool[] Mask(params string[] rows) => rows.SelectMany(r => r.Select(c => c == '1')).ToArray();

    /// <summary>The scores written out per action, straight from eq. 2.3 / App. D.3.2 and the head's weights (no folding, no batching).</summary>
    private static float NaiveUtility(UtilityPolicyHead head, ReadOnlySpan<float> latent, ReadOnlySpan<float> representation)
    {
        var state = head.StateDict();
        float[] pw = state["projection.weight"].ToArray(), pb = state["projection.bias"].ToArray();
        float[] hw = state["hidden.weight"].ToArray(), hb = state["hidden.bias"].ToArray();
        float[] ow = state["output.weight"].ToArray(), ob = state["output.bias"].ToArray();
        var input = new float[Latent + Hidden];
        latent.CopyTo(input);
        for (int j = 0; j < Hidden; j++)
        {
            float sum = pb[j];
            for (int k = 0; k < RepresentationSize; k++) sum += pw[j * RepresentationSize + k] * representation[k];
            input[Latent + j] = sum;
        }
        float score = ob[0];
        for (int j = 0; j < Hidden; j++)
        {
            float sum = hb[j];
            for (int k = 0; k < input.Length; k++) sum += hw[j * input.Length + k] * input[k];
            score += ow[j] * MathF.Max(sum, 0f);
        }
        return score;
    }

    [Test]
    public void ProbabilitiesAreTheSoftmaxOfThePaperUtilityOverTheAvailableActions()
    {
        var set = Universe();
        var head = Head(set);
        // The output layer starts near zero (gain 0.01); scale it up so the scores differ visibly.
        var output = head.StateDict()["output.weight"];
        foreach (ref float w in output.AsSpan()) w *= 100f;
        var latents = Latents(2);
        var mask = Mask("1011001", "0100110");
        var policy = head.Distribution(latents, mask);
        for (int row = 0; row < 2; row++)
        {
            var available = Enumerable.Range(0, Count).Where(a => mask[row * Count + a]).ToArray();
            var scores = available.Select(a => (double)NaiveUtility(head, latents.AsReadOnlySpan().Slice(row * Latent, Latent),
                                                                    set.Representations.Slice(a * RepresentationSize, RepresentationSize))).ToArray();
            double max = scores.Max(), z = max + Math.Log(scores.Sum(s => Math.Exp(s - max)));
            for (int i = 0; i < available.Length; i++)
            {
                var ids = row == 0 ? new[] { available[i], 1 } : new[] { 0, available[i] };
                Assert.That(policy.LogProb(ids)[row], Is.EqualTo(scores[i] - z).Within(1e-4), $"row {row}, action {available[i]}");
            }
        }
        Assert.That(scoresDiffer(head, latents), "the scaled output layer makes the utilities differ");

        static bool scoresDiffer(UtilityPolicyHead head, Tensor latents)
        {
            var policy = head.Distribution(latents);
            var lp = Enumerable.Range(0, Count).Select(a => policy.LogProb([a, a])[0]).ToArray();
            return lp.Max() - lp.Min() > 0.1f;
        }
    }

    [Test]
    public void UnavailableActionsHaveProbabilityExactlyZeroAndAvailableOnesFiniteLogProbabilities()
    {
        var head = Head();
        var latents = Latents(3);
        var mask = Mask("1000000", "0110101", "1111111");
        var policy = head.Distribution(latents, mask);
        var slots = ((ActionSetDistribution)policy).SlotLogProbs;
        var batch = ((ActionSetDistribution)policy).Actions;
        for (int row = 0; row < 3; row++)
        {
            double total = 0;
            for (int a = 0; a < Count; a++)
            {
                if (!mask[row * Count + a])
                {
                    Assert.That(batch.SlotOf(row, a), Is.EqualTo(-1), $"row {row}: unavailable action {a} has no slot");
                    var ids = Enumerable.Repeat(0, 3).ToArray();
                    for (int r = 0; r < 3; r++) ids[r] = Array.IndexOf(mask, true, r * Count) - r * Count;
                    ids[row] = a;
                    Assert.Throws<ArgumentException>(() => policy.LogProb(ids), "an unavailable action has no log-probability to give");
                    continue;
                }
                float logProb = slots[row, batch.SlotOf(row, a)];
                Assert.That(float.IsFinite(logProb), $"row {row}, action {a}: log π = {logProb}");
                total += Math.Exp(logProb);
            }
            for (int slot = batch.AvailableCount(row); slot < batch.Width; slot++)
                Assert.That(MathF.Exp(slots[row, slot]), Is.EqualTo(0f), $"row {row}: padding slot {slot} has probability exactly 0");
            Assert.That(total, Is.EqualTo(1).Within(1e-5), $"row {row}: the available actions' probabilities sum to 1");
        }
        Assert.That(policy.Entropy().ToArray().All(float.IsFinite), "the entropy is finite");
        Assert.That(policy.Entropy()[0], Is.EqualTo(0f).Within(1e-6f), "a single available action has no entropy");

        var sample = new int[3];
        var mode = new int[3];
        var rng = new RandomGenerator(3);
        for (int i = 0; i < 500; i++)
        {
            policy.Sample(rng, sample);
            for (int row = 0; row < 3; row++) Assert.That(mask[row * Count + sample[row]], $"row {row} sampled unavailable action {sample[row]}");
        }
        policy.Mode(mode);
        for (int row = 0; row < 3; row++) Assert.That(mask[row * Count + mode[row]], $"row {row}: the mode {mode[row]} is available");
    }

    [Test]
    public void AnEmptyMaskMeansEveryActionIsAvailable()
    {
        var head = Head();
        var latents = Latents(2);
        var all = head.Distribution(latents);
        var full = head.Distribution(latents, Enumerable.Repeat(true, 2 * Count).ToArray());
        for (int a = 0; a < Count; a++)
            Assert.That(all.LogProb([a, a]).ToArray(), Is.EqualTo(full.LogProb([a, a]).ToArray()).Within(1e-6f));
    }

    [Test]
    public void RowsOfDifferentSizesInOneBatchScoreAsEachRowAlone()
    {
        var head = Head();
        // 1, 3, 6 and 7 available actions; the batch (4 rows × 7 slots > 7 actions) scores the universe once and
        // gathers, each row alone (1 × ≤ 7 slots) gathers the representations first: both ways must agree.
        var mask = Mask("0001000", "1010100", "1111011", "1111111");
        var latents = Latents(4);
        var together = (ActionSetDistribution)head.Distribution(latents, mask);
        Assert.That(together.Actions.Width, Is.EqualTo(7));
        var entropy = together.Entropy().ToArray();
        for (int row = 0; row < 4; row++)
        {
            var alone = (ActionSetDistribution)head.Distribution(latents.Narrow(0, row, 1), mask.AsSpan(row * Count, Count));
            Assert.That(alone.Actions.Width, Is.EqualTo(alone.Actions.AvailableCount(0)), "a row alone has no padding");
            for (int slot = 0; slot < alone.Actions.Width; slot++)
            {
                int id = alone.Actions.IdAt(0, slot);
                Assert.That(together.SlotLogProbs[row, together.Actions.SlotOf(row, id)], Is.EqualTo(alone.SlotLogProbs[0, slot]).Within(1e-5f), $"row {row}, action {id}");
            }
            Assert.That(entropy[row], Is.EqualTo(alone.Entropy()[0]).Within(1e-5f), $"row {row}: entropy");
        }
    }

    /// <summary>
    /// Scales the output layer up (so the scores vary) and gives the hidden units biases of ±2, so that every ReLU is
    /// clearly on or off: a state weight feeds every slot of every row, and with tens of slots a ±h step would
    /// otherwise straddle some unit's kink in almost every draw.
    /// </summary>
    private static void AwayFromKinks(UtilityPolicyHead head)
    {
        var state = head.StateDict();
        foreach (ref float w in state["output.weight"].AsSpan()) w *= 50f;
        var bias = state["hidden.bias"].AsSpan();
        for (int j = 0; j < bias.Length; j++) bias[j] = j % 3 == 2 ? -2f : 2f;
    }

    [Test]
    public void ScoresHaveFiniteDifferenceGradientsForEveryParameterAndTheLatent([Values(1, 4)] int rows)
    {
        // rows = 1 gathers the representations of the available actions; rows = 4 scores the universe and picks slots.
        GradCheckOverDraws(rng =>
        {
            var head = new UtilityPolicyHead(Latent, new ActionSet(Count, RepresentationSize, Uniform(rng, Count * RepresentationSize)), new UtilityPolicyOptions(Hidden), rng);
            AwayFromKinks(head);
            var latent = GradCheck.Input(rng, [rows, Latent]);
            var mask = Availability(rng, rows, Count);
            var batch = head.Gather(latent, mask);
            Assert.That(rows * batch.Width > Count, Is.EqualTo(rows > 1), "the batch takes the intended path");
            var parameters = head.Parameters().ToArray();
            Assert.That(parameters, Has.Length.EqualTo(6));
            GradCheck.Check(_ => head.Scores(latent, batch), [latent, .. parameters]);
        });
    }

    [Test]
    public void LogProbabilitiesHaveFiniteDifferenceGradients()
    {
        GradCheckOverDraws(rng =>
        {
            var head = new UtilityPolicyHead(Latent, new ActionSet(Count, RepresentationSize, Uniform(rng, Count * RepresentationSize)), new UtilityPolicyOptions(Hidden), rng);
            AwayFromKinks(head);
            var latent = GradCheck.Input(rng, [3, Latent]);
            var mask = Mask("1100000", "0011111", "0000001");
            GradCheck.Check(_ =>
            {
                var policy = head.Distribution(latent, mask);
                return policy.LogProb([1, 4, 6]) + policy.Entropy();
            }, [latent, .. head.Parameters()]);
        });
    }

    [Test]
    public void SetRepresentationsChangesThePolicyAndIsValidated()
    {
        var set = Universe();
        var head = Head(set);
        foreach (ref float w in head.StateDict()["output.weight"].AsSpan()) w *= 100f;
        var latents = Latents(1);
        float[] before = Enumerable.Range(0, Count).Select(a => head.Distribution(latents).LogProb([a])[0]).ToArray();
        Assert.That(head.Representations, Is.EqualTo(set.Representations.ToArray()), "the head copies the set's representations");

        var other = Uniform(new RandomGenerator(99), Count * RepresentationSize);
        head.SetRepresentations(other);
        Assert.That(head.Representations, Is.EqualTo(other));
        Assert.That(head.StateDict()["representations"].ToArray(), Is.EqualTo(other), "the checkpointed buffer holds the new representations");
        float[] after = Enumerable.Range(0, Count).Select(a => head.Distribution(latents).LogProb([a])[0]).ToArray();
        Assert.That(after.Zip(before).Max(p => Math.Abs(p.First - p.Second)), Is.GreaterThan(1e-3f), "new representations, new policy");

        head.SetRepresentations(set.Representations);
        float[] back = Enumerable.Range(0, Count).Select(a => head.Distribution(latents).LogProb([a])[0]).ToArray();
        Assert.That(back, Is.EqualTo(before).Within(1e-6f), "the old representations give the old policy back");

        var wrongLength = Assert.Throws<ArgumentException>(() => head.SetRepresentations(new float[Count * RepresentationSize - 1]));
        Assert.That(wrongLength!.Message, Does.Contain("7 actions × 3 floats = 21").And.Contain("got 20"));
        Assert.That(wrongLength.ParamName, Is.EqualTo("representations"));
        var nan = new float[Count * RepresentationSize];
        nan[5] = float.NaN;
        var notFinite = Assert.Throws<ArgumentException>(() => head.SetRepresentations(nan));
        Assert.That(notFinite!.Message, Does.Contain("action 1").And.Contain("finite"));
        Assert.That(head.Representations, Is.EqualTo(set.Representations.ToArray()), "a rejected call changes nothing");
    }

    [Test]
    public void RepresentationsAreABufferThatLoadsWithTheState()
    {
        var head = Head(Universe(11), seed: 1);
        var state = head.StateDict();
        Assert.That(state.Keys, Is.EquivalentTo(new[]
        {
            "representations", "projection.weight", "projection.bias", "hidden.weight", "hidden.bias", "output.weight", "output.bias",
        }));
        Assert.That(head.Parameters().Count(), Is.EqualTo(6), "the representations are not trained");
        Assert.That(state["hidden.weight"].ShapeArray(), Is.EqualTo(new[] { Hidden, Latent + Hidden }), "the hidden layer reads [latent ‖ projected representation]");

        var copy = Head(new ActionSet(Count, RepresentationSize, new float[Count * RepresentationSize]), seed: 5);
        copy.LoadStateDict(state);
        Assert.That(copy.Representations, Is.EqualTo(head.Representations));
        var latents = Latents(2);
        for (int a = 0; a < Count; a++)
            Assert.That(copy.Distribution(latents).LogProb([a, a]).ToArray(), Is.EqualTo(head.Distribution(latents).LogProb([a, a]).ToArray()));
    }

    [Test]
    public void BadInputGetsClearErrors()
    {
        var noRepresentations = Assert.Throws<ArgumentException>(() => Head(new ActionSet(Count, 0, [])));
        Assert.That(noRepresentations!.Message, Does.Contain("representation size 0"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UtilityPolicyHead(Latent, Universe(), new UtilityPolicyOptions(0), new RandomGenerator(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UtilityPolicyHead(0, Universe(), UtilityPolicyOptions.Default, new RandomGenerator(1)));
        Assert.Throws<ArgumentNullException>(() => new UtilityPolicyHead(Latent, null!, UtilityPolicyOptions.Default, new RandomGenerator(1)));

        var head = Head();
        var wrongMask = Assert.Throws<ArgumentException>(() => head.Distribution(Latents(2), new bool[Count]));
        Assert.That(wrongMask!.Message, Does.Contain("2 rows × 7 actions = 14 entries, got 7"));
        var emptyRow = Assert.Throws<ArgumentException>(() => head.Distribution(Latents(2), Mask("0100000", "0000000")));
        Assert.That(emptyRow!.Message, Does.Contain("row 1").And.Contain("allows no action"));
        Assert.That(emptyRow.ParamName, Is.EqualTo("actionMask"));
        var wrongLatent = Assert.Throws<ArgumentException>(() => head.Distribution(Tensor.Zeros(2, Latent + 1)));
        Assert.That(wrongLatent!.Message, Does.Contain($"[batch, {Latent}]"));
    }

    [Test]
    public void NoGradientIsRecordedWhenActing()
    {
        var head = Head();
        using var noGrad = GradMode.NoGrad();
        var policy = (ActionSetDistribution)head.Distribution(Latents(1), Mask("0110110"));
        Assert.That(policy.SlotLogProbs.RequiresGrad, Is.False);
    }

    [Test]
    public void TheActionSetHeadsAreRegisteredByName()
    {
        Assert.That(ActionSetHeads.All.Keys, Is.EquivalentTo(new[] { "utility", "masked-categorical" }));
        using var provider = new ServiceCollection().AddRLKit(b => b.AddClassicAlgorithms()).Services.BuildServiceProvider();
        var set = Universe();
        var utility = provider.GetRequiredKeyedService<ActionSetHeadFactory>("utility")(Latent, set, new RandomGenerator(1));
        Assert.That(utility, Is.TypeOf<UtilityPolicyHead>());
        Assert.That(((UtilityPolicyHead)utility).Options, Is.EqualTo(UtilityPolicyOptions.Default));
        Assert.That(utility.ActionSize, Is.EqualTo(Count));
        var masked = provider.GetRequiredKeyedService<ActionSetHeadFactory>("masked-categorical")(Latent, set, new RandomGenerator(1));
        Assert.That(masked, Is.TypeOf<MaskedCategoricalHead>());
        Assert.That(masked.ActionSize, Is.EqualTo(Count));
    }
}

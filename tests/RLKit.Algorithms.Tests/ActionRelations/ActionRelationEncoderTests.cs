using FsCheck;
using FsCheck.Fluent;
using RLKit.Algorithms.ActionRelations;
using RLKit.Tensors;
using static RLKit.Algorithms.Tests.ActionRelations.ActionRelationTestData;

namespace RLKit.Algorithms.Tests.ActionRelations;

public class ActionRelationEncoderTests
{
    private const int In = 3;

    private static ActionRelationEncoder Encoder(string name, RandomGenerator rng, int heads = 1, float negativeSlope = 0.2f) =>
        ActionRelationEncoders.Create(In, Small(name, heads: heads, negativeSlope: negativeSlope), rng);

    /// <summary>Three rows with 2, 4 and 1 real nodes scattered among the slots; padding holds large garbage.</summary>
    private static (Tensor Nodes, Tensor Mask) PaddedBatch(RandomGenerator rng)
    {
        float[] mask = [0, 1, 0, 1, /**/ 1, 1, 1, 1, /**/ 0, 0, 1, 0];
        var nodes = Uniform(rng, 3 * 4 * In);
        for (int slot = 0; slot < 12; slot++)
            if (mask[slot] == 0f)
                for (int f = 0; f < In; f++) nodes[slot * In + f] = 50f * (f + 1); // finite, but far from real values
        return (Tensor.FromArray(nodes, 3, 4, In), Tensor.FromArray(mask, 3, 4));
    }

    [TestCaseSource(typeof(ActionRelationTestData), nameof(Encoders))]
    public void OutputSizeIsAdvertised(string name)
    {
        var encoder = Encoder(name, new RandomGenerator(1));
        var output = encoder.Encode(Tensor.Ones(2, 3, In), Tensor.Ones(2, 3));
        Assert.That(output.ShapeArray(), Is.EqualTo(new[] { 2, 3, encoder.OutputSize }));
        Assert.That(encoder.OutputSize, Is.EqualTo(name switch { "none" => In, "lstm" => 10, _ => 5 }));
    }

    [TestCaseSource(typeof(ActionRelationTestData), nameof(Encoders))]
    public void PaddedBatchEqualsEachActionSetAlone(string name)
    {
        var rng = new RandomGenerator(2);
        var encoder = Encoder(name, rng, heads: name == "gat" ? 2 : 1);
        var (nodes, mask) = PaddedBatch(rng);
        var padded = encoder.Encode(nodes, mask);
        var m = mask.ToArray();
        for (int b = 0; b < 3; b++)
        {
            var slots = Enumerable.Range(0, 4).Where(s => m[b * 4 + s] != 0f).ToArray();
            var alone = encoder.Encode(nodes.Narrow(0, b, 1).IndexSelect(1, slots), Tensor.Ones(1, slots.Length));
            for (int k = 0; k < slots.Length; k++)
                Assert.That(padded.Narrow(0, b, 1).Narrow(1, slots[k], 1).ToArray(), Is.EqualTo(alone.Narrow(1, k, 1).ToArray()).Within(1e-5f),
                    $"{name}: row {b}, slot {slots[k]}");
        }
    }

    [TestCaseSource(typeof(ActionRelationTestData), nameof(Encoders))]
    public void PaddingGetsNoGradientFromRealOutputs(string name)
    {
        var rng = new RandomGenerator(3);
        var encoder = Encoder(name, rng);
        var (nodes, mask) = PaddedBatch(rng);
        nodes.RequiresGrad = true;
        var output = encoder.Encode(nodes, mask);
        (output * mask.Unsqueeze(-1) * Tensor.FromArray(Uniform(rng, output.Size), output.ShapeArray())).Sum().Backward();
        var grad = nodes.Grad!.ToArray();
        var m = mask.AsReadOnlySpan();
        for (int slot = 0; slot < 12; slot++)
            for (int f = 0; f < In; f++)
                if (m[slot] == 0f) Assert.That(grad[slot * In + f], Is.EqualTo(0f), $"{name}: padding slot {slot}");
        Assert.That(grad.Any(g => g != 0f), Is.True, $"{name}: real nodes get a gradient");
    }

    [TestCaseSource(typeof(ActionRelationTestData), nameof(OrderFreeEncoders))]
    public void PerActionOutputsArePermutationEquivariant(string name)
    {
        var encoder = Encoder(name, new RandomGenerator(4));
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var rng = new RandomGenerator((ulong)seed);
            int width = 1 + rng.NextInt(6);
            var nodes = Tensor.FromArray(Uniform(rng, 2 * width * In), 2, width, In);
            var mask = Tensor.FromArray(Availability(rng, 2, width).Select(a => a ? 1f : 0f).ToArray(), 2, width);
            var perm = Permutation(rng, width);
            var permutedThenEncoded = encoder.Encode(PermuteSlots(nodes, perm), PermuteSlots(mask, perm));
            var encodedThenPermuted = PermuteSlots(encoder.Encode(nodes, mask), perm);
            return RealSlotsAgree(permutedThenEncoded, encodedThenPermuted, PermuteSlots(mask, perm), 1e-5f);
        }).QuickCheckThrowOnFailure();
    }

    [Test]
    public void LstmFollowsSlotOrderSoOnlyOrderPreservingMovesCommute()
    {
        // The Bi-LSTM reads the real actions in slot order (universe order in an ActionSetBatch): moving padding
        // around commutes with it, swapping two real actions does not.
        var encoder = Encoder("lstm", new RandomGenerator(5));
        var rng = new RandomGenerator(6);
        var nodes = Tensor.FromArray(Uniform(rng, 4 * In), 1, 4, In);
        var mask = Tensor.FromArray([1f, 0f, 1f, 1f], 1, 4);
        var encoded = encoder.Encode(nodes, mask);

        int[] movePadding = [1, 0, 2, 3]; // real order 0, 2, 3 kept
        var moved = encoder.Encode(PermuteSlots(nodes, movePadding), PermuteSlots(mask, movePadding));
        Assert.That(RealSlotsAgree(moved, PermuteSlots(encoded, movePadding), PermuteSlots(mask, movePadding), 1e-6f), Is.True);

        int[] swapReal = [3, 1, 2, 0];
        var swapped = encoder.Encode(PermuteSlots(nodes, swapReal), PermuteSlots(mask, swapReal));
        Assert.That(RealSlotsAgree(swapped, PermuteSlots(encoded, swapReal), PermuteSlots(mask, swapReal), 1e-3f), Is.False);
    }

    [Test]
    public void GatReportsEachLayersAttentionOverRealActionsOnly()
    {
        var rng = new RandomGenerator(7);
        var encoder = Encoder("gat", rng, heads: 2);
        Assert.That(encoder.HasAttention, Is.True);
        var (nodes, mask) = PaddedBatch(rng);
        var attention = new List<Tensor>();
        encoder.Encode(nodes, mask, attention);
        Assert.That(attention, Has.Count.EqualTo(2));
        var m = mask.AsReadOnlySpan();
        foreach (var alpha in attention)
        {
            Assert.That(alpha.ShapeArray(), Is.EqualTo(new[] { 3, 2, 4, 4 }));
            Assert.That(alpha.RequiresGrad, Is.False);
            for (int b = 0; b < 3; b++)
                for (int h = 0; h < 2; h++)
                    for (int i = 0; i < 4; i++)
                    {
                        if (m[b * 4 + i] == 0f) continue;
                        double sum = 0;
                        for (int j = 0; j < 4; j++)
                        {
                            if (m[b * 4 + j] == 0f) Assert.That(alpha[b, h, i, j], Is.EqualTo(0f));
                            sum += alpha[b, h, i, j];
                        }
                        Assert.That(sum, Is.EqualTo(1).Within(1e-5));
                    }
        }
        foreach (var name in new[] { "gcn", "deepset", "lstm", "none" })
        {
            var other = Encoder(name, rng);
            var none = new List<Tensor>();
            other.Encode(nodes, mask, none);
            Assert.That((other.HasAttention, none.Count), Is.EqualTo((false, 0)), name);
        }
    }

    [TestCaseSource(typeof(ActionRelationTestData), nameof(Encoders))]
    public void GradCheckWrtNodesAndParameters(string name)
    {
        // Slope 1 makes the GAT's LeakyReLU the identity: the check then tests the attention arithmetic without
        // finite differences straddling its kink (the slope itself is covered by the GraphAttention checks). GCN
        // (ELU), LSTM and identity are smooth; the DeepSet encoder's ReLUs keep a kink (see GradCheckOverDraws).
        GradCheckOverDraws(rng =>
        {
            var encoder = Encoder(name, rng, heads: name == "gat" ? 2 : 1, negativeSlope: 1f);
            var mask = Tensor.FromArray([1f, 1f, 0f, 1f, 1f, 1f], 2, 3);
            var nodes = GradCheck.Input(rng, [2, 3, In]);
            GradCheck.Check(t => encoder.Encode(t[0], mask) * mask.Unsqueeze(-1), [nodes, .. encoder.Parameters()], h: name == "deepset" ? 1e-3 : 1e-2);
        }, draws: name == "deepset" ? 3 : 1);
    }

    [TestCaseSource(typeof(ActionRelationTestData), nameof(Encoders))]
    public void BadInputsNameTheArgument(string name)
    {
        var encoder = Encoder(name, new RandomGenerator(8));
        Assert.That(() => encoder.Encode(Tensor.Ones(1, 2, In + 1), Tensor.Ones(1, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("nodes").And.Message.Contains($"[batch, M, {In}]"));
        Assert.That(() => encoder.Encode(Tensor.Ones(1, 2, In), Tensor.Ones(1, 3)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("mask"));
        Assert.That(() => encoder.Encode(Tensor.Ones(2, 2, In), Tensor.FromArray([1f, 0f, 0f, 0f], 2, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("mask").And.Message.Contains("row 1"));
    }

    /// <summary>Whether two [B, M, F] tensors agree within <paramref name="tolerance"/> at every real slot.</summary>
    internal static bool RealSlotsAgree(Tensor a, Tensor b, Tensor mask, float tolerance)
    {
        var x = a.ToArray();
        var y = b.ToArray();
        var m = mask.ToArray();
        int features = a.Dim(2);
        for (int slot = 0; slot < m.Length; slot++)
        {
            if (m[slot] == 0f) continue;
            for (int f = 0; f < features; f++)
                if (Math.Abs(x[slot * features + f] - y[slot * features + f]) > tolerance) return false;
        }
        return true;
    }
}

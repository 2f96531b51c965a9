using NUnit.Framework.Internal;
using RLKit.Algorithms.ActionRelations;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.ActionRelations;

/// <summary>Small random inputs shared by the action-relation tests.</summary>
internal static class ActionRelationTestData
{
    /// <summary>Every encoder name.</summary>
    public static readonly string[] Encoders = ["gat", "gcn", "deepset", "lstm", "none"];

    /// <summary>The encoders whose per-action outputs do not depend on the order of the actions.</summary>
    public static readonly string[] OrderFreeEncoders = ["gat", "gcn", "deepset", "none"];

    /// <summary>Small widths so that tests and gradient checks stay fast.</summary>
    public static ActionRelationOptions Small(string encoder, string summarizer = "mean", bool relational = true, bool stateInGraph = true, int heads = 1, float negativeSlope = 0.2f) =>
        new(encoder, summarizer, relational, stateInGraph, HiddenSize: 5, Heads: heads, NegativeSlope: negativeSlope, StateHiddenSize: 4);

    /// <summary>A random [rows, count] availability with at least one available action per row.</summary>
    public static bool[] Availability(RandomGenerator rng, int rows, int count, double p = 0.5)
    {
        var availability = new bool[rows * count];
        for (int b = 0; b < rows; b++)
        {
            for (int a = 0; a < count; a++) availability[b * count + a] = rng.NextDouble() < p;
            availability[b * count + rng.NextInt(count)] = true;
        }
        return availability;
    }

    /// <summary>Uniform(−1, 1) values.</summary>
    public static float[] Uniform(RandomGenerator rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>A uniformly random permutation of 0 … n − 1 (Fisher–Yates).</summary>
    public static int[] Permutation(RandomGenerator rng, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    /// <summary>Reorders the slot axis (1) of a [B, M, …] or [B, M] tensor: result slot s = input slot perm[s].</summary>
    public static Tensor PermuteSlots(Tensor x, int[] perm)
    {
        int batch = x.Dim(0), width = x.Dim(1);
        int features = x.Rank == 3 ? x.Dim(2) : 1;
        var index = new int[batch * width];
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < width; s++) index[b * width + s] = b * width + perm[s];
        var flat = x.Reshape(batch * width, features).IndexSelect(0, index);
        return x.Rank == 3 ? flat.Reshape(batch, width, features) : flat.Reshape(batch, width);
    }

    /// <summary>
    /// Runs a finite-difference gradient check on fresh random draws until one passes, at most
    /// <paramref name="draws"/> times. The modules have ReLUs: a draw where a ±h step straddles a kink fails for that
    /// draw only (about one draw in twenty here), while a wrong gradient fails every draw. Each draw's failure is
    /// reported if all fail.
    /// </summary>
    public static void GradCheckOverDraws(Action<RandomGenerator> check, int draws = 3)
    {
        var rng = GradCheck.TestRng();
        var failures = new List<string>();
        for (int draw = 0; draw < draws; draw++)
        {
            var drawRng = new RandomGenerator((ulong)rng.NextInt(int.MaxValue));
            try
            {
                // Isolated, so that a failed draw's assertion is not recorded against the test.
                using (new TestExecutionContext.IsolatedContext()) check(drawRng);
                return;
            }
            catch (AssertionException e)
            {
                failures.Add($"draw {draw}: {e.Message}");
            }
        }
        Assert.Fail($"every one of {draws} draws failed the gradient check:\n{string.Join("\n", failures)}");
    }
}

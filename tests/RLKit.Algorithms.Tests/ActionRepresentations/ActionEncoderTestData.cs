using RLKit.Algorithms.ActionRepresentations;
using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.ActionRepresentations;

/// <summary>Small SkillGrid-like action observations generated inline, and small encoder options.</summary>
internal static class ActionEncoderTestData
{
    private static readonly (float X, float Y)[] Moves = [(1, 0), (-1, 0), (0, 1), (0, -1)];

    /// <summary>Options small enough for unit tests (the architecture is the paper's, narrower).</summary>
    public static ActionEncoderOptions Small(int epochs = 1) => new()
    {
        RepresentationSize = 4,
        ObservationLatentSize = 3,
        HiddenSize = 8,
        ActionHiddenSize = 8,
        LstmLayers = 2,
        BatchSize = 4,
        ObservationsPerAction = 5,
        Epochs = epochs,
    };

    /// <summary>
    /// <paramref name="behaviours"/> random skills (a move per step from the first frame on) each played by
    /// <paramref name="copies"/> actions (action a has skill a / copies), every action observed as
    /// <paramref name="trajectories"/> trajectories of <paramref name="steps"/> frames (x, y) from uniform random starts
    /// in [−1, 1]², step length 0.25.
    /// </summary>
    public static ActionObservationSet Skills(int behaviours, int copies, int trajectories, int steps, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var skills = new int[behaviours, steps - 1];
        for (int b = 0; b < behaviours; b++)
            for (int s = 0; s < steps - 1; s++) skills[b, s] = rng.NextInt(Moves.Length);
        int actions = behaviours * copies;
        var counts = new int[actions];
        Array.Fill(counts, trajectories);
        var data = new float[actions * trajectories * steps * 2];
        int i = 0;
        for (int a = 0; a < actions; a++)
            for (int t = 0; t < trajectories; t++)
            {
                float x = rng.Uniform(-1f, 1f), y = rng.Uniform(-1f, 1f);
                for (int s = 0; s < steps; s++)
                {
                    if (s > 0)
                    {
                        var (dx, dy) = Moves[skills[a / copies, s - 1]];
                        x += 0.25f * dx;
                        y += 0.25f * dy;
                    }
                    data[i++] = x;
                    data[i++] = y;
                }
            }
        return new ActionObservationSet(counts, steps, 2, data);
    }

    /// <summary>Random observations: action a has counts[a] observations of steps × features standard normals.</summary>
    public static ActionObservationSet Random(int[] counts, int steps, int features, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var data = new float[counts.Sum() * steps * features];
        rng.FillNormal(data);
        return new ActionObservationSet(counts, steps, features, data);
    }

    /// <summary>The same set with <paramref name="action"/>'s observations in the order given by <paramref name="permutation"/>.</summary>
    public static ActionObservationSet Permute(ActionObservationSet set, int action, int[] permutation)
    {
        var data = set.Data.ToArray();
        int size = set.ObservationSize, offset = set.Offset(action) * size;
        for (int i = 0; i < permutation.Length; i++)
            set.Observation(action, permutation[i]).CopyTo(data.AsSpan(offset + i * size, size));
        var counts = Enumerable.Range(0, set.ActionCount).Select(set.ObservationCount).ToArray();
        return new ActionObservationSet(counts, set.Steps, set.Features, data);
    }

    public static int[] Range(int count) => Enumerable.Range(0, count).ToArray();
}

/// <summary>Reports on the caller's thread (System.Progress would post to the thread pool).</summary>
internal sealed class EpochProgress(Action<ActionEncoderEpoch> report) : IProgress<ActionEncoderEpoch>
{
    public void Report(ActionEncoderEpoch value) => report(value);
}

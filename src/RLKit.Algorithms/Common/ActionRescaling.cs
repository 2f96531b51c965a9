using RLKit.Spaces;

namespace RLKit.Algorithms.Common;

/// <summary>Maps actions between a tanh head's [−1, 1] range and an environment's bounded <see cref="Box"/>.</summary>
public static class ActionRescaling
{
    /// <summary>Rescales [−1, 1] actions (B rows of the box's size, row-major) in place to [low, high].</summary>
    /// <exception cref="ArgumentException">If the box is unbounded or the length is not a multiple of its size.</exception>
    public static void ToBox(Box box, Span<float> actions)
    {
        int size = Check(box, actions.Length);
        var low = box.Low;
        var high = box.High;
        for (int i = 0; i < actions.Length; i++)
        {
            int d = i % size;
            actions[i] = low[d] + (actions[i] + 1f) * 0.5f * (high[d] - low[d]);
        }
    }

    /// <summary>Rescales box actions in place to [−1, 1] (for example actions stored in a replay buffer).</summary>
    /// <exception cref="ArgumentException">If the box is unbounded or the length is not a multiple of its size.</exception>
    public static void FromBox(Box box, Span<float> actions)
    {
        int size = Check(box, actions.Length);
        var low = box.Low;
        var high = box.High;
        for (int i = 0; i < actions.Length; i++)
        {
            int d = i % size;
            actions[i] = 2f * (actions[i] - low[d]) / (high[d] - low[d]) - 1f;
        }
    }

    private static int Check(Box box, int length)
    {
        ArgumentNullException.ThrowIfNull(box);
        if (!box.IsBounded)
            throw new ArgumentException($"ActionRescaling: the box {box} is unbounded; only bounded boxes can be rescaled to [−1, 1].", nameof(box));
        int size = box.FlatSize;
        if (length % size != 0)
            throw new ArgumentException($"ActionRescaling: {length} action values are not a whole number of rows of size {size}.", "actions");
        return size;
    }
}

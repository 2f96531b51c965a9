using RLKit.Data;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>The input checks every encoder shares, and the canonical order that makes inference order-independent.</summary>
internal static class ActionEncoderInput
{
    /// <summary>Checks an encoder's observation shape.</summary>
    public static void CheckShape(int steps, int features)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Action encoder: steps (frames per observation) must be at least 1.");
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "Action encoder: features (floats per frame) must be at least 1.");
    }

    /// <summary>Checks that the observations fit the encoder and that every action id is in range.</summary>
    /// <exception cref="ArgumentException">If the steps or features differ from the encoder's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an action id is outside [0, ActionCount).</exception>
    public static void Check(ActionObservationSet observations, ReadOnlySpan<int> actions, int steps, int features, string encoder, string actionsName)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Steps != steps || observations.Features != features)
            throw new ArgumentException(
                $"{encoder} action encoder: the observations are {observations.Steps} steps × {observations.Features} features, but the encoder was built for {steps} × {features}.",
                nameof(observations));
        for (int i = 0; i < actions.Length; i++)
            if ((uint)actions[i] >= (uint)observations.ActionCount)
                throw new ArgumentOutOfRangeException(actionsName, actions[i],
                    $"{encoder} action encoder: {actionsName}[{i}] = {actions[i]} is not an action of the set; ids must be in [0, {observations.ActionCount - 1}].");
    }

    /// <summary>The indices of <paramref name="action"/>'s observations sorted lexicographically by value.</summary>
    public static int[] CanonicalOrder(ActionObservationSet observations, int action)
    {
        int count = observations.ObservationCount(action);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (count > 1)
            Array.Sort(order, (x, y) => observations.Observation(action, x).SequenceCompareTo(observations.Observation(action, y)));
        return order;
    }
}

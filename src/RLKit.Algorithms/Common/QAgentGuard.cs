using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>Argument checks shared by the value-based estimators and agents.</summary>
internal static class QAgentGuard
{
    /// <summary>The number of actions of a Discrete(n) action space starting at 0.</summary>
    /// <exception cref="ArgumentException">If the environment's action space is anything else.</exception>
    public static int DiscreteActionCount(IVectorEnvironment environment, string algorithm)
    {
        if (environment.SingleActionSpace is Discrete { Start: 0 } discrete) return discrete.N;
        throw new ArgumentException(
            $"{algorithm} needs a Discrete(n) action space starting at 0; this environment's is {environment.SingleActionSpace}.", nameof(environment));
    }

    /// <summary>Checks a batch [N, obs…] of <paramref name="observationSize"/> floats each and one action slot per row; returns N.</summary>
    public static int CheckBatch(Tensor observations, int actionSlots, int observationSize, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Rank < 1 || observations.Size != observations.Dim(0) * observationSize)
            throw new ArgumentException(
                $"{algorithm}: observations must be [N, {observationSize}] (N observations of {observationSize} floats), got {Tensor.ShapeString(observations.Shape)}.", nameof(observations));
        int count = observations.Dim(0);
        if (actionSlots != count)
            throw new ArgumentException($"{algorithm}: actions must hold one entry per observation ({count}), got {actionSlots}.", "actions");
        return count;
    }

    /// <summary>The batch as [N, obs] (a view only when the observations are not already flat).</summary>
    public static Tensor Flat(Tensor observations, int count, int observationSize) =>
        observations.Rank == 2 ? observations : observations.Reshape(count, observationSize);
}

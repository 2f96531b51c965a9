using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>Argument checks shared by the agents' Act methods.</summary>
internal static class AgentActing
{
    /// <summary>Checks a batch [N, obs…] of <paramref name="observationSize"/> floats per row and <paramref name="perRow"/> action values per row.</summary>
    /// <exception cref="ArgumentException">Naming the expected and the actual shape or length.</exception>
    public static void CheckBatch(Tensor observations, int observationSize, int outputLength, int perRow, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Rank < 1 || observations.Size != observations.Dim(0) * observationSize)
            throw new ArgumentException(
                $"{algorithm}: observations must be [N, {observationSize}] (N observations of {observationSize} floats), got {Tensor.ShapeString(observations.Shape)}.", nameof(observations));
        if (outputLength != observations.Dim(0) * perRow)
            throw new ArgumentException(
                $"{algorithm}: the action span must hold {(perRow == 1 ? "one entry" : $"{perRow} entries")} per observation, {observations.Dim(0) * perRow} for {observations.Dim(0)} observations; got {outputLength}.", "actions");
    }

    /// <summary>Flattens observations to [N, obs] without copying.</summary>
    public static Tensor Flat(Tensor observations) => observations.Rank == 2 ? observations : observations.Reshape(observations.Dim(0), -1);
}

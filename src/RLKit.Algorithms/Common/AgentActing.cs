using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>Argument checks shared by the agents' Act methods.</summary>
internal static class AgentActing
{
    public static void CheckBatch(Tensor observations, int observationSize, int outputLength, int perRow, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Rank < 2 || observations.Size / observations.Dim(0) != observationSize)
            throw new ArgumentException($"{algorithm}: observations must be [N, {observationSize}], got {Tensor.ShapeString(observations.Shape)}.", nameof(observations));
        if (outputLength != observations.Dim(0) * perRow)
            throw new ArgumentException($"{algorithm}: the action span needs {observations.Dim(0) * perRow} entries for {observations.Dim(0)} observations, got {outputLength}.", "actions");
    }

    /// <summary>Flattens observations to [N, obs] without copying.</summary>
    public static Tensor Flat(Tensor observations) => observations.Rank == 2 ? observations : observations.Reshape(observations.Dim(0), -1);

}

using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>Argument checks shared by the agents' Act methods.</summary>
internal static class AgentActing
{
    /// <summary>
    /// Checks a batch [N, obs…] of <paramref name="observationSize"/> finite floats per row and <paramref name="perRow"/>
    /// action values per row. Every agent's Act calls it first, so a NaN or ±∞ observation is an error rather than a
    /// silent action 0.
    /// </summary>
    /// <exception cref="ArgumentException">Naming the expected and the actual shape or length, or the first non-finite value's row and index.</exception>
    public static void CheckBatch(Tensor observations, int observationSize, int outputLength, int perRow, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Rank < 1 || observations.Size != observations.Dim(0) * observationSize)
            throw new ArgumentException(
                $"{algorithm}: observations must be [N, {observationSize}] (N observations of {observationSize} floats), got {Tensor.ShapeString(observations.Shape)}.", nameof(observations));
        if (outputLength != observations.Dim(0) * perRow)
            throw new ArgumentException(
                $"{algorithm}: the action span must hold {(perRow == 1 ? "one entry" : $"{perRow} entries")} per observation, {observations.Dim(0) * perRow} for {observations.Dim(0)} observations; got {outputLength}.", "actions");
        ObservationChecks.RequireFinite(observations.AsReadOnlySpan(), observationSize, algorithm, nameof(observations));
    }

    /// <summary>Flattens observations to [N, obs] without copying.</summary>
    public static Tensor Flat(Tensor observations) => observations.Rank == 2 ? observations : observations.Reshape(observations.Dim(0), -1);
}

using System.Globalization;

namespace RLKit.Training;

/// <summary>The finiteness check every way of acting runs on its observations (agents' <c>Act</c>, <see cref="AgentPrediction"/>).</summary>
internal static class ObservationChecks
{
    /// <summary>
    /// Throws unless every value of the rows of <paramref name="observationSize"/> floats in <paramref name="values"/> is
    /// finite, naming the first NaN or ±∞ by row and index.
    /// </summary>
    /// <exception cref="ArgumentException">Whose parameter is <paramref name="parameter"/> and whose message starts with <paramref name="owner"/>.</exception>
    public static void RequireFinite(ReadOnlySpan<float> values, int observationSize, string owner, string parameter)
    {
        // NaN and ±∞ propagate into one vectorised sum; only then is the batch scanned for the culprit (a sum that merely
        // overflows finite values finds none and passes).
        if (float.IsFinite(TensorPrimitives.Sum(values))) return;
        for (int k = 0; k < values.Length; k++)
        {
            if (!float.IsFinite(values[k]))
                throw new ArgumentException(
                    $"{owner}: observations must be finite, but row {k / observationSize} holds {values[k].ToString(CultureInfo.InvariantCulture)} at index {k % observationSize}.", parameter);
        }
    }
}

namespace RLKit.Envs.Recommender;

/// <summary>
/// The user's choice among shown items: a multinomial logit (softmax) over the items' scores plus a no-click
/// option whose logit is the no-click mass (RecSim's <c>MultinomialLogitChoiceModel</c> with <c>no_click_mass</c>).
/// </summary>
public static class ClickModel
{
    /// <summary>
    /// Writes the choice probabilities: <paramref name="probabilities"/>[i] for shown item i and the last entry for
    /// no click. They sum to 1. Computed with the maximum subtracted, so large scores do not overflow.
    /// </summary>
    /// <param name="scores">One score (logit) per shown item.</param>
    /// <param name="noClickMass">The logit of the no-click option (4.0 in seed 003's RecSim).</param>
    /// <param name="probabilities">Destination of length scores.Length + 1.</param>
    /// <exception cref="ArgumentException">If the destination length is wrong or a score is not finite.</exception>
    public static void ChoiceProbabilities(ReadOnlySpan<float> scores, float noClickMass, Span<float> probabilities)
    {
        if (probabilities.Length != scores.Length + 1)
            throw new ArgumentException($"ClickModel: {scores.Length} scores need {scores.Length + 1} probabilities (the last is no-click), got {probabilities.Length}.", nameof(probabilities));
        if (!float.IsFinite(noClickMass))
            throw new ArgumentException($"ClickModel: the no-click mass must be finite, got {noClickMass}.", nameof(noClickMass));
        float max = noClickMass;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!float.IsFinite(scores[i]))
                throw new ArgumentException($"ClickModel: scores[{i}] = {scores[i]}; scores must be finite.", nameof(scores));
            max = Math.Max(max, scores[i]);
        }
        double total = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double e = Math.Exp(scores[i] - max);
            probabilities[i] = (float)e;
            total += e;
        }
        double noClick = Math.Exp(noClickMass - max);
        total += noClick;
        for (int i = 0; i < scores.Length; i++) probabilities[i] = (float)(probabilities[i] / total);
        probabilities[scores.Length] = (float)(noClick / total);
    }
}

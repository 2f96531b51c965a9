using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>One training epoch of an action encoder, as reported to progress listeners.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Reconstruction">Mean negative log-likelihood of the observations per action in the epoch (lower is better).</param>
/// <param name="ActionKl">Mean KL(q(c|O) ‖ p(c)) per action (0 for encoders without an action latent).</param>
/// <param name="ObservationKl">Mean Σ_o KL(q(z|o, c) ‖ p(z|c)) per action.</param>
public readonly record struct ActionEncoderEpoch(int Epoch, double Reconstruction, double ActionKl, double ObservationKl)
{
    /// <summary>The negative ELBO per action (reconstruction plus the weighted KL terms is what training minimises; this is the unweighted sum).</summary>
    public double NegativeElbo => Reconstruction + ActionKl + ObservationKl;
}

/// <summary>
/// Turns each action's observations (<see cref="ActionObservationSet"/>) into one representation vector, the first
/// stage of seed 003 ch. 2's framework. Built-in encoders are registered by name as keyed
/// <see cref="ActionEncoderFactory"/> services: "hvae" (the hierarchical VAE), "vae" (a flat VAE, the mean of
/// per-observation codes) and "given" (the mean of the action's observations as they are, e.g. a recommender's
/// item features or a hand-engineered code).
/// </summary>
public interface IActionEncoder
{
    /// <summary>The encoder's registered name ("hvae", "vae", "given").</summary>
    string Name { get; }

    /// <summary>The length of each representation.</summary>
    int RepresentationSize { get; }

    /// <summary>
    /// Trains the encoder on the observations of <paramref name="trainingActions"/> only (the others stay unseen),
    /// reporting each epoch to <paramref name="progress"/>. The "given" encoder has nothing to train and returns at once.
    /// </summary>
    /// <returns>Every epoch's report, oldest first (empty for "given").</returns>
    /// <exception cref="ArgumentException">If the observations' shape does not match the encoder, or an action id is out of range.</exception>
    IReadOnlyList<ActionEncoderEpoch> Fit(ActionObservationSet observations, ReadOnlySpan<int> trainingActions,
                                          IProgress<ActionEncoderEpoch>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The representation of each of <paramref name="actions"/> (the mean of q(c|O) for the VAEs), seen in training
    /// or not: [actions.Length, RepresentationSize] floats, row i for actions[i]. It depends only on the set of
    /// an action's observations, not on their order.
    /// </summary>
    /// <exception cref="ArgumentException">If the observations' shape does not match the encoder, or an action id is out of range.</exception>
    float[] Infer(ActionObservationSet observations, ReadOnlySpan<int> actions);

    /// <summary>Writes the encoder's weights and options (safetensors; temporary file, then renamed).</summary>
    void Save(string path);
}

/// <summary>
/// Creates an action encoder for observations of <paramref name="steps"/> frames × <paramref name="features"/> floats;
/// registered as keyed services "hvae", "vae" and "given" by <c>AddClassicAlgorithms()</c>.
/// </summary>
/// <param name="steps">Frames per observation (1 for vectors; the VAEs then use MLP encoders and decoders).</param>
/// <param name="features">Floats per frame.</param>
/// <param name="options">The architecture and training options (ignored by "given").</param>
/// <param name="rng">Initialises the weights and drives the training's sampling.</param>
public delegate IActionEncoder ActionEncoderFactory(int steps, int features, ActionEncoderOptions options, RandomGenerator rng);

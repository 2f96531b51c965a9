using RLKit.Training;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// Options of the action encoders (seed 003 ch. 2, Tables A.3/A.4 and App. D.3.1). The defaults are the paper's
/// grid-world values, except the budget: the paper trains for 10,000 epochs.
/// </summary>
public sealed record ActionEncoderOptions
{
    /// <summary>Length of the action latent c, the representation (16 in the paper's grid world). Range [1, 1024].</summary>
    public int RepresentationSize { get; init; } = 16;

    /// <summary>Length of each observation's latent z (16). Range [1, 1024].</summary>
    public int ObservationLatentSize { get; init; } = 16;

    /// <summary>Width of the hidden layers and of the per-observation code (64). Range [1, 4096].</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Width of the action inference network q_φ (128). Range [1, 4096].</summary>
    public int ActionHiddenSize { get; init; } = 128;

    /// <summary>Layers of the Bi-LSTM observation encoder for trajectories (2). Range [1, 8].</summary>
    public int LstmLayers { get; init; } = 2;

    /// <summary>RAdam learning rate (1e-3). Range (0, 1].</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Actions per training batch (128). Range [1, 65536].</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>
    /// Observations drawn (without replacement, fewer if the action has fewer) per action per batch. The paper uses
    /// all 1024; a sample keeps a step affordable on a CPU. Default 32. Range [1, 65536].
    /// </summary>
    public int ObservationsPerAction { get; init; } = 32;

    /// <summary>Training epochs; one epoch is one pass over the training actions in batches. Default 200 (the paper: 10,000). Range [1, 10⁷].</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Weight of KL(q(c|O) ‖ p(c)) in the loss (1 = the ELBO of eq. 2.2). Range [0, 1000].</summary>
    public float ActionKlWeight { get; init; } = 1f;

    /// <summary>Weight of KL(q(z|o, c) ‖ p(z|c)) in the loss (1 = the ELBO). Range [0, 1000].</summary>
    public float ObservationKlWeight { get; init; } = 1f;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(ActionEncoderOptions);
        OptionRules.InRange(RepresentationSize, 1, 1024, record, nameof(RepresentationSize));
        OptionRules.InRange(ObservationLatentSize, 1, 1024, record, nameof(ObservationLatentSize));
        OptionRules.InRange(HiddenSize, 1, 4096, record, nameof(HiddenSize));
        OptionRules.InRange(ActionHiddenSize, 1, 4096, record, nameof(ActionHiddenSize));
        OptionRules.InRange(LstmLayers, 1, 8, record, nameof(LstmLayers));
        OptionRules.InRange(LearningRate, 0f, 1f, record, nameof(LearningRate), minInclusive: false);
        OptionRules.InRange(BatchSize, 1, 65536, record, nameof(BatchSize));
        OptionRules.InRange(ObservationsPerAction, 1, 65536, record, nameof(ObservationsPerAction));
        OptionRules.InRange(Epochs, 1, 10_000_000, record, nameof(Epochs));
        OptionRules.InRange(ActionKlWeight, 0f, 1000f, record, nameof(ActionKlWeight));
        OptionRules.InRange(ObservationKlWeight, 0f, 1000f, record, nameof(ObservationKlWeight));
    }
}

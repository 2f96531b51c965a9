using RLKit.Training;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// How an action-set policy relates the available actions to each other (AGILE, seed 003 chapter 3): which
/// relation encoder runs over the available actions, whether a summary of the set feeds the utility, and what the
/// graph's nodes hold. The defaults are AGILE's (<see cref="Relations.Agile"/>).
/// </summary>
/// <param name="Encoder">The relation encoder over the available actions: "gat" (AGILE), "gcn", "deepset", "lstm" or "none".</param>
/// <param name="Summarizer">How the encoded actions are summarised into one vector: "mean" (masked mean then an MLP) or "none".</param>
/// <param name="RelationalUtility">
/// True (AGILE): the utility network reads each action's encoded (relational) features; false (Summary-*,
/// Utility-Policy): it reads the raw action representation and only the summary carries relations.
/// </param>
/// <param name="StateInGraph">True (AGILE): nodes are [state code ‖ action representation]; false (AGILE-Only-Action): the representation only.</param>
/// <param name="HiddenSize">Width of the node features, the encoder's layers and the summary (64 in the paper).</param>
/// <param name="Heads">Attention heads of each GAT layer (1 in the paper); the heads are averaged.</param>
/// <param name="NegativeSlope">LeakyReLU slope on the GAT attention scores (0.2).</param>
/// <param name="StateHiddenSize">Width of the state encoder's two tanh layers, i.e. of the state code e_s (64).</param>
public sealed record ActionRelationOptions(
    string Encoder = "gat",
    string Summarizer = "mean",
    bool RelationalUtility = true,
    bool StateInGraph = true,
    int HiddenSize = 64,
    int Heads = 1,
    float NegativeSlope = 0.2f,
    int StateHiddenSize = 64)
{
    /// <summary>The known encoder names, in the order the paper introduces them.</summary>
    public static IReadOnlyList<string> EncoderNames { get; } = ["gat", "gcn", "deepset", "lstm", "none"];

    /// <summary>The known summarizer names.</summary>
    public static IReadOnlyList<string> SummarizerNames { get; } = ["mean", "none"];

    /// <summary>Checks every option; the message names the option and its allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range or a name is unknown.</exception>
    public void Validate()
    {
        const string record = nameof(ActionRelationOptions);
        OptionRules.Require(Encoder, Encoder is not null && EncoderNames.Contains(Encoder, StringComparer.Ordinal),
            $"one of {string.Join(", ", EncoderNames)}", record, nameof(Encoder));
        OptionRules.Require(Summarizer, Summarizer is not null && SummarizerNames.Contains(Summarizer, StringComparer.Ordinal),
            $"one of {string.Join(", ", SummarizerNames)}", record, nameof(Summarizer));
        OptionRules.InRange(HiddenSize, 1, 4096, record, nameof(HiddenSize));
        OptionRules.InRange(Heads, 1, 64, record, nameof(Heads));
        OptionRules.Finite(NegativeSlope, record, nameof(NegativeSlope));
        OptionRules.InRange(StateHiddenSize, 1, 4096, record, nameof(StateHiddenSize));
    }
}

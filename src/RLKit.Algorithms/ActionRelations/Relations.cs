namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// Ready-made <see cref="ActionRelationOptions"/>: one per relation encoder, and one per method of seed 003's
/// experiments (AGILE and its ablations) under the paper's names.
/// </summary>
public static class Relations
{
    /// <summary>AGILE's graph attention encoder with the mean summary and a relational utility.</summary>
    public static ActionRelationOptions Gat() => new(Encoder: "gat");

    /// <summary>A graph convolution encoder (AGILE-GCN) with the mean summary and a relational utility.</summary>
    public static ActionRelationOptions Gcn() => new(Encoder: "gcn");

    /// <summary>A per-action DeepSet encoder (no relations between actions) with the mean summary.</summary>
    public static ActionRelationOptions DeepSet() => new(Encoder: "deepset");

    /// <summary>A 2-layer Bi-LSTM over the available actions in universe order, with the mean summary.</summary>
    public static ActionRelationOptions Lstm() => new(Encoder: "lstm");

    /// <summary>No encoder (identity) and no summary.</summary>
    public static ActionRelationOptions None() => new(Encoder: "none", Summarizer: "none");

    /// <summary>AGILE: GAT over [state ‖ action] nodes, mean summary, utility on the relational features.</summary>
    public static ActionRelationOptions Agile { get; } = new();

    /// <summary>AGILE-GCN: AGILE with a graph convolution instead of graph attention.</summary>
    public static ActionRelationOptions AgileGcn { get; } = new(Encoder: "gcn");

    /// <summary>AGILE-Only-Action: AGILE whose graph nodes hold the action representations only (no state).</summary>
    public static ActionRelationOptions AgileOnlyAction { get; } = new(StateInGraph: false);

    /// <summary>Summary-GAT: the GAT only feeds a set summary; the utility reads raw action representations.</summary>
    public static ActionRelationOptions SummaryGat { get; } = new(Encoder: "gat", RelationalUtility: false);

    /// <summary>Summary-DeepSet: a DeepSet summary of the set; the utility reads raw action representations.</summary>
    public static ActionRelationOptions SummaryDeepSet { get; } = new(Encoder: "deepset", RelationalUtility: false);

    /// <summary>Summary-LSTM: a Bi-LSTM summary of the set; the utility reads raw action representations.</summary>
    public static ActionRelationOptions SummaryLstm { get; } = new(Encoder: "lstm", RelationalUtility: false);

    /// <summary>Utility-Policy: no relations and no summary; each action is scored from [state ‖ representation] alone.</summary>
    public static ActionRelationOptions UtilityPolicy { get; } = new(Encoder: "none", Summarizer: "none", RelationalUtility: false);

    /// <summary>The method presets by their command-line names.</summary>
    public static IReadOnlyDictionary<string, ActionRelationOptions> Methods { get; } = new Dictionary<string, ActionRelationOptions>(StringComparer.Ordinal)
    {
        ["agile"] = Agile,
        ["agile-gcn"] = AgileGcn,
        ["agile-only-action"] = AgileOnlyAction,
        ["summary-gat"] = SummaryGat,
        ["summary-deepset"] = SummaryDeepSet,
        ["summary-lstm"] = SummaryLstm,
        ["utility-policy"] = UtilityPolicy,
    };

    /// <summary>The preset of a method by name ("agile", "agile-gcn", "agile-only-action", "summary-gat", "summary-deepset", "summary-lstm", "utility-policy").</summary>
    /// <exception cref="ArgumentException">If the name is unknown (the message lists the known names).</exception>
    public static ActionRelationOptions Method(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Methods.TryGetValue(name, out var options)
            ? options
            : throw new ArgumentException($"Relations.Method: unknown method '{name}'; known methods: {string.Join(", ", Methods.Keys)}.", nameof(name));
    }
}

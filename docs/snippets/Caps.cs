namespace RLKit.Snippets;

// Stand-ins for the few types whose values decide how long a snippet runs. A snippet's `Budget.Steps(100_000)` or
// `new ActionEncoderOptions { Epochs = 20 }` binds to these (a type of the enclosing namespace comes before the file's
// using directives), so the documented text compiles unchanged against the same signatures and runs briefly: CI
// checks that the code works, not what it learns. DocumentationTests checks that a snippet naming one of them imports
// the real type's namespace, which the stand-in would otherwise hide.

/// <summary>Stands in for <see cref="RLKit.Training.Budget"/>, with the steps capped at <see cref="MaxSteps"/>.</summary>
internal static class Budget
{
    /// <summary>The most environment steps any snippet trains for.</summary>
    public const long MaxSteps = 1_000;

    public static RLKit.Training.Budget Steps(long steps) => RLKit.Training.Budget.Steps(Math.Min(steps, MaxSteps));
}

/// <summary>
/// Stands in for <see cref="RLKit.Algorithms.ActionRepresentations.ActionEncoderOptions"/> (the settings the snippets
/// set), converted to it with the epochs capped at <see cref="MaxEpochs"/>.
/// </summary>
internal sealed record ActionEncoderOptions
{
    private static readonly RLKit.Algorithms.ActionRepresentations.ActionEncoderOptions Defaults = new();

    /// <summary>The most encoder epochs any snippet trains for.</summary>
    public const int MaxEpochs = 1;

    public int RepresentationSize { get; init; } = Defaults.RepresentationSize;

    public int Epochs { get; init; } = Defaults.Epochs;

    public static implicit operator RLKit.Algorithms.ActionRepresentations.ActionEncoderOptions(ActionEncoderOptions options) =>
        Defaults with { RepresentationSize = options.RepresentationSize, Epochs = Math.Min(options.Epochs, MaxEpochs) };
}

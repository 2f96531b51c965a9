using System.Collections;
using System.Globalization;
using System.Text;

namespace RLKit.Training.Logging;

/// <summary>
/// The structured state of a <see cref="LoggingProgress"/> entry: the update's fields as named properties, plus
/// <c>{OriginalFormat}</c> (the message template) as Microsoft.Extensions.Logging's own formatted states carry.
/// </summary>
public sealed class TrainingLogEntry : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The template of per-update messages.</summary>
    public const string UpdateTemplate =
        "{Algorithm} step {Steps}: episodes {Episodes}, updates {Updates}, {StepsPerSecond} steps/s, mean return {MeanReturn}, mean length {MeanLength}, lr {LearningRate}";

    /// <summary>The template of the final message.</summary>
    public const string FinishedTemplate =
        "{Algorithm} finished at step {Steps} after {ElapsedSeconds} s: episodes {Episodes}, updates {Updates}, {StepsPerSecond} steps/s, mean return {MeanReturn}, mean length {MeanLength}, environment seed {EnvironmentSeed}";

    /// <summary>The prefix of each loss's property name.</summary>
    public const string LossPrefix = "Loss.";

    private readonly List<KeyValuePair<string, object?>> _properties;

    /// <summary>Wraps <paramref name="update"/>.</summary>
    public TrainingLogEntry(TrainingUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Update = update;
        _properties =
        [
            new("Algorithm", update.Algorithm),
            new("Steps", update.Steps),
            new("Episodes", update.Episodes),
            new("Updates", update.Updates),
            new("StepsPerSecond", Math.Round(update.StepsPerSecond, 1)),
            new("MeanReturn", update.MeanReturn),
            new("MeanLength", update.MeanLength),
            new("LearningRate", update.LearningRate),
            new("ElapsedSeconds", Math.Round(update.Elapsed.TotalSeconds, 3)),
            new("IsFinal", update.IsFinal),
            new("EnvironmentSeed", update.EnvironmentSeed),
        ];
        foreach (var (name, loss) in update.Losses)
            _properties.Add(new(LossPrefix + name, loss));
        _properties.Add(new("{OriginalFormat}", update.IsFinal ? FinishedTemplate : UpdateTemplate));
    }

    /// <summary>The update logged.</summary>
    public TrainingUpdate Update { get; }

    /// <inheritdoc/>
    public int Count => _properties.Count;

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => _properties[index];

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The human-readable message (invariant culture), with the losses appended on update entries.</summary>
    public override string ToString()
    {
        var u = Update;
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        string mean = u.MeanReturn is { } r ? r.ToString("0.##", c) : "n/a";
        string length = u.MeanLength is { } l ? l.ToString("0.#", c) : "n/a";
        if (u.IsFinal)
        {
            text.Append(c, $"{u.Algorithm} finished at step {u.Steps} after {u.Elapsed.TotalSeconds:0.###} s: episodes {u.Episodes}, updates {u.Updates}, {u.StepsPerSecond:0.#} steps/s, mean return {mean}, mean length {length}, environment seed {Seed(u)}");
            return text.ToString();
        }
        text.Append(c, $"{u.Algorithm} step {u.Steps}: episodes {u.Episodes}, updates {u.Updates}, {u.StepsPerSecond:0.#} steps/s, mean return {mean}, mean length {length}, lr {u.LearningRate:G4}");
        foreach (var (name, loss) in u.Losses)
            text.Append(c, $", {name} {loss:G5}");
        return text.ToString();
    }

    private static string Seed(TrainingUpdate u) => u.EnvironmentSeed is { } seed ? seed.ToString(CultureInfo.InvariantCulture) : "n/a";
}

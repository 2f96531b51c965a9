using System.CommandLine;
using System.Text.Json;
using RLKit.Training.Checkpoints;

namespace RLKit.Cli.Commands;

/// <summary><c>rlkit info</c>: what a model file holds: algorithm, spaces, options, notes, sizes and the RLKit version that wrote it.</summary>
internal static class InfoCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliOutput output)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file (*.rlkit).", Required = true };
        var command = new Command("info", "Show a saved model's algorithm, spaces, options, notes and version.") { model };
        command.SetAction(parse => output.Run("info", () =>
        {
            string path = parse.GetValue(model)!;
            Library.RequireFile(path, "--model");
            var checkpoint = Checkpoint.Load(path);
            var m = checkpoint.Metadata;
            long parameters = checkpoint.Weights.Values.Sum(t => (long)t.Size);
            var w = output.Out;
            w.WriteLine($"model:        {Path.GetFullPath(path)}");
            w.WriteLine($"algorithm:    {m.Algorithm}");
            w.WriteLine($"observations: {m.ObservationSpace.ToSpace()}");
            w.WriteLine($"actions:      {m.ActionSpace.ToSpace()}");
            w.WriteLine($"parameters:   {parameters:N0} in {checkpoint.Weights.Count} tensors");
            w.WriteLine($"resumable:    {(checkpoint.OptimizerState is null ? "no" : "yes (optimizer state saved)")}");
            w.WriteLine($"written by:   RLKit {m.RLKitVersion} (format {m.FormatVersion})");
            if (m.TaskIds is { Count: > 0 } tasks) w.WriteLine($"tasks:        {string.Join(", ", tasks)}");
            if (m.Notes is { Count: > 0 } notes)
            {
                w.WriteLine("notes:");
                foreach (var (key, value) in notes.OrderBy(n => n.Key, StringComparer.Ordinal)) w.WriteLine($"  {key}: {value}");
            }
            w.WriteLine($"options ({m.OptionsType}):");
            w.WriteLine(JsonSerializer.Serialize(m.Options, Indented));
            return ExitCodes.Ok;
        }));
        return command;
    }
}

using System.CommandLine;
using RLKit.Onnx;

namespace RLKit.Cli.Commands;

/// <summary><c>rlkit export</c>: a saved model's acting network as ONNX, through RLKit.Onnx.</summary>
internal static class ExportCommand
{
    public static Command Create(CliOutput output)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file (*.rlkit).", Required = true };
        var outPath = new Option<string>("--out", "-o") { Description = "ONNX file to write (*.onnx).", Required = true };
        var command = new Command("export", "Export a saved model's acting network to ONNX (input 'observation', output 'action').") { model, outPath };
        command.SetAction(parse => output.Run("export", () =>
        {
            var rl = Library.Context(0);
            var agent = Library.LoadModel(rl, parse.GetValue(model)!);
            string path = Library.PrepareOutput(parse.GetValue(outPath)!, "--out");
            OnnxExporter.Export(agent, path);
            output.Out.WriteLine($"Wrote {path}: the {agent.Algorithm} policy, input '{OnnxNames.Observation}' [batch, {agent.ObservationSpace.FlatSize}], output '{OnnxNames.Action}'.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}

using System.CommandLine;
using System.CommandLine.Invocation;
using RLKit.Cli.Commands;

namespace RLKit.Cli;

/// <summary>The <c>rlkit</c> command line: the commands, and how parse errors become <see cref="ExitCodes.Usage"/>.</summary>
internal static class RLKitCommandLine
{
    /// <summary>Builds the root command writing to <paramref name="output"/>.</summary>
    public static RootCommand Build(CliOutput output) =>
        new("rlkit: train, evaluate, inspect and export RLKit agents from the command line (the rl-zoo workflow for .NET).")
        {
            TrainCommand.Create(output),
            EvaluateCommand.Create(output),
            EnvsCommand.Create(output),
            CheckEnvCommand.Create(output),
            InfoCommand.Create(output),
            ExportCommand.Create(output),
        };

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(IReadOnlyList<string> args, CliOutput output)
    {
        var parse = Build(output).Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) output.Error.WriteLine($"rlkit: error: {error.Message}");
            string command = parse.CommandResult.Command is RootCommand ? "rlkit" : $"rlkit {parse.CommandResult.Command.Name}";
            output.Error.WriteLine($"Run '{command} --help' for usage.");
            return ExitCodes.Usage;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output.Out, Error = output.Error });
    }
}

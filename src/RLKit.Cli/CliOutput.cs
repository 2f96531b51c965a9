using RLKit.Cli.Configuration;
using RLKit.Training.Logging;

namespace RLKit.Cli;

/// <summary>Where a command writes: the console (the tool) or writers a test reads.</summary>
/// <param name="Out">Results, progress and RESULT lines.</param>
/// <param name="Error">Errors.</param>
/// <param name="IsConsole">True when <paramref name="Out"/> is the process's console, so progress may redraw a live bar.</param>
internal sealed record CliOutput(TextWriter Out, TextWriter Error, bool IsConsole)
{
    /// <summary>The process's console.</summary>
    public static CliOutput Console => new(System.Console.Out, System.Console.Error, IsConsole: true);

    /// <summary>The library's console progress: a live bar on an interactive terminal, plain lines otherwise.</summary>
    public ConsoleProgress Progress() => IsConsole ? new ConsoleProgress() : new ConsoleProgress(Out, interactive: false);

    /// <summary>
    /// Runs a command's work and maps its outcome to an exit code: configuration errors to <see cref="ExitCodes.Usage"/>,
    /// cancellation to <see cref="ExitCodes.Cancelled"/>, anything else thrown to <see cref="ExitCodes.Failure"/>; each with a
    /// one-line "rlkit: error: ..." on <see cref="Error"/>.
    /// </summary>
    public int Run(string command, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (ConfigurationException e)
        {
            Error.WriteLine($"rlkit {command}: error: {e.Message}");
            Error.WriteLine($"Run 'rlkit {command} --help' for usage.");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Error.WriteLine($"rlkit {command}: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            Error.WriteLine($"rlkit {command}: failed: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}

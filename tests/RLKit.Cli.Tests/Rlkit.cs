namespace RLKit.Cli.Tests;

/// <summary>Runs the rlkit command line in-process and captures what it writes.</summary>
internal static class Rlkit
{
    public sealed record Outcome(int ExitCode, string Out, string Error)
    {
        /// <summary>The RESULT line's value for <paramref name="key"/>.</summary>
        public string Result(string key)
        {
            string line = Out.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Trim();
            return line.Split(' ').Select(field => field.Split('=', 2)).Single(kv => kv[0] == key)[1];
        }

        /// <summary>The mean of the RESULT line's "mean_return=mean±std".</summary>
        public double MeanReturn => double.Parse(Result("mean_return").Split('±')[0], System.Globalization.CultureInfo.InvariantCulture);

        public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- error\n{Error}";
    }

    public static Outcome Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = RLKitCommandLine.Run(args, new CliOutput(output, error, IsConsole: false));
        return new Outcome(code, output.ToString(), error.ToString());
    }
}

/// <summary>
/// BenchmarkDotNet's switcher over every benchmark class, or with <c>--soak</c> the long-run memory and stability
/// check of <see cref="RLKit.Benchmarks.Soak"/> (a plain console table, not a BenchmarkDotNet timing).
/// </summary>
public class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--soak")
            RLKit.Benchmarks.Soak.Run(args[1..]);
        else
            BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}

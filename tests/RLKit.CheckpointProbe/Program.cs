// Loads each checkpoint named on the command line in a fresh process that registers nothing: its code names no
// algorithm package, so the algorithms can only come from the RLKit modules the application deploys (RLKit.Algorithms
// is a project reference, never loaded by this code). Prints one line per checkpoint and way of loading,
// "<file>\t<via>\t<algorithm>\t<greedy action>" (or "ERROR" and the message), then the time of the first load, which
// includes the module discovery. Exits with 1 if any load failed.
using System.Diagnostics;
using RLKit.CheckpointProbe;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Checkpoints;

int failures = 0;
var watch = Stopwatch.StartNew();
TimeSpan? first = null, again = null;
foreach (var path in args)
{
    Report(path, "Checkpoint.LoadAgent", () => Checkpoint.LoadAgent(path));
    if (first is null)
    {
        first = watch.Elapsed;
        watch.Restart();
        Checkpoint.LoadAgent(path);
        again = watch.Elapsed;
    }
}
foreach (var path in args)
    Report(path, "RLContext.Model.Load", () => RLKitEnvs.CreateContext(seed: 1).Model.Load(path));
if (first is { } firstLoad && again is { } secondLoad)
    Console.WriteLine($"# first Checkpoint.LoadAgent {firstLoad.TotalMilliseconds:0.0} ms (module discovery and first-call JIT included); the same file again {secondLoad.TotalMilliseconds:0.0} ms");
return failures == 0 ? 0 : 1;

void Report(string path, string via, Func<IAgent> load)
{
    string file = Path.GetFileName(path);
    try
    {
        var agent = load();
        Console.WriteLine($"{file}\t{via}\t{agent.Algorithm}\t{GreedyAction.Of(agent)}");
    }
    catch (Exception e)
    {
        failures++;
        Console.WriteLine($"{file}\t{via}\tERROR\t{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
    }
}

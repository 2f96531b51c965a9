using System.Diagnostics;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Sac;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Benchmarks;

/// <summary>
/// Soak run: one long PPO fit on CartPole-v1 (the QuickStart settings, 8 environments) and one long SAC fit on
/// Pendulum-v1 (default options), each a single <c>Fit</c> call, printing at ten evenly spaced points the process
/// working set, the managed heap (<see cref="GC.GetTotalMemory"/> and <see cref="GCMemoryInfo.HeapSizeBytes"/> of the
/// last collection), the gen-2 collection count, the number of non-finite values of losses that had been finite before (a loss not computed yet is reported
/// as NaN) and of non-finite
/// weights in the agent at that point. A leak shows as a working set or heap that keeps rising; a numerical
/// blow-up as a non-zero count.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/RLKit.Benchmarks -- --soak [ppo-steps] [sac-steps]</c>
/// (defaults 2 000 000 and 100 000; 0 skips that algorithm).
/// </remarks>
internal static class Soak
{
    public static void Run(string[] args)
    {
        long ppoSteps = args.Length > 0 ? long.Parse(args[0]) : 2_000_000;
        long sacSteps = args.Length > 1 ? long.Parse(args[1]) : 100_000;
        Console.WriteLine($"{"run",-4} {"steps",10} {"seconds",8} {"steps/s",9} {"working set MB",14} {"GC.GetTotalMemory MB",20} {"GC heap MB",10} {"gen2",5} {"bad losses",10} {"bad weights",11} {"mean return",11}");
        if (ppoSteps > 0)
        {
            var monitor = new SoakMonitor("ppo", ppoSteps);
            var estimator = new PpoEstimator(PpoOptions.CartPole with { Seed = 1 }).WithCallbacks(monitor);
            using var env = Vector("CartPole-v1", 8);
            monitor.Finish(estimator.Fit(env, Budget.Steps(ppoSteps), monitor));
        }
        if (sacSteps > 0)
        {
            var monitor = new SoakMonitor("sac", sacSteps);
            var estimator = new SacEstimator(new SacOptions { Seed = 1 }).WithCallbacks(monitor);
            using var env = Vector("Pendulum-v1", 1);
            monitor.Finish(estimator.Fit(env, Budget.Steps(sacSteps), monitor));
        }
    }

    private static SyncVectorEnvironment Vector(string id, int count)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        return new SyncVectorEnvironment(Enumerable.Range(0, count).Select(_ => catalog.Make(id)).ToArray(), AutoresetMode.SameStep);
    }

    private sealed class SoakMonitor(string name, long totalSteps) : ITrainingCallback, IProgress<TrainingUpdate>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _nextReport = totalSteps / 10;
        private readonly HashSet<string> _computed = [];
        private long _badLosses;
        private TrainingUpdate? _last;
        private long _printedSteps;

        public void OnUpdate(TrainingUpdate update, TrainingControl control)
        {
            // A loss that has not been computed yet is reported as NaN (SAC's actor and α losses before their first
            // delayed update): only a loss that was finite before and is not now counts.
            foreach (var (key, loss) in update.Losses)
            {
                if (double.IsFinite(loss)) _computed.Add(key);
                else if (_computed.Contains(key)) _badLosses++;
            }
            if (update.Steps < _nextReport) return;
            _nextReport += totalSteps / 10;
            Print(update, control.Agent);
        }

        /// <summary>Fit's progress, reported synchronously: keeps the last update, the final one included.</summary>
        public void Report(TrainingUpdate update) => _last = update;

        /// <summary>The row for the end of the run, unless the last interval already printed it.</summary>
        public void Finish(IAgent agent)
        {
            if (_last is { IsFinal: true } final && final.Steps > _printedSteps) Print(final, agent);
        }

        private void Print(TrainingUpdate update, IAgent agent)
        {
            _printedSteps = update.Steps;
            long badWeights = 0;
            if (agent is ICheckpointable checkpointable)
                foreach (var weight in checkpointable.Weights.Values)
                    foreach (float w in weight.AsSpan())
                        if (!float.IsFinite(w)) badWeights++;
            using var process = Process.GetCurrentProcess();
            double mb = 1024.0 * 1024.0;
            Console.WriteLine($"{name,-4} {update.Steps,10} {_clock.Elapsed.TotalSeconds,8:F1} {update.Steps / _clock.Elapsed.TotalSeconds,9:F0} " +
                              $"{process.WorkingSet64 / mb,14:F1} {GC.GetTotalMemory(false) / mb,20:F1} {GC.GetGCMemoryInfo().HeapSizeBytes / mb,10:F1} " +
                              $"{GC.CollectionCount(2),5} {_badLosses,10} {badWeights,11} {update.MeanReturn,11:F1}");
        }
    }
}

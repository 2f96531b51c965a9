using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using RLKit.Distributed.Hosting;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Distributed.Sweeps;

/// <summary>
/// Trains one sweep job on this silo, on a local vector environment, and commits its CSV with an atomic
/// create-if-absent rename: whichever attempt finishes first writes the file, any later one (a run that outlived its
/// silo's death in a test process, or a re-scheduled run racing it) finds it there and discards its own. That makes the
/// output exactly-once even though runs are started at least once.
/// </summary>
internal sealed class SweepRunGrain(WorkerEnvironments environments, ILocalSiloDetails silo, IHostApplicationLifetime lifetime) : Grain, ISweepRunGrain
{
    private readonly object _gate = new();
    private SweepRunState _state;
    private string? _error;
    private bool _committed;
    private Task? _run;

    public Task<string> Start(SweepJobWire job, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        lock (_gate)
        {
            if (_state == SweepRunState.Idle)
            {
                _state = SweepRunState.Running;
                // Off the grain's scheduler: training is long and CPU-bound, and must not hold the activation's turn
                // (Status calls answer while it runs). The silo's stopping token ends it when the silo shuts down.
                var stopping = lifetime.ApplicationStopping;
                _run = Task.Run(() => Run(job, outputDirectory, stopping));
            }
        }
        return Task.FromResult(silo.SiloAddress.ToString());
    }

    public Task<SweepRunStatus> Status()
    {
        lock (_gate) return Task.FromResult(new SweepRunStatus(_state, silo.SiloAddress.ToString(), _error, _committed));
    }

    private void Run(SweepJobWire job, string outputDirectory, CancellationToken stopping)
    {
        try
        {
            var rl = new RLContext(environments.Catalog, algorithms: null, seed: job.Seed);
            var estimator = rl.Agents.CreateFromJson(job.Algorithm, job.OptionsJson ?? "{}");
            var curve = new StringBuilder("steps,episodes,mean_return,mean_length,seconds\n");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var progress = new Recorder(update => curve.Append(CultureInfo.InvariantCulture,
                $"{update.Steps},{update.Episodes},{update.MeanReturn?.ToString("R", CultureInfo.InvariantCulture) ?? ""},{update.MeanLength?.ToString("R", CultureInfo.InvariantCulture) ?? ""},{clock.Elapsed.TotalSeconds:0.###}\n"));
            using (var env = rl.Environments.MakeVector(job.EnvironmentId, job.Environments, job.Seed))
                estimator.Fit(env, Budget.Steps(job.Steps), progress, stopping);
            // A cancelled Fit returns a partly trained agent; a silo that is shutting down must not commit that curve as
            // the job's result. The job is rescheduled elsewhere by the sweep.
            if (stopping.IsCancellationRequested) return;
            bool committed = Commit(Path.Combine(outputDirectory, job.Name + ".csv"), curve.ToString());
            lock (_gate)
            {
                _committed = committed;
                _state = SweepRunState.Completed;
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _error = $"{e.GetType().Name}: {e.Message}";
                _state = SweepRunState.Failed;
            }
        }
    }

    /// <summary>Writes a temporary file and renames it into place unless the file exists; true if this call created it.</summary>
    private static bool Commit(string path, string contents)
    {
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, contents);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    /// <summary>Reports on the training thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class Recorder(Action<TrainingUpdate> report) : IProgress<TrainingUpdate>
    {
        public void Report(TrainingUpdate value) => report(value);
    }
}

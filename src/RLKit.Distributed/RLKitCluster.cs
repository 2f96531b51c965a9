using RLKit.Distributed.Evaluation;
using RLKit.Distributed.Hosting;
using RLKit.Distributed.Policies;
using RLKit.Distributed.Sweeps;
using RLKit.Training;
using RLKit.Training.Evaluation;
using RLKit.Environments;

namespace RLKit.Distributed;

/// <summary>
/// The learner's handle on an Orleans cluster whose silos host RLKit's grains (<c>AddRLKitWorkers</c>):
/// <c>estimator.Fit(cluster.VectorEnvironment("CartPole-v1", workers: 8, environmentsPerWorker: 16), budget)</c> trains
/// exactly as on a local vector environment, with the sub-environments stepped on the silos.
/// </summary>
public sealed class RLKitCluster
{
    private readonly IGrainFactory _grains;
    private readonly EnvironmentCatalog _catalog;

    /// <summary>A cluster handle over <paramref name="grains"/> (an <c>IClusterClient</c>, or a grain factory inside a silo).</summary>
    /// <param name="grains">The cluster client.</param>
    /// <param name="catalog">The learner's environment catalog: it must register the same ids as the silos' (the learner reads the spaces from it).</param>
    /// <param name="options">Retry settings; null for the defaults.</param>
    public RLKitCluster(IGrainFactory grains, EnvironmentCatalog catalog, DistributedOptions? options = null)
    {
        _grains = grains ?? throw new ArgumentNullException(nameof(grains));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        Options = options ?? new DistributedOptions();
        Options.Validate();
    }

    /// <summary>The retry settings.</summary>
    public DistributedOptions Options { get; }

    internal IGrainFactory Grains => _grains;

    internal EnvironmentCatalog Catalog => _catalog;

    /// <summary>
    /// A vector environment of <paramref name="workers"/> × <paramref name="environmentsPerWorker"/> copies of
    /// <paramref name="id"/>, hosted by worker grains across the cluster and reset with <paramref name="seed"/>
    /// (sub-environment i with seed + i), like <c>rl.Environments.MakeVector(id, count, seed)</c>.
    /// </summary>
    /// <param name="id">A catalog id such as "CartPole-v1", registered on the learner and on every silo.</param>
    /// <param name="workers">Worker grains, 1 to 4096.</param>
    /// <param name="environmentsPerWorker">Sub-environments each worker steps, 1 to 65536.</param>
    /// <param name="seed">The reset seed (default 0).</param>
    /// <param name="options">The environment's options record (it travels as JSON), or null for its defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a count is outside its range.</exception>
    /// <exception cref="KeyNotFoundException">If the learner's catalog does not know <paramref name="id"/>.</exception>
    public DistributedVectorEnvironment VectorEnvironment(string id, int workers, int environmentsPerWorker, ulong seed = 0, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (workers is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "VectorEnvironment: workers must be in [1, 4096].");
        if (environmentsPerWorker is < 1 or > 65536)
            throw new ArgumentOutOfRangeException(nameof(environmentsPerWorker), environmentsPerWorker, "VectorEnvironment: environmentsPerWorker must be in [1, 65536].");
        using var prototype = _catalog.Make(id, options);
        // A fresh run id per vector environment: its workers are new grains, never another run's.
        var env = new DistributedVectorEnvironment(_grains, $"rollout-{Guid.NewGuid():N}", id, options, prototype, workers, environmentsPerWorker, Options);
        try
        {
            env.Reset(seed);
            return env;
        }
        catch
        {
            env.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs independent training jobs across the cluster's silos, each writing <c>&lt;outputDirectory&gt;/&lt;name&gt;.csv</c>
    /// (a directory every silo can write, e.g. a network share). Resumable: a job whose CSV exists is not run again, so
    /// calling this again after any failure finishes what is missing. A job whose silo dies mid-run is started again on
    /// another silo from the beginning (runs keep no partial state); a CSV is committed once, by the first attempt to
    /// finish (create-if-absent rename), so every finished job has exactly one output.
    /// </summary>
    /// <param name="sweepId">Names the sweep's grains; letters, digits, '-', '_' and '.'.</param>
    /// <param name="jobs">The jobs, with unique names.</param>
    /// <param name="outputDirectory">Where the CSVs go; created if missing.</param>
    /// <param name="pollInterval">How often each running job is asked for its status (default 200 ms).</param>
    /// <param name="cancellationToken">Stops waiting (runs already started go on to completion on their silos).</param>
    /// <exception cref="ArgumentException">If a job is invalid or two share a name.</exception>
    /// <exception cref="InvalidOperationException">If a job fails on its silo (the error names the job); other jobs' finished CSVs stay.</exception>
    public async Task<SweepReport> RunSweepAsync(string sweepId, IReadOnlyList<SweepJob> jobs, string outputDirectory,
                                                 TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepId);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int j = 0; j < jobs.Count; j++)
        {
            (jobs[j] ?? throw new ArgumentException($"RunSweepAsync: job {j} is null.", nameof(jobs))).Validate(nameof(jobs));
            if (!names.Add(jobs[j].Name))
                throw new ArgumentException($"RunSweepAsync: two jobs are named '{jobs[j].Name}'; names must be unique (they name the CSV files).", nameof(jobs));
        }
        var poll = pollInterval ?? TimeSpan.FromMilliseconds(200);
        if (poll <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(pollInterval), poll, "RunSweepAsync: the poll interval must be positive.");
        Directory.CreateDirectory(outputDirectory);

        var results = new SweepJobResult?[jobs.Count];
        var attempts = new int[jobs.Count];
        var pending = new List<int>();
        for (int j = 0; j < jobs.Count; j++)
        {
            if (File.Exists(jobs[j].OutputPath(outputDirectory))) results[j] = new SweepJobResult(jobs[j], SweepJobOutcome.AlreadyDone, 0, "");
            else pending.Add(j);
        }
        var grains = pending.ToDictionary(j => j, j => _grains.GetGrain<ISweepRunGrain>($"{sweepId}/{jobs[j].Name}"));
        foreach (int j in pending)
            await StartAsync(j).ConfigureAwait(false);

        while (pending.Count > 0)
        {
            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
            foreach (int j in pending.ToArray())
            {
                SweepRunStatus status;
                try
                {
                    status = await grains[j].Status().ConfigureAwait(false);
                }
                catch (Exception e) when (DistributedVectorEnvironment.IsTransient(e))
                {
                    continue;   // its silo is dying; the next poll reaches a new activation
                }
                switch (status.State)
                {
                    case SweepRunState.Completed:
                        results[j] = new SweepJobResult(jobs[j], SweepJobOutcome.Completed, attempts[j], status.Silo);
                        pending.Remove(j);
                        break;
                    case SweepRunState.Failed:
                        throw new InvalidOperationException($"RunSweepAsync: job '{jobs[j].Name}' failed on silo {status.Silo}: {status.Error}");
                    case SweepRunState.Idle:
                        // A new activation: the silo that ran the job died. Its CSV may have been committed just before.
                        if (File.Exists(jobs[j].OutputPath(outputDirectory)))
                        {
                            results[j] = new SweepJobResult(jobs[j], SweepJobOutcome.Completed, attempts[j], "");
                            pending.Remove(j);
                        }
                        else await StartAsync(j).ConfigureAwait(false);
                        break;
                }
            }
        }
        return new SweepReport(results.Select(r => r!).ToArray());

        async Task StartAsync(int j)
        {
            attempts[j]++;
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    await grains[j].Start(SweepJobWire.From(jobs[j]), outputDirectory).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (DistributedVectorEnvironment.IsTransient(e) && attempt + 1 < Options.MaxAttempts)
                {
                    await Task.Delay(Options.Delay(attempt), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Evaluates <paramref name="agent"/> on many seeds across the cluster: the seeds are split over
    /// <paramref name="workers"/> policy workers (each gets the agent as checkpoint bytes), and each seed runs
    /// <paramref name="episodesPerSeed"/> episodes exactly as <c>Evaluator.Evaluate(agent, env, episodesPerSeed,
    /// deterministic, seed: seed)</c> does locally. A worker whose silo dies is given the agent again elsewhere and its
    /// seeds are evaluated again (evaluation has no side effects, so repeating it is safe).
    /// </summary>
    /// <param name="agent">A checkpointable agent (every RLKit agent is); its algorithm must be deployed on the silos.</param>
    /// <param name="environmentId">A catalog id registered on every silo.</param>
    /// <param name="seeds">One or more seeds.</param>
    /// <param name="episodesPerSeed">Episodes per seed, at least 1.</param>
    /// <param name="deterministic">Greedy actions (default) rather than sampled ones.</param>
    /// <param name="workers">Policy workers, 1 to 1024 (capped at the number of seeds).</param>
    /// <param name="options">The environment's options record, or null.</param>
    /// <exception cref="ArgumentException">If the agent is not checkpointable or <paramref name="seeds"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a count is outside its range.</exception>
    public async Task<DistributedEvaluation> EvaluateAsync(IAgent agent, string environmentId, IReadOnlyList<ulong> seeds, int episodesPerSeed = 1,
                                                           bool deterministic = true, int workers = 8, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(environmentId);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0) throw new ArgumentException("EvaluateAsync: give at least one seed.", nameof(seeds));
        if (episodesPerSeed < 1)
            throw new ArgumentOutOfRangeException(nameof(episodesPerSeed), episodesPerSeed, "EvaluateAsync: episodesPerSeed must be at least 1.");
        if (workers is < 1 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "EvaluateAsync: workers must be in [1, 1024].");
        var checkpointable = PolicyBytes.Checkpointable(agent, nameof(agent));
        if (!_catalog.Contains(environmentId))
            throw new KeyNotFoundException($"EvaluateAsync: no environment '{environmentId}' in the learner's catalog.");
        string? optionsJson = WorkerEnvironments.ToJson(options);
        workers = Math.Min(workers, seeds.Count);
        var group = new PolicyWorkerGroup(_grains, $"evaluation-{Guid.NewGuid():N}", workers, checkpointable, Options);
        await group.InitializeAsync().ConfigureAwait(false);
        // Seed k goes to worker k mod workers; results are put back in the seeds' order.
        var chunks = Enumerable.Range(0, workers).Select(w => Enumerable.Range(0, seeds.Count).Where(k => k % workers == w).ToArray()).ToArray();
        var results = await Task.WhenAll(chunks.Select((chunk, w) => group.WithPolicyAsync(w,
            worker => worker.Evaluate(environmentId, optionsJson, [.. chunk.Select(k => seeds[k])], episodesPerSeed, deterministic)))).ConfigureAwait(false);
        var reports = new EvaluationReport[seeds.Count];
        for (int w = 0; w < workers; w++)
            for (int i = 0; i < chunks[w].Length; i++)
            {
                var r = results[w][i];
                reports[chunks[w][i]] = new EvaluationReport(r.MeanReturn, r.StdReturn, r.MinReturn, r.MaxReturn, r.MeanLength, r.Lengths, r.Returns, r.SuccessRate, Solved: null);
            }
        return new DistributedEvaluation([.. seeds], reports);
    }

    /// <summary>
    /// Policy-copy rollouts: <paramref name="workers"/> policy workers, each with a copy of <paramref name="agent"/> and
    /// <paramref name="environmentsPerWorker"/> environments of <paramref name="id"/> (reset with seed + global index),
    /// acting themselves and streaming version-tagged segments (<see cref="PolicyRollouts.StreamAsync"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If a count is outside its range.</exception>
    /// <exception cref="ArgumentException">If the agent is not checkpointable.</exception>
    public async Task<PolicyRollouts> PolicyRolloutsAsync(IAgent agent, string id, int workers, int environmentsPerWorker, ulong seed = 0, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(id);
        if (workers is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "PolicyRolloutsAsync: workers must be in [1, 4096].");
        if (environmentsPerWorker is < 1 or > 65536)
            throw new ArgumentOutOfRangeException(nameof(environmentsPerWorker), environmentsPerWorker, "PolicyRolloutsAsync: environmentsPerWorker must be in [1, 65536].");
        var checkpointable = PolicyBytes.Checkpointable(agent, nameof(agent));
        if (!_catalog.Contains(id)) throw new KeyNotFoundException($"PolicyRolloutsAsync: no environment '{id}' in the learner's catalog.");
        string? optionsJson = WorkerEnvironments.ToJson(options);
        var specs = Enumerable.Range(0, workers).Select(w => new Wire.WorkerSpec(id, optionsJson, environmentsPerWorker, w * environmentsPerWorker, w)).ToArray();
        var rollouts = new PolicyRollouts(new PolicyWorkerGroup(_grains, $"policy-rollouts-{Guid.NewGuid():N}", workers, checkpointable, Options), specs, seed, Options);
        await rollouts.OpenAsync().ConfigureAwait(false);
        return rollouts;
    }

    /// <summary>
    /// An experience stream for asynchronous off-policy learning: <paramref name="workers"/> policy workers, each with
    /// <paramref name="environmentsPerWorker"/> environments of <paramref name="id"/> (reset with seed + global index),
    /// that act with the policy the learner publishes and stream segments of <paramref name="stepsPerSegment"/> steps
    /// into its replay buffer: <c>rl.Agents.Dqn(options).Fit(stream, Budget.Steps(50_000))</c>. The workers open when
    /// the learner first publishes.
    /// </summary>
    /// <param name="id">A catalog id such as "CartPole-v1", registered on the learner and on every silo.</param>
    /// <param name="workers">Policy workers, 1 to 4096.</param>
    /// <param name="environmentsPerWorker">Sub-environments each worker steps, 1 to 65536.</param>
    /// <param name="seed">The reset seed (default 0).</param>
    /// <param name="stepsPerSegment">Vector steps per segment (one message), 1 to 100 000 (default 32).</param>
    /// <param name="options">The environment's options record (it travels as JSON), or null for its defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a count is outside its range.</exception>
    /// <exception cref="KeyNotFoundException">If the learner's catalog does not know <paramref name="id"/>.</exception>
    /// <exception cref="NotSupportedException">If the environment's actions are neither Discrete nor Box.</exception>
    public ExperienceStream ExperienceStream(string id, int workers, int environmentsPerWorker, ulong seed = 0, int stepsPerSegment = 32, object? options = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (workers is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "ExperienceStream: workers must be in [1, 4096].");
        if (environmentsPerWorker is < 1 or > 65536)
            throw new ArgumentOutOfRangeException(nameof(environmentsPerWorker), environmentsPerWorker, "ExperienceStream: environmentsPerWorker must be in [1, 65536].");
        if (stepsPerSegment is < 1 or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(stepsPerSegment), stepsPerSegment, "ExperienceStream: stepsPerSegment must be in [1, 100000].");
        if (!_catalog.Contains(id)) throw new KeyNotFoundException($"ExperienceStream: no environment '{id}' in the learner's catalog.");
        using var prototype = _catalog.Make(id, options);
        if (prototype.ActionSpace is not (Spaces.Discrete or Spaces.Box))
            throw new NotSupportedException($"ExperienceStream: policy workers support Discrete and Box action spaces, not {prototype.ActionSpace.Description}.");
        string? optionsJson = WorkerEnvironments.ToJson(options);
        var specs = Enumerable.Range(0, workers).Select(w => new Wire.WorkerSpec(id, optionsJson, environmentsPerWorker, w * environmentsPerWorker, w)).ToArray();
        return new ExperienceStream(_grains, Options, specs, prototype.ObservationSpace, prototype.ActionSpace, seed, stepsPerSegment);
    }
}

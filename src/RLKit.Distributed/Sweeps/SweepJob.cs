using System.Globalization;

namespace RLKit.Distributed.Sweeps;

/// <summary>
/// One independent training run of a sweep: an algorithm (by registry name, e.g. "ppo") with options as JSON, on
/// <see cref="Environments"/> copies of a catalog environment, for <see cref="Steps"/> steps from <see cref="Seed"/>.
/// Its learning curve is written to <c>&lt;output&gt;/&lt;Name&gt;.csv</c>.
/// </summary>
/// <param name="Name">Unique within the sweep; letters, digits, '-', '_' and '.', at most 100 characters (it names the CSV file).</param>
/// <param name="Algorithm">A registered algorithm name such as "ppo" or "dqn".</param>
/// <param name="EnvironmentId">A catalog id such as "CartPole-v1", registered on every silo.</param>
/// <param name="Steps">The step budget, at least 1.</param>
/// <param name="Environments">Sub-environments of the run's local vector environment, 1 to 4096.</param>
/// <param name="Seed">The run's root seed (the context's, the environment's reset seed).</param>
/// <param name="OptionsJson">The algorithm's options as JSON (the form <c>rl.Agents.CreateFromJson</c> reads), or null for its defaults.</param>
public sealed record SweepJob(string Name, string Algorithm, string EnvironmentId, long Steps, int Environments = 1, ulong Seed = 0, string? OptionsJson = null)
{
    /// <summary>The CSV this job writes in <paramref name="outputDirectory"/>.</summary>
    public string OutputPath(string outputDirectory) => Path.Combine(outputDirectory, Name + ".csv");

    internal void Validate(string argument)
    {
        if (string.IsNullOrEmpty(Name) || Name.Length > 100 || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || Name.StartsWith('.'))
            throw new ArgumentException($"SweepJob.Name '{Name}' must be 1 to 100 characters of letters, digits, '-', '_' and '.', not starting with '.'.", argument);
        ArgumentException.ThrowIfNullOrWhiteSpace(Algorithm, argument);
        ArgumentException.ThrowIfNullOrWhiteSpace(EnvironmentId, argument);
        if (Steps < 1)
            throw new ArgumentOutOfRangeException(argument, Steps, $"SweepJob '{Name}': Steps must be at least 1.");
        if (Environments is < 1 or > 4096)
            throw new ArgumentOutOfRangeException(argument, Environments, $"SweepJob '{Name}': Environments must be in [1, 4096].");
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Algorithm} on {EnvironmentId} × {Environments}, {Steps} steps, seed {Seed}");
}

/// <summary>How a sweep job ended.</summary>
public enum SweepJobOutcome
{
    /// <summary>Its CSV was already in the output when the sweep started: not run again.</summary>
    AlreadyDone = 0,

    /// <summary>Run to completion in this sweep (possibly after being rescheduled).</summary>
    Completed = 1,
}

/// <summary>One job's record in a <see cref="SweepReport"/>.</summary>
/// <param name="Job">The job.</param>
/// <param name="Outcome">Whether it ran now or was found done.</param>
/// <param name="Attempts">How many times it was started (more than 1 when a silo died under it); 0 if already done.</param>
/// <param name="Silo">The silo whose run committed the CSV (empty if already done).</param>
public sealed record SweepJobResult(SweepJob Job, SweepJobOutcome Outcome, int Attempts, string Silo);

/// <summary>The result of <see cref="RLKitCluster.RunSweepAsync"/>, one entry per job in the order given.</summary>
/// <param name="Jobs">Each job's result.</param>
public sealed record SweepReport(IReadOnlyList<SweepJobResult> Jobs)
{
    /// <summary>Jobs started more than once because their silo died.</summary>
    public int Rescheduled => Jobs.Count(j => j.Attempts > 1);
}

using RLKit.Environments.Wrappers;
using RLKit.Training.Checkpoints;

namespace RLKit.Training.Callbacks;

/// <summary>
/// Saves the agent every <c>everySteps</c> environment steps to <c>{directory}/{prefix}_{steps}_steps.rlkit</c>
/// (Stable-Baselines3's <c>CheckpointCallback</c> naming) with <see cref="Checkpoint.Save"/>, which writes atomically,
/// so an interrupted run always leaves complete files. The agent must implement <see cref="ICheckpointable"/>.
/// </summary>
public sealed class CheckpointCallback : ITrainingCallback
{
    private readonly StepTrigger _trigger;
    private readonly Func<IReadOnlyDictionary<string, RunningStatistics>?>? _normalizers;
    private readonly List<string> _saved = [];

    /// <summary>Creates the callback; <paramref name="directory"/> is created if missing.</summary>
    /// <param name="everySteps">The interval in environment steps; at least 1.</param>
    /// <param name="directory">Where checkpoints go.</param>
    /// <param name="prefix">The file name prefix; defaults to the agent's algorithm name.</param>
    /// <param name="normalizers">Called at each save for normaliser statistics to store with the weights (e.g. from an ObservationNormalization wrapper).</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="everySteps"/> is less than 1.</exception>
    public CheckpointCallback(long everySteps, string directory, string? prefix = null,
                              Func<IReadOnlyDictionary<string, RunningStatistics>?>? normalizers = null)
    {
        _trigger = new StepTrigger(everySteps, nameof(everySteps));
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        Prefix = prefix;
        _normalizers = normalizers;
    }

    /// <summary>The full path of the checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>The file name prefix, or null for the algorithm name.</summary>
    public string? Prefix { get; }

    /// <summary>The files written so far, oldest first.</summary>
    public IReadOnlyList<string> SavedPaths => _saved;

    /// <summary>The last file written, or null.</summary>
    public string? LastPath => _saved.Count == 0 ? null : _saved[^1];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">If the agent does not implement <see cref="ICheckpointable"/>.</exception>
    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(control);
        if (!_trigger.ShouldFire(update.Steps)) return;
        if (control.Agent is not ICheckpointable agent)
            throw new InvalidOperationException(
                $"CheckpointCallback: the {control.Agent.Algorithm} agent ({control.Agent.GetType().Name}) does not implement ICheckpointable, so it cannot be saved.");
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, $"{Prefix ?? agent.Algorithm}_{update.Steps}_steps{Checkpoint.FileExtension}");
        Checkpoint.Save(agent, path, _normalizers?.Invoke(),
                        notes: new Dictionary<string, string> { ["steps"] = update.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _saved.Add(path);
    }
}

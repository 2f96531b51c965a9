using RLKit.Environments;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;

namespace RLKit.Training.Callbacks;

/// <summary>
/// Evaluates the agent every <c>everySteps</c> environment steps on its own environment (built once by the factory,
/// so training's environment is never disturbed) and, when given a path, saves the best agent so far
/// (Stable-Baselines3's <c>EvalCallback</c> with <c>best_model_save_path</c>).
/// </summary>
/// <remarks>
/// <see cref="StopAtThresholdCallback"/> and <see cref="StopOnNoImprovementCallback"/> can watch this callback's
/// evaluations; list this callback before them so they see an evaluation in the same update. Dispose the callback
/// (or let training end and dispose it yourself) to dispose its environment.
/// </remarks>
public sealed class EvaluationCallback : ITrainingCallback, IDisposable
{
    private readonly Func<IEnvironment> _environmentFactory;
    private readonly StepTrigger _trigger;
    private readonly List<(long Steps, EvaluationReport Report)> _history = [];
    private IEnvironment? _environment;
    private bool _disposed;

    /// <summary>Creates the callback.</summary>
    /// <param name="environmentFactory">Builds the evaluation environment (called once, at the first evaluation).</param>
    /// <param name="everySteps">The interval in environment steps; at least 1.</param>
    /// <param name="episodes">Episodes per evaluation; at least 1.</param>
    /// <param name="keepBest">A file to save the best agent to (it must implement <see cref="ICheckpointable"/>), or null.</param>
    /// <param name="deterministic">Evaluate the greedy policy (the default) or sample.</param>
    /// <param name="seed">Seeds the evaluation environment's first reset; later evaluations continue its random stream.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="everySteps"/> or <paramref name="episodes"/> is less than 1.</exception>
    public EvaluationCallback(Func<IEnvironment> environmentFactory, long everySteps, int episodes, string? keepBest = null,
                              bool deterministic = true, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(environmentFactory);
        _trigger = new StepTrigger(everySteps, nameof(everySteps));
        if (episodes < 1)
            throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "EvaluationCallback: episodes must be at least 1.");
        _environmentFactory = environmentFactory;
        Episodes = episodes;
        KeepBestPath = keepBest is null ? null : Path.GetFullPath(keepBest);
        Deterministic = deterministic;
        Seed = seed;
    }

    /// <summary>Episodes per evaluation.</summary>
    public int Episodes { get; }

    /// <summary>Where the best agent is saved, or null.</summary>
    public string? KeepBestPath { get; }

    /// <summary>Whether evaluation acts greedily.</summary>
    public bool Deterministic { get; }

    /// <summary>The evaluation environment's seed.</summary>
    public ulong Seed { get; }

    /// <summary>Every evaluation so far with the step count it was made at, oldest first.</summary>
    public IReadOnlyList<(long Steps, EvaluationReport Report)> History => _history;

    /// <summary>The number of evaluations so far.</summary>
    public int EvaluationCount => _history.Count;

    /// <summary>The latest evaluation, or null.</summary>
    public EvaluationReport? LastReport => _history.Count == 0 ? null : _history[^1].Report;

    /// <summary>The evaluation with the highest mean return so far, or null.</summary>
    public EvaluationReport? BestReport { get; private set; }

    /// <summary>The step count of <see cref="BestReport"/>.</summary>
    public long BestSteps { get; private set; }

    /// <summary>Raised after each evaluation with the step count and the report.</summary>
    public event Action<long, EvaluationReport>? Evaluated;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">If <see cref="KeepBestPath"/> is set and the agent does not implement <see cref="ICheckpointable"/>.</exception>
    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(control);
        if (!_trigger.ShouldFire(update.Steps)) return;
        ObjectDisposedException.ThrowIf(_disposed, this);
        _environment ??= _environmentFactory() ?? throw new InvalidOperationException("EvaluationCallback: the environment factory returned null.");
        var report = Evaluator.Evaluate(control.Agent, _environment, Episodes, Deterministic, seed: Seed);
        _history.Add((update.Steps, report));
        if (BestReport is null || report.MeanReturn > BestReport.MeanReturn)
        {
            BestReport = report;
            BestSteps = update.Steps;
            if (KeepBestPath is not null)
            {
                if (control.Agent is not ICheckpointable agent)
                    throw new InvalidOperationException(
                        $"EvaluationCallback: cannot keep the best model because the {control.Agent.Algorithm} agent ({control.Agent.GetType().Name}) does not implement ICheckpointable.");
                string? directory = Path.GetDirectoryName(KeepBestPath);
                if (directory is not null) Directory.CreateDirectory(directory);
                Checkpoint.Save(agent, KeepBestPath, notes: new Dictionary<string, string>
                {
                    ["steps"] = update.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["mean_return"] = report.MeanReturn.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }
        Evaluated?.Invoke(update.Steps, report);
    }

    /// <summary>Disposes the evaluation environment, if one was built.</summary>
    public void Dispose()
    {
        _disposed = true;
        _environment?.Dispose();
        _environment = null;
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Training;
using RLKit.Training.Evaluation;
using RLKit.Training.Logging;

namespace RLKit.Hosting;

/// <summary>
/// The entry point of RLKit, like ML.NET's <c>MLContext</c>: a seed, and catalogs to make environments
/// (<see cref="Environments"/>), compose agents (<see cref="Agents"/>), save and load them (<see cref="Model"/>),
/// <see cref="Evaluate(IAgent, string, int, bool, double?, ulong?, CancellationToken)"/> them, and a
/// <see cref="Log"/> event fed by training progress.
/// </summary>
/// <remarks>
/// <para>
/// Where the environments and algorithms come from: RLKit.Core knows no concrete environment or algorithm. Pass a
/// catalog and a registry to the constructor (<c>new RLContext(StandardEnvironments.CreateCatalog(), ClassicAlgorithms.CreateRegistry(), seed: 1)</c>),
/// use RLKit.Envs' <c>RLKitEnvs.CreateContext(seed)</c>, or resolve the context from
/// <c>services.AddRLKit(b =&gt; b.AddClassicAlgorithms().AddStandardEnvironments())</c>. What is not passed comes from the
/// <see cref="IRLKitModule"/>s of the packages deployed with the application (RLKit.Envs: the standard environments;
/// RLKit.Algorithms: the classic algorithms), so <c>new RLContext(seed)</c> has both when both packages are referenced.
/// </para>
/// <para>
/// Seeds, one rule: an explicit seed wins; otherwise the context's stream decides. Every component made without an
/// explicit seed takes the next value of a stream derived from <see cref="Seed"/> (<see cref="NextSeed"/>), so the same
/// seed and the same sequence of calls give the same numbers. For training that means: the algorithm's seed (network
/// initialisation, sampling) is the options' seed when it was set (<see cref="ISeedableOptions.IsSeedSet"/>), else the
/// context's next seed, also for a preset passed as is (<c>rl.Agents.Ppo(PpoOptions.CartPole)</c>); the environment's
/// seed is the one <c>Environments.MakeVector</c> reset it with (its <c>seed</c> argument, else the context's next seed),
/// which <c>Fit</c> keeps (<see cref="IVectorEnvironment.Seed"/>); an environment that was never reset with a seed is
/// reset with the algorithm's seed. The environment seed used is reported in every <see cref="TrainingUpdate"/>
/// (<see cref="TrainingUpdate.EnvironmentSeed"/>) and in the training log. Without a context, an unset options seed is 0.
/// </para>
/// </remarks>
public sealed class RLContext
{
    private long _seedCounter;

    /// <summary>Creates a context with the environments and algorithms of the deployed packages' <see cref="IRLKitModule"/>s.</summary>
    /// <param name="seed">The root of every seed the context hands out.</param>
    /// <param name="loggerFactory">Where <see cref="Progress"/> also logs (structured entries); null logs nowhere but <see cref="Log"/>.</param>
    public RLContext(ulong seed = 0, ILoggerFactory? loggerFactory = null)
        : this(environments: null, algorithms: null, seed, loggerFactory) { }

    /// <summary>Creates a context over the given environment catalog and algorithm registry.</summary>
    /// <param name="environments">The environments by id; null makes a catalog of the deployed modules' environments (on first use).</param>
    /// <param name="algorithms">
    /// The algorithms by name for <see cref="AgentCatalog.Create(string, object?)"/> and <see cref="ModelOperationsCatalog.Load(string)"/>;
    /// null takes a new <see cref="AlgorithmRegistry.CreateDefault"/>.
    /// </param>
    /// <param name="seed">The root of every seed the context hands out.</param>
    /// <param name="loggerFactory">Where <see cref="Progress"/> also logs; null logs nowhere but <see cref="Log"/>.</param>
    public RLContext(EnvironmentCatalog? environments, AlgorithmRegistry? algorithms = null, ulong seed = 0, ILoggerFactory? loggerFactory = null)
    {
        Seed = seed;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Environments = new EnvironmentOperationsCatalog(this, environments is null ? RLKitModules.CreateEnvironmentCatalog : () => environments);
        Agents = new AgentCatalog(this, algorithms ?? AlgorithmRegistry.CreateDefault());
        Model = new ModelOperationsCatalog(this);
    }

    /// <summary>The root seed.</summary>
    public ulong Seed { get; }

    /// <summary>The logger factory given to the constructor (or a null factory).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Makes environments by id.</summary>
    public EnvironmentOperationsCatalog Environments { get; }

    /// <summary>Creates estimators (algorithm packages add extension methods such as <c>Ppo()</c>).</summary>
    public AgentCatalog Agents { get; }

    /// <summary>Saves and loads agents.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>
    /// Messages from the context: training progress reported through <see cref="Progress"/> (with the typed
    /// <see cref="TrainingUpdate"/>) and model saves and loads. Raised on the thread that produced the message.
    /// </summary>
    public event EventHandler<LoggingEventArgs>? Log;

    /// <summary>The next seed of the context's stream (SplitMix64 over <see cref="Seed"/> and a call counter; thread-safe).</summary>
    public ulong NextSeed()
    {
        ulong z = Seed + (ulong)Interlocked.Increment(ref _seedCounter) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A progress sink for <c>Fit</c> that raises <see cref="Log"/>, logs structured entries to the context's
    /// <see cref="LoggerFactory"/> (category "RLKit.Training"), and forwards every update to <paramref name="next"/>.
    /// </summary>
    /// <param name="next">Another progress sink (a progress bar, say) that sees every update; may be null.</param>
    /// <param name="everyUpdates">Log one update in this many (the final report always); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="everyUpdates"/> is less than 1.</exception>
    public IProgress<TrainingUpdate> Progress(IProgress<TrainingUpdate>? next = null, int everyUpdates = 1)
    {
        if (everyUpdates < 1)
            throw new ArgumentOutOfRangeException(nameof(everyUpdates), everyUpdates, "Progress: everyUpdates must be at least 1.");
        return new ContextProgress(this, new LoggingProgress(LoggerFactory.CreateLogger("RLKit.Training"), everyUpdates), next, everyUpdates);
    }

    /// <summary>
    /// Runs <paramref name="agent"/> for <paramref name="episodes"/> whole episodes on <paramref name="environment"/> and
    /// reports mean, std, min, max, lengths, success rate and, with a threshold, whether it is solved.
    /// </summary>
    /// <param name="agent">The policy.</param>
    /// <param name="environment">The environment (not disposed).</param>
    /// <param name="episodes">At least 1.</param>
    /// <param name="deterministic">Act greedily (the policy's mode) rather than sampling.</param>
    /// <param name="solvedThreshold">When given, the report says whether the mean return reached it.</param>
    /// <param name="seed">Seeds the first reset and sampling; null takes the context's next seed.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public EvaluationReport Evaluate(IAgent agent, IEnvironment environment, int episodes = 10, bool deterministic = true,
                                     double? solvedThreshold = null, ulong? seed = null, CancellationToken cancellationToken = default) =>
        Evaluator.Evaluate(agent, environment, episodes, deterministic, solvedThreshold, seed ?? NextSeed(), cancellationToken);

    /// <summary>Makes environment <paramref name="environmentId"/>, evaluates <paramref name="agent"/> on it, and disposes it.</summary>
    /// <exception cref="KeyNotFoundException">If the id is unknown; the message lists the known ids.</exception>
    public EvaluationReport Evaluate(IAgent agent, string environmentId, int episodes = 10, bool deterministic = true,
                                     double? solvedThreshold = null, ulong? seed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        using var environment = Environments.Make(environmentId);
        return Evaluate(agent, environment, episodes, deterministic, solvedThreshold, seed, cancellationToken);
    }

    internal void WriteLog(LogLevel level, string source, string message, TrainingUpdate? update = null) =>
        Log?.Invoke(this, new LoggingEventArgs(message, level, source, update));

    private sealed class ContextProgress(RLContext context, LoggingProgress logger, IProgress<TrainingUpdate>? next, int everyUpdates)
        : IProgress<TrainingUpdate>
    {
        public void Report(TrainingUpdate value)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.IsFinal || value.Updates % everyUpdates == 0)
            {
                if (context.Log is not null)
                    context.WriteLog(LogLevel.Information, value.Algorithm, new TrainingLogEntry(value).ToString(), value);
                logger.Report(value);
            }
            next?.Report(value);
        }
    }
}

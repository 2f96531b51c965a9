using System.Text.Json;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// What a resumed <c>Fit</c> needs, besides the weights and the optimizer state, to continue bit for bit where the
/// last one stopped: the step, episode and update counts (so budgets and step-based schedules such as DQN's ε go on
/// from there), the algorithm's own counters, the state of its random generators, and tensors such as the target
/// networks and the environment's last observations. The off-policy estimators (DQN, soft Q-learning, SAC, discrete
/// SAC, TD3, DDPG) write it at the end of <c>Fit</c>; the agent carries it
/// (<see cref="IResumableAgent.TrainingState"/>) and <see cref="Checkpoint"/> saves and loads it with the agent.
/// </summary>
/// <remarks>
/// It is opaque on purpose: only the estimator that wrote it reads its parts. A state whose parts do not fit the
/// resuming estimator (another algorithm, other network sizes) is refused with an exception that names the part.
/// </remarks>
public sealed class TrainingState
{
    /// <summary>The prefix of the state's tensors in a checkpoint file; weight names may not start with it.</summary>
    internal const string TensorPrefix = "__training__.";

    internal TrainingState(long steps, long episodes, long updates, EpisodeStatisticsState statistics,
                           IReadOnlyDictionary<string, long> counters, IReadOnlyDictionary<string, RandomGeneratorState> generators,
                           IReadOnlyDictionary<string, Tensor> tensors)
    {
        Steps = steps;
        Episodes = episodes;
        Updates = updates;
        Statistics = statistics;
        Counters = counters;
        Generators = generators;
        Tensors = tensors;
    }

    /// <summary>Environment steps trained so far, over every <c>Fit</c> of this training run.</summary>
    public long Steps { get; }

    /// <summary>Episodes completed so far, over every <c>Fit</c> of this training run.</summary>
    public long Episodes { get; }

    /// <summary>Updates reported so far, over every <c>Fit</c> of this training run.</summary>
    public long Updates { get; }

    /// <summary>The running and recent episodes of the monitor, so progress reports and reward thresholds go on.</summary>
    internal EpisodeStatisticsState Statistics { get; }

    /// <summary>The algorithm's counters by name (e.g. "updates", "vector_steps").</summary>
    internal IReadOnlyDictionary<string, long> Counters { get; }

    /// <summary>The random generators' states by name (e.g. "rng").</summary>
    internal IReadOnlyDictionary<string, RandomGeneratorState> Generators { get; }

    /// <summary>Persistent tensors by name (e.g. "q_target.0.weight", "observations").</summary>
    internal IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>The counter <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">If the state has no such counter (it was written by another algorithm).</exception>
    internal long Counter(string name) =>
        Counters.TryGetValue(name, out long value) ? value : throw Missing($"counter '{name}'");

    /// <summary>Sets <paramref name="rng"/> to the saved state of generator <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">If the state has no such generator.</exception>
    internal void RestoreGenerator(string name, RandomGenerator rng)
    {
        if (!Generators.TryGetValue(name, out var state)) throw Missing($"random generator '{name}'");
        rng.State = state;
    }

    /// <summary>The tensor <paramref name="name"/>, or null when the state has none.</summary>
    internal Tensor? TensorOrNull(string name) => Tensors.GetValueOrDefault(name);

    /// <summary>Loads the tensors saved under "<paramref name="prefix"/>." into <paramref name="module"/> (e.g. a target network).</summary>
    /// <exception cref="InvalidOperationException">If they are missing or do not fit the module; the message names the module and the problem.</exception>
    internal void LoadModule(string prefix, Module module)
    {
        string dotted = prefix + ".";
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in Tensors)
            if (name.StartsWith(dotted, StringComparison.Ordinal)) state.Add(name[dotted.Length..], tensor);
        if (state.Count == 0) throw Missing($"network '{prefix}'");
        try
        {
            module.LoadStateDict(state);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"The training state's network '{prefix}' does not fit this {module.GetType().Name}: {e.Message} {StartFreshHint}", e);
        }
    }

    /// <summary>The module's state under "<paramref name="prefix"/>.", as entries for a state's tensors.</summary>
    internal static IEnumerable<KeyValuePair<string, Tensor>> ModuleTensors(string prefix, Module module) =>
        module.StateDict().Select(entry => KeyValuePair.Create($"{prefix}.{entry.Key}", entry.Value));

    private const string StartFreshHint = "Set the agent's TrainingState to null to warm-start without resuming.";

    private static InvalidOperationException Missing(string what) =>
        new($"The training state has no {what}: it was written by another algorithm or another version of it. {StartFreshHint}");

    // ------------------------------------------------------------------------------------------------------------
    // Checkpoint form: the scalars as JSON in the metadata, the tensors under TensorPrefix.
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>The JSON the checkpoint metadata stores; the tensors are stored beside it.</summary>
    internal JsonElement ToJson() => JsonSerializer.SerializeToElement(new TrainingStateJson
    {
        Steps = Steps,
        Episodes = Episodes,
        Updates = Updates,
        Statistics = Statistics,
        Counters = Counters,
        Generators = Generators.ToDictionary(g => g.Key, g => (GeneratorJson?)new GeneratorJson(g.Value)),
        TensorNames = [.. Tensors.Keys],
    }, Checkpoint.JsonOptions);

    /// <summary>Reads the JSON of <see cref="ToJson"/>, taking the tensors it names from <paramref name="tensors"/>.</summary>
    /// <exception cref="InvalidDataException">If the JSON is malformed or inconsistent, or names a tensor that is not there.</exception>
    internal static TrainingState FromJson(JsonElement json, Func<string, Tensor?> tensors)
    {
        TrainingStateJson parsed;
        try
        {
            parsed = json.Deserialize<TrainingStateJson>(Checkpoint.OptionsReadingJson) ?? throw new InvalidDataException("the training state is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the training state cannot be read: {e.Message}", e);
        }
        if (parsed.Steps < 0 || parsed.Episodes < 0 || parsed.Updates < 0)
            throw new InvalidDataException($"the training state has negative counts (steps {parsed.Steps}, episodes {parsed.Episodes}, updates {parsed.Updates}).");
        var statistics = parsed.Statistics ?? throw new InvalidDataException("the training state has no episode statistics.");
        statistics.Validate();
        var generators = new Dictionary<string, RandomGeneratorState>(StringComparer.Ordinal);
        foreach (var (name, generator) in parsed.Generators ?? new Dictionary<string, GeneratorJson?>())
        {
            if (generator is null || (generator.S0 | generator.S1 | generator.S2 | generator.S3) == 0 || !double.IsFinite(generator.SpareNormal))
                throw new InvalidDataException($"the training state's random generator '{name}' has an impossible state.");
            generators.Add(name, generator.ToState());
        }
        var stored = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in parsed.TensorNames ?? [])
        {
            var tensor = tensors(name) ?? throw new InvalidDataException($"the training state lists tensor '{name}' but the file holds no such tensor.");
            if (!stored.TryAdd(name, tensor)) throw new InvalidDataException($"the training state lists tensor '{name}' twice.");
        }
        return new TrainingState(parsed.Steps, parsed.Episodes, parsed.Updates, statistics,
                                 new Dictionary<string, long>(parsed.Counters ?? new Dictionary<string, long>(), StringComparer.Ordinal), generators, stored);
    }

    private sealed class TrainingStateJson
    {
        public long Steps { get; init; }
        public long Episodes { get; init; }
        public long Updates { get; init; }
        public EpisodeStatisticsState? Statistics { get; init; }
        public IReadOnlyDictionary<string, long>? Counters { get; init; }
        public IReadOnlyDictionary<string, GeneratorJson?>? Generators { get; init; }
        public IReadOnlyList<string>? TensorNames { get; init; }
    }

    private sealed class GeneratorJson
    {
        public GeneratorJson() { }

        public GeneratorJson(RandomGeneratorState state) =>
            (S0, S1, S2, S3, HasSpareNormal, SpareNormal) = (state.S0, state.S1, state.S2, state.S3, state.HasSpareNormal, state.SpareNormal);

        public ulong S0 { get; init; }
        public ulong S1 { get; init; }
        public ulong S2 { get; init; }
        public ulong S3 { get; init; }
        public bool HasSpareNormal { get; init; }
        public double SpareNormal { get; init; }

        public RandomGeneratorState ToState() => new(S0, S1, S2, S3, HasSpareNormal, SpareNormal);
    }
}

/// <summary>
/// The episode bookkeeping of a <see cref="TrainingMonitor"/> that outlives a <c>Fit</c>: the return and length of every
/// sub-environment's unfinished episode and the recent finished ones (oldest first).
/// </summary>
internal sealed record EpisodeStatisticsState(double[] RunningReturns, int[] RunningLengths, double[] RecentReturns, int[] RecentLengths)
{
    /// <exception cref="InvalidDataException">If the arrays are missing, of unequal pairs, or hold impossible values.</exception>
    public void Validate()
    {
        if (RunningReturns is null || RunningLengths is null || RecentReturns is null || RecentLengths is null
            || RunningReturns.Length != RunningLengths.Length || RecentReturns.Length != RecentLengths.Length)
            throw new InvalidDataException("the training state's episode statistics are incomplete (returns and lengths must pair up).");
        if (RunningReturns.Any(r => !double.IsFinite(r)) || RecentReturns.Any(r => !double.IsFinite(r))
            || RunningLengths.Any(l => l < 0) || RecentLengths.Any(l => l < 1))
            throw new InvalidDataException("the training state's episode statistics hold a non-finite return or an impossible length.");
    }
}

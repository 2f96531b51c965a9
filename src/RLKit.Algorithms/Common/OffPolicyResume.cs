using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Common;

/// <summary>
/// How every off-policy <c>Fit</c> begins and ends so that the next one resumes it bit for bit: the replay buffer is
/// the initial agent's when it kept one, the counts, counters and random generators continue from the initial agent's
/// <see cref="TrainingState"/>, and the environment continues where the last <c>Fit</c> left it when it is that very
/// environment, still running; otherwise it is reset.
/// </summary>
/// <remarks>
/// A resumed run with the same environment, the replay buffer and the training state reproduces, bit for bit, one
/// uninterrupted <c>Fit</c> of the summed budgets (the step budget of each <c>Fit</c> counts its own steps; the
/// schedules run over the whole run). Given a fresh environment it is reset with seed <c>Seed + steps trained</c>,
/// so resuming in a new process is reproducible too, and the buffer's unfinished episodes are marked truncated.
/// </remarks>
internal static class OffPolicyResume
{
    /// <summary>The name of the environment's observations in the training state, by which a continued environment is recognised.</summary>
    private const string ObservationsKey = "observations";

    /// <summary>
    /// The buffer to train with: <paramref name="kept"/> (the initial agent's) when there is one, which must have the
    /// layout and options this <c>Fit</c> would create, else a new buffer.
    /// </summary>
    /// <exception cref="ArgumentException">If the kept buffer does not fit; the message names each difference.</exception>
    public static ReplayBuffer Buffer(ReplayBuffer? kept, int observationSize, ActionLayout actions, ReplayBufferOptions options, string algorithm)
    {
        if (kept is null) return new ReplayBuffer(observationSize, actions, options);
        var problems = new List<string>();
        if (kept.ObservationSize != observationSize) problems.Add($"observation size {kept.ObservationSize}, not {observationSize}");
        if (kept.Actions != actions) problems.Add($"{kept.Actions} actions, not {actions}");
        if (kept.Options != options) problems.Add($"options {kept.Options}, not {options}");
        if (problems.Count > 0)
            throw new ArgumentException(
                $"{algorithm}: the initial agent's replay buffer does not fit this Fit: it has {string.Join("; ", problems)}. " +
                "Set the agent's ReplayBuffer to null to start with an empty one.", "initialAgent");
        return kept;
    }

    /// <summary>
    /// Starts collection. Without a <paramref name="state"/>: resets the environment with its own seed if it has one, else
    /// <paramref name="seed"/> (<see cref="TrainingMonitor.ResetEnvironment"/>). With one: restores the
    /// <paramref name="generators"/>, continues the monitor's counts, and continues the environment if it is still
    /// running where the state stopped, else resets it with that seed + steps. Whenever the environment is
    /// reset, the buffer's newest transitions are marked truncated (their episodes were cut).
    /// </summary>
    /// <exception cref="InvalidOperationException">If the state lacks a generator (it was written by another algorithm).</exception>
    public static void Begin(IVectorEnvironment environment, TrainingMonitor monitor, TrainingState? state, ulong seed, ReplayBuffer buffer,
                             params ReadOnlySpan<(string Name, RandomGenerator Generator)> generators)
    {
        if (state is null)
        {
            monitor.ResetEnvironment(environment, seed);
            buffer.TruncateNewestTransitions();
            return;
        }
        foreach (var (name, generator) in generators) state.RestoreGenerator(name, generator);
        bool continues = !environment.NeedsReset && SameValues(environment.Observations, state.TensorOrNull(ObservationsKey));
        monitor.Resume(state, continueEpisodes: continues);
        if (continues)
        {
            monitor.SelectEnvironmentSeed(environment, seed);
            return;
        }
        monitor.ResetEnvironment(environment, seed, offset: (ulong)state.Steps);
        buffer.TruncateNewestTransitions();
    }

    /// <summary>Loads each of <paramref name="networks"/> (target networks) from <paramref name="state"/>, when there is one.</summary>
    /// <exception cref="InvalidOperationException">If the state lacks one or it does not fit; the message names it.</exception>
    public static void LoadNetworks(TrainingState? state, IEnumerable<(string Prefix, Module Module)> networks)
    {
        if (state is null) return;
        foreach (var (prefix, module) in networks) state.LoadModule(prefix, module);
    }

    /// <summary>
    /// What the next <c>Fit</c> needs to resume this one: the monitor's counts, the algorithm's
    /// <paramref name="counters"/>, the <paramref name="generators"/>' states, the <paramref name="networks"/> (target
    /// networks) and <paramref name="tensors"/> (noise processes), and the environment's current observations.
    /// </summary>
    public static TrainingState Capture(TrainingMonitor monitor, IVectorEnvironment environment,
                                        IEnumerable<(string Name, long Value)> counters,
                                        IEnumerable<(string Name, RandomGenerator Generator)> generators,
                                        IEnumerable<(string Prefix, Module Module)> networks,
                                        IEnumerable<(string Name, Tensor Tensor)>? tensors = null) =>
        Capture(monitor, counters, generators, networks, (tensors ?? []).Append((ObservationsKey, environment.Observations)));

    /// <summary>
    /// <see cref="Capture(TrainingMonitor, IVectorEnvironment, IEnumerable{ValueTuple{string, long}}, IEnumerable{ValueTuple{string, RandomGenerator}}, IEnumerable{ValueTuple{string, Module}}, IEnumerable{ValueTuple{string, Tensor}}?)"/>
    /// without an environment (learning from an experience source): a local <c>Fit</c> resuming from it resets its environment.
    /// </summary>
    public static TrainingState Capture(TrainingMonitor monitor,
                                        IEnumerable<(string Name, long Value)> counters,
                                        IEnumerable<(string Name, RandomGenerator Generator)> generators,
                                        IEnumerable<(string Prefix, Module Module)> networks,
                                        IEnumerable<(string Name, Tensor Tensor)>? tensors = null)
    {
        var all = networks.SelectMany(n => TrainingState.ModuleTensors(n.Prefix, n.Module))
            .Concat((tensors ?? []).Select(t => KeyValuePair.Create(t.Name, t.Tensor)));
        return monitor.CaptureTrainingState(counters.Select(c => KeyValuePair.Create(c.Name, c.Value)),
                                            generators.Select(g => KeyValuePair.Create(g.Name, g.Generator)), all);
    }

    /// <summary>
    /// Runs <paramref name="load"/>, a warm start's loading of the initial agent's parts (weights, optimizer state,
    /// training state), and reports a part that does not fit as an <see cref="ArgumentException"/> naming
    /// "initialAgent", with the part's own message (the local <c>Fit</c> leaves those exceptions as they are).
    /// </summary>
    /// <exception cref="ArgumentException">If a part does not fit.</exception>
    public static T FromInitialAgent<T>(string algorithm, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (ArgumentException e) when (e.ParamName == "initialAgent")
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The part's own parameter name ("state") would only mislead next to "initialAgent".
            string reason = e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            throw new ArgumentException($"{algorithm}: the initial agent does not fit this Fit: {reason}", "initialAgent", e);
        }
    }

    /// <inheritdoc cref="FromInitialAgent{T}"/>
    public static void FromInitialAgent(string algorithm, Action load) => FromInitialAgent(algorithm, () => { load(); return true; });

    private static bool SameValues(Tensor current, Tensor? saved) =>
        saved is not null && current.Shape.SequenceEqual(saved.Shape) && current.AsReadOnlySpan().SequenceEqual(saved.AsReadOnlySpan());
}

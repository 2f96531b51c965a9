using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Training.Evaluation;

/// <summary>
/// Runs an agent for whole episodes on a single environment and summarises the returns: the "evaluate the trained
/// policy" step every RL paper reports (SB3's <c>evaluate_policy</c>).
/// </summary>
public static class Evaluator
{
    /// <summary>The info key an environment sets to <c>true</c> on an episode's final step when the episode succeeded.</summary>
    public const string SuccessInfoKey = "success";

    /// <summary>
    /// Runs <paramref name="agent"/> for <paramref name="episodes"/> complete episodes on <paramref name="env"/>, one
    /// observation at a time, and reports the return and length statistics.
    /// </summary>
    /// <param name="agent">The policy. Its observation size must match the environment's.</param>
    /// <param name="env">
    /// The environment, reset with <paramref name="seed"/> before the first episode and then continuing its random
    /// stream. It must end its episodes (e.g. through a TimeLimit, as every catalog environment does).
    /// </param>
    /// <param name="episodes">How many episodes to run; at least 1.</param>
    /// <param name="deterministic">Act with the policy's mode (greedy) rather than sampling.</param>
    /// <param name="solvedThreshold">When given, <see cref="EvaluationReport.Solved"/> says whether the mean return reached it.</param>
    /// <param name="seed">Seeds the environment's first reset and the agent's sampling when not deterministic.</param>
    /// <param name="cancellationToken">Stops between steps with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="episodes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">If the agent's and environment's observation sizes differ, or the action spaces are of different kinds (or action lists of different lengths).</exception>
    /// <exception cref="NotSupportedException">If the action space is neither Discrete, ActionSet, ActionList, MultiDiscrete nor Box.</exception>
    /// <remarks>
    /// On an <see cref="ActionSet"/> or <see cref="ActionList"/> space an <see cref="IActionSetAgent"/> is handed the
    /// environment's current availability every step; other agents act without it. ActionList actions (the list's
    /// length in ids) step through <see cref="IEnvironment.Step(ReadOnlySpan{int})"/>.
    /// </remarks>
    public static EvaluationReport Evaluate(IAgent agent, IEnvironment env, int episodes, bool deterministic = true,
                                            double? solvedThreshold = null, ulong seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(env);
        var actionKind = CheckArguments(agent, env.ObservationSpace, env.ActionSpace, episodes, solvedThreshold, $"the environment '{env.Id}'", nameof(env));
        int observationSize = env.ObservationSpace.FlatSize;

        var returns = new double[episodes];
        var lengths = new int[episodes];
        int successes = 0;
        bool successReported = false;
        var rng = deterministic ? null : new RandomGenerator(seed);

        // Everything the step loop touches is allocated once here; the agent's forward pass runs in a per-step
        // scope so its intermediate tensors go back to the engine's pool.
        var observation = Tensor.Zeros(1, observationSize);
        int[] discreteAction = new int[actionKind is ActionKind.MultiDiscrete or ActionKind.ActionList ? env.ActionSpace.FlatSize : 1];
        var setAgent = AvailabilityAgent(agent, env.ActionSpace);
        float[] continuousAction = new float[actionKind == ActionKind.Box ? env.ActionSpace.FlatSize : 0];

        for (int episode = 0; episode < episodes; episode++)
        {
            var reset = env.Reset(episode == 0 ? seed : null);
            CopyObservation(reset.Observation, observation, env);
            double episodeReturn = 0;
            int length = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (TensorScope.Begin())
                {
                    if (actionKind == ActionKind.Box) agent.Act(observation, continuousAction, deterministic, rng);
                    // Read every step through the environment's own space: wrappers forward it and availability changes.
                    else if (setAgent is not null) setAgent.Act(observation, Universe(env.ActionSpace)!.Available, discreteAction, deterministic, rng);
                    else agent.Act(observation, discreteAction, deterministic, rng);
                }
                var step = actionKind switch
                {
                    ActionKind.Box => env.Step(continuousAction),
                    ActionKind.MultiDiscrete or ActionKind.ActionList => env.Step((ReadOnlySpan<int>)discreteAction),
                    _ => env.Step(discreteAction[0]),
                };
                episodeReturn += step.Reward;
                length++;
                if (step.Done)
                {
                    if (step.Info.TryGetValue(SuccessInfoKey, out var success))
                    {
                        successReported = true;
                        if (success is true) successes++;
                    }
                    break;
                }
                CopyObservation(step.Observation, observation, env);
            }
            returns[episode] = episodeReturn;
            lengths[episode] = length;
        }

        return Report(returns, lengths, successReported ? successes : null, solvedThreshold);
    }

    /// <summary>
    /// Runs <paramref name="agent"/> for <paramref name="episodes"/> complete episodes spread over the copies of
    /// <paramref name="environment"/>, acting on all copies' observations in one batched call per step, and reports
    /// the return and length statistics. Much faster than the single-environment overload for network policies: one
    /// forward pass of <c>Count</c> rows replaces <c>Count</c> single-row passes.
    /// </summary>
    /// <param name="agent">The policy. Its observation size must match the environment's.</param>
    /// <param name="environment">
    /// The copies, reset once with <paramref name="seed"/> (copy i gets seed + i) and then continuing their random
    /// streams through autoreset (either <see cref="AutoresetMode"/>). Every copy must end its episodes.
    /// </param>
    /// <param name="episodes">
    /// How many episodes to run; at least 1. Copy i runs a fixed quota, ⌊episodes / Count⌋ plus one for the first
    /// episodes mod Count copies (so at most ⌈episodes / Count⌉ each and exactly <paramref name="episodes"/> in all);
    /// episodes a copy starts beyond its quota are ignored. The report lists episodes by copy, then in order within a copy.
    /// </param>
    /// <param name="deterministic">Act with the policy's mode (greedy) rather than sampling.</param>
    /// <param name="solvedThreshold">When given, <see cref="EvaluationReport.Solved"/> says whether the mean return reached it.</param>
    /// <param name="seed">Seeds the environment's reset and the agent's sampling when not deterministic.</param>
    /// <param name="cancellationToken">Stops between steps with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="episodes"/> is less than 1 or the threshold is NaN.</exception>
    /// <exception cref="ArgumentException">If the agent's and environment's observation sizes differ, or the action spaces are of different kinds (or action lists of different lengths).</exception>
    /// <exception cref="NotSupportedException">If the action space is neither Discrete, ActionSet, ActionList, MultiDiscrete nor Box.</exception>
    /// <remarks>
    /// On an <see cref="ActionSet"/> or <see cref="ActionList"/> space an <see cref="IActionSetAgent"/> is handed the
    /// copies' <see cref="IVectorEnvironment.ActionMasks"/> every step; other agents act without them. ActionList
    /// actions are Count × list length ids, row-major.
    /// </remarks>
    public static EvaluationReport Evaluate(IAgent agent, IVectorEnvironment environment, int episodes, bool deterministic = true,
                                            double? solvedThreshold = null, ulong seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        var actionKind = CheckArguments(agent, environment.SingleObservationSpace, environment.SingleActionSpace, episodes, solvedThreshold,
                                        "the vector environment", nameof(environment));
        int observationSize = environment.SingleObservationSpace.FlatSize;

        int count = environment.Count;
        var quota = new int[count];
        var offset = new int[count];
        for (int i = 0, start = 0; i < count; i++)
        {
            quota[i] = episodes / count + (i < episodes % count ? 1 : 0);
            offset[i] = start;
            start += quota[i];
        }
        var done = new int[count];
        var running = new double[count];
        var runningLength = new int[count];
        // Under NextStep the step after an episode's end only resets that copy (reward 0): it belongs to no episode.
        var resetting = new bool[count];
        bool nextStep = environment.AutoresetMode == AutoresetMode.NextStep;

        var returns = new double[episodes];
        var lengths = new int[episodes];
        int successes = 0, finished = 0;
        bool successReported = false;
        var rng = deterministic ? null : new RandomGenerator(seed);
        int actionWidth = actionKind == ActionKind.Discrete ? 1 : environment.SingleActionSpace.FlatSize;
        int[] discreteActions = actionKind == ActionKind.Box ? [] : new int[count * actionWidth];
        var setAgent = AvailabilityAgent(agent, environment.SingleActionSpace);
        float[] continuousActions = actionKind == ActionKind.Box ? new float[count * actionWidth] : [];

        var observations = environment.Reset(seed).Observations;
        while (finished < episodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (observations.Size != count * observationSize)
                throw new InvalidOperationException(
                    $"Evaluate: the vector environment returned observations of size {observations.Size}; {count} copies of {environment.SingleObservationSpace} make {count * observationSize}.");
            using (TensorScope.Begin())
            {
                if (actionKind == ActionKind.Box) agent.Act(observations, continuousActions, deterministic, rng);
                else if (setAgent is not null) setAgent.Act(observations, environment.ActionMasks, discreteActions, deterministic, rng);
                else agent.Act(observations, discreteActions, deterministic, rng);
            }
            var step = actionKind == ActionKind.Box ? environment.Step(continuousActions) : environment.Step(discreteActions);
            for (int i = 0; i < count; i++)
            {
                if (resetting[i])
                {
                    resetting[i] = false;
                    continue;
                }
                if (done[i] >= quota[i]) continue;
                running[i] += step.Rewards[i];
                runningLength[i]++;
                if (!step.Done(i)) continue;
                int slot = offset[i] + done[i];
                returns[slot] = running[i];
                lengths[slot] = runningLength[i];
                var info = nextStep || step.FinalInfos is null ? step.Infos[i] : step.FinalInfos[i];
                if (info.TryGetValue(SuccessInfoKey, out var success))
                {
                    successReported = true;
                    if (success is true) successes++;
                }
                running[i] = 0;
                runningLength[i] = 0;
                done[i]++;
                finished++;
                resetting[i] = nextStep;
            }
            observations = step.Observations;
        }

        return Report(returns, lengths, successReported ? successes : null, solvedThreshold);
    }

    /// <summary>The statistics of finished episodes; <paramref name="successes"/> is null when no episode reported success.</summary>
    private static EvaluationReport Report(double[] returns, int[] lengths, int? successes, double? solvedThreshold)
    {
        double mean = returns.Average();
        double variance = returns.Sum(r => (r - mean) * (r - mean)) / returns.Length;
        return new EvaluationReport(
            MeanReturn: mean,
            StdReturn: Math.Sqrt(variance),
            MinReturn: returns.Min(),
            MaxReturn: returns.Max(),
            MeanLength: lengths.Average(),
            Lengths: Array.AsReadOnly(lengths),
            Returns: Array.AsReadOnly(returns),
            SuccessRate: successes is { } count ? count / (double)returns.Length : null,
            Solved: solvedThreshold is { } threshold ? mean >= threshold : null);
    }

    private static void CopyObservation(ReadOnlySpan<float> source, Tensor destination, IEnvironment env)
    {
        if (source.Length != destination.Size)
            throw new InvalidOperationException(
                $"Evaluate: the environment '{env.Id}' returned an observation of size {source.Length}; its space {env.ObservationSpace} says {destination.Size}.");
        source.CopyTo(destination.AsSpan());
    }

    private enum ActionKind { Discrete, MultiDiscrete, ActionList, Box }

    /// <summary>The agent as an <see cref="IActionSetAgent"/> when it should see availability in <paramref name="actionSpace"/>; null otherwise.</summary>
    private static IActionSetAgent? AvailabilityAgent(IAgent agent, Space actionSpace) =>
        agent is IActionSetAgent setAgent && Universe(actionSpace) is not null ? setAgent : null;

    /// <summary>The action set whose availability an agent chooses under: the space itself, or an ActionList's items.</summary>
    private static ActionSet? Universe(Space space) => space switch
    {
        ActionSet set => set,
        ActionList list => list.Items,
        _ => null,
    };

    /// <summary>Validates what both overloads take and returns the action kind; <paramref name="environmentName"/> names the environment in messages.</summary>
    private static ActionKind CheckArguments(IAgent agent, Space observationSpace, Space actionSpace, int episodes, double? solvedThreshold,
                                             string environmentName, string parameterName)
    {
        if (episodes < 1)
            throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "Evaluate: episodes must be at least 1.");
        if (solvedThreshold is { } t && double.IsNaN(t))
            throw new ArgumentOutOfRangeException(nameof(solvedThreshold), t, "Evaluate: solvedThreshold must be a number (or null).");
        if (agent.ObservationSpace.FlatSize != observationSpace.FlatSize)
            throw new ArgumentException(
                $"Evaluate: the agent expects observations of size {agent.ObservationSpace.FlatSize} ({agent.ObservationSpace}), " +
                $"but {environmentName} produces size {observationSpace.FlatSize} ({observationSpace}).", parameterName);
        var actionKind = KindOf(actionSpace);
        // Lists of different lengths would write the wrong number of ids.
        if (KindOf(agent.ActionSpace) != actionKind || (actionKind == ActionKind.ActionList && actionSpace.FlatSize != agent.ActionSpace.FlatSize))
            throw new ArgumentException($"Evaluate: the agent acts in {agent.ActionSpace} but {environmentName} expects {actionSpace}.", parameterName);
        return actionKind;
    }

    private static ActionKind KindOf(Space space) => space switch
    {
        Discrete or ActionSet => ActionKind.Discrete,
        MultiDiscrete => ActionKind.MultiDiscrete,
        ActionList => ActionKind.ActionList,
        Box => ActionKind.Box,
        _ => throw new NotSupportedException($"Evaluate: the action space {space} is not supported (Discrete, ActionSet, ActionList, MultiDiscrete or Box)."),
    };
}

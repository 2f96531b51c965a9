using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Training;

/// <summary>
/// <c>agent.Predict(observation)</c>: one call from a plain float array to an action, like Stable-Baselines3's
/// <c>predict</c>, for every <see cref="IAgent"/>. Observations are flattened row-major floats (what an environment's
/// <c>Step</c> returns); a span holding several observations back to back is a batch. Greedy by default; pass
/// <c>deterministic: false</c> (and optionally a generator) to sample as the agent explores.
/// </summary>
/// <remarks>
/// The observations are copied into a pooled tensor inside a <see cref="TensorScope"/> and handed to
/// <see cref="IAgent.Act(Tensor, Span{int}, bool, RandomGenerator?)"/>: a call allocates no float buffers in steady state,
/// only the small objects acting always makes (tensor headers and shapes).
/// Discrete agents (Discrete and ActionSet spaces) return action ids; continuous agents (Box spaces) write
/// action-size floats per observation.
/// </remarks>
public static class AgentPrediction
{
    /// <param name="agent">The agent to act with.</param>
    extension(IAgent agent)
    {
        /// <summary>The discrete action for one observation.</summary>
        /// <param name="observation">One observation: <c>ObservationSpace.FlatSize</c> finite floats.</param>
        /// <param name="deterministic">Take the greedy action (default) or sample.</param>
        /// <param name="rng">Drives sampling; the agent's own generator when null.</param>
        /// <exception cref="ArgumentException">If the observation has the wrong length or is not finite; the message names the expected length or the culprit.</exception>
        /// <exception cref="NotSupportedException">If the agent's actions are continuous; use the <c>Span&lt;float&gt;</c> overload.</exception>
        public int Predict(ReadOnlySpan<float> observation, bool deterministic = true, RandomGenerator? rng = null)
        {
            Span<int> action = stackalloc int[1];
            PredictDiscrete(agent, observation, action, deterministic, rng, single: true);
            return action[0];
        }

        /// <summary>The discrete actions for a batch of observations, written into <paramref name="actions"/> (one per observation).</summary>
        /// <param name="observations">N observations back to back: N × <c>ObservationSpace.FlatSize</c> finite floats, N ≥ 1.</param>
        /// <param name="actions">Receives the N actions.</param>
        /// <param name="deterministic">Take the greedy actions (default) or sample.</param>
        /// <param name="rng">Drives sampling; the agent's own generator when null.</param>
        /// <exception cref="ArgumentException">If a length does not fit or an observation is not finite; the message names the expected lengths or the culprit.</exception>
        /// <exception cref="NotSupportedException">If the agent's actions are continuous.</exception>
        public void Predict(ReadOnlySpan<float> observations, Span<int> actions, bool deterministic = true, RandomGenerator? rng = null) =>
            PredictDiscrete(agent, observations, actions, deterministic, rng, single: false);

        /// <summary>
        /// The continuous actions for one observation or a batch, written into <paramref name="actions"/>
        /// (<c>ActionSpace.FlatSize</c> floats per observation, in the action box).
        /// </summary>
        /// <param name="observations">N observations back to back: N × <c>ObservationSpace.FlatSize</c> finite floats, N ≥ 1.</param>
        /// <param name="actions">Receives N × <c>ActionSpace.FlatSize</c> floats.</param>
        /// <param name="deterministic">Take the greedy actions (default) or sample.</param>
        /// <param name="rng">Drives sampling; the agent's own generator when null.</param>
        /// <exception cref="ArgumentException">If a length does not fit or an observation is not finite; the message names the expected lengths or the culprit.</exception>
        /// <exception cref="NotSupportedException">If the agent's actions are discrete; use the <c>Span&lt;int&gt;</c> overload or the one returning an int.</exception>
        public void Predict(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic = true, RandomGenerator? rng = null)
        {
            ArgumentNullException.ThrowIfNull(agent);
            if (agent.ActionSpace is not Box box)
                throw new NotSupportedException(
                    $"Predict: the {agent.Algorithm} agent acts in {agent.ActionSpace}, not a Box; use Predict(observation) for one action id or the Span<int> overload for a batch.");
            int count = CheckObservations(agent, observations, nameof(observations), single: false);
            int actionSize = box.FlatSize;
            if (actions.Length != count * actionSize)
                throw new ArgumentException(
                    $"Predict: actions must hold {actionSize} floats per observation, {count * actionSize} for {count} observation{(count == 1 ? "" : "s")}; got {actions.Length}.", nameof(actions));
            using var scope = TensorScope.Begin();
            agent.Act(Tensor.FromSpan(observations, count, agent.ObservationSpace.FlatSize), actions, deterministic, rng);
        }
    }

    private static void PredictDiscrete(IAgent agent, ReadOnlySpan<float> observations, Span<int> actions, bool deterministic, RandomGenerator? rng, bool single)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent.ActionSpace is not (Discrete or ActionSet))
            throw new NotSupportedException(
                $"Predict: the {agent.Algorithm} agent acts in {agent.ActionSpace}, not a Discrete or ActionSet space; use the Span<float> overload for continuous actions.");
        string parameter = single ? "observation" : nameof(observations);
        int count = CheckObservations(agent, observations, parameter, single);
        if (actions.Length != count)
            throw new ArgumentException($"Predict: actions must hold one id per observation, {count}; got {actions.Length}.", nameof(actions));
        using var scope = TensorScope.Begin();
        agent.Act(Tensor.FromSpan(observations, count, agent.ObservationSpace.FlatSize), actions, deterministic, rng);
    }

    // The number of observations in the span, after checking its length and that every value is finite.
    private static int CheckObservations(IAgent agent, ReadOnlySpan<float> observations, string parameter, bool single)
    {
        int size = agent.ObservationSpace.FlatSize;
        if (single ? observations.Length != size : observations.Length == 0 || observations.Length % size != 0)
            throw new ArgumentException(
                single
                    ? $"Predict: the {agent.Algorithm} agent reads observations of {size} floats ({agent.ObservationSpace}); got {observations.Length}."
                    : $"Predict: observations must be a whole number (≥ 1) of observations of {size} floats ({agent.ObservationSpace}); got {observations.Length} floats.",
                parameter);
        ObservationChecks.RequireFinite(observations, size, "Predict", parameter);
        return observations.Length / size;
    }
}

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
/// Discrete agents (Discrete and ActionSet spaces) return action ids; action-list agents (ActionList spaces) write
/// the list's length in ids per observation; continuous agents (Box spaces) write action-size floats per observation.
/// An <see cref="IActionSetAgent"/> can be told which actions are available with the overload taking an availability
/// span; the others act as if every action were available.
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
        /// <exception cref="NotSupportedException">If the agent's actions are continuous (use the <c>Span&lt;float&gt;</c> overload) or action lists (use the <c>Span&lt;int&gt;</c> overload).</exception>
        public int Predict(ReadOnlySpan<float> observation, bool deterministic = true, RandomGenerator? rng = null)
        {
            ArgumentNullException.ThrowIfNull(agent);
            if (agent.ActionSpace is ActionList list)
                throw new NotSupportedException(
                    $"Predict: the {agent.Algorithm} agent acts in {list}, whose actions are {list.Length} ids; use the Span<int> overload.");
            Span<int> action = stackalloc int[1];
            PredictDiscrete(agent, observation, action, deterministic, rng, single: true);
            return action[0];
        }

        /// <summary>
        /// The discrete actions for a batch of observations, written into <paramref name="actions"/> (one id per
        /// observation; for an ActionList, the list's length in ids per observation, row-major).
        /// </summary>
        /// <param name="observations">N observations back to back: N × <c>ObservationSpace.FlatSize</c> finite floats, N ≥ 1.</param>
        /// <param name="actions">Receives the N actions (N × list length ids for an ActionList).</param>
        /// <param name="deterministic">Take the greedy actions (default) or sample.</param>
        /// <param name="rng">Drives sampling; the agent's own generator when null.</param>
        /// <exception cref="ArgumentException">If a length does not fit or an observation is not finite; the message names the expected lengths or the culprit.</exception>
        /// <exception cref="NotSupportedException">If the agent's actions are continuous.</exception>
        public void Predict(ReadOnlySpan<float> observations, Span<int> actions, bool deterministic = true, RandomGenerator? rng = null) =>
            PredictDiscrete(agent, observations, actions, deterministic, rng, single: false);

        /// <summary>
        /// The actions of an <see cref="IActionSetAgent"/> for a batch of observations, each chosen among the actions
        /// <paramref name="availability"/> marks available: one id per observation for an ActionSet, the list's length in
        /// ids per observation (row-major) for an ActionList.
        /// </summary>
        /// <param name="observations">N observations back to back: N × <c>ObservationSpace.FlatSize</c> finite floats, N ≥ 1.</param>
        /// <param name="availability">Row-major [N, universe size]: which actions each observation's row may take (e.g. <c>ActionSet.Available</c> for one observation, a vector environment's <c>ActionMasks</c> for a batch).</param>
        /// <param name="actions">Receives N ids (ActionSet) or N × list length ids (ActionList).</param>
        /// <param name="deterministic">Take the greedy actions (default) or sample.</param>
        /// <param name="rng">Drives sampling; the agent's own generator when null.</param>
        /// <exception cref="ArgumentException">If a length does not fit or an observation is not finite; the message names the expected lengths or the culprit.</exception>
        /// <exception cref="NotSupportedException">If the agent is not an <see cref="IActionSetAgent"/> or its action space is neither an ActionSet nor an ActionList.</exception>
        public void Predict(ReadOnlySpan<float> observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic = true, RandomGenerator? rng = null)
        {
            ArgumentNullException.ThrowIfNull(agent);
            if (agent is not IActionSetAgent setAgent || agent.ActionSpace is not (ActionSet or ActionList))
                throw new NotSupportedException(
                    $"Predict: availability is read only by an IActionSetAgent acting in an ActionSet or ActionList; the {agent.Algorithm} agent ({agent.GetType().Name}) acts in {agent.ActionSpace}.");
            int count = CheckObservations(agent, observations, nameof(observations), single: false);
            int width = ActionWidth(agent.ActionSpace);
            if (actions.Length != count * width)
                throw new ArgumentException(
                    $"Predict: actions must hold {width} id{(width == 1 ? "" : "s")} per observation, {count * width} for {count} observation{(count == 1 ? "" : "s")}; got {actions.Length}.", nameof(actions));
            int universe = agent.ActionSpace is ActionList list ? list.Items.Count : ((ActionSet)agent.ActionSpace).Count;
            if (availability.Length != count * universe)
                throw new ArgumentException(
                    $"Predict: availability must hold {universe} flags (the action universe of {agent.ActionSpace}) per observation, {count * universe} for {count} observation{(count == 1 ? "" : "s")}; got {availability.Length}.", nameof(availability));
            using var scope = TensorScope.Begin();
            setAgent.Act(Tensor.FromSpan(observations, count, agent.ObservationSpace.FlatSize), availability, actions, deterministic, rng);
        }

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
        if (agent.ActionSpace is not (Discrete or ActionSet or ActionList))
            throw new NotSupportedException(
                $"Predict: the {agent.Algorithm} agent acts in {agent.ActionSpace}, not a Discrete, ActionSet or ActionList space; use the Span<float> overload for continuous actions.");
        string parameter = single ? "observation" : nameof(observations);
        int count = CheckObservations(agent, observations, parameter, single);
        int width = ActionWidth(agent.ActionSpace);
        if (actions.Length != count * width)
            throw new ArgumentException(
                width == 1
                    ? $"Predict: actions must hold one id per observation, {count}; got {actions.Length}."
                    : $"Predict: actions must hold {width} ids per observation (a list of {agent.ActionSpace}), {count * width} for {count} observation{(count == 1 ? "" : "s")}; got {actions.Length}.",
                nameof(actions));
        using var scope = TensorScope.Begin();
        agent.Act(Tensor.FromSpan(observations, count, agent.ObservationSpace.FlatSize), actions, deterministic, rng);
    }

    // Ids per observation: a list's length, else one.
    private static int ActionWidth(Space actionSpace) => actionSpace is ActionList list ? list.Length : 1;

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

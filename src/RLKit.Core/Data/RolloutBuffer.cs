using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Data;

/// <summary>
/// On-policy storage of a [steps, envs] rollout (observations, actions, log-probabilities, values, rewards,
/// terminated, truncated, and the value of the final observation of truncated steps), generalised advantage
/// estimation, and shuffled minibatch epochs into reusable tensors.
/// </summary>
/// <remarks>
/// <para>Row t holds the transition each environment made at step t, so rows must be real transitions: collect with
/// SameStep autoreset, where the row after an episode end starts the new episode (a NextStep reset step is not a
/// transition, and a [steps, envs] grid cannot leave it out for one environment). Observations, values and rewards
/// must be finite.</para>
/// <para>Truncation bootstraps. At a truncated step the advantage uses the value of the episode's true final
/// observation, δ_t = r_t + γ·V(final_obs_t) − V(s_t), supplied through <c>finalValues</c> in <c>Add</c>; at a
/// terminated step δ_t = r_t − V(s_t). The GAE recursion never crosses an episode boundary
/// (see <see cref="Data.Returns.Gae"/>).</para>
/// <para>A step is added either whole (<c>Add</c>) or in two parts around the environment step, so the observation goes
/// straight from the vector environment into the buffer: <see cref="AddObservations"/> before stepping (s_t, and the
/// action masks for a <see cref="ActionLayout.MaskedDiscrete"/> layout), then <c>CompleteStep</c> with what the step
/// produced.</para>
/// <para>Adding and iterating allocate nothing after construction (a minibatch size's tensors are created on first
/// use). Not thread-safe.</para>
/// </remarks>
public sealed class RolloutBuffer
{
    private readonly float[] _observations;
    private readonly bool[] _actionMasks;
    private readonly int[] _discreteActions;
    private readonly float[] _continuousActions;
    private readonly float[] _logProbs;
    private readonly float[] _values;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly float[] _finalValues;
    private readonly float[] _advantages;
    private readonly float[] _returns;
    private readonly int[] _permutation;
    private RolloutMinibatch? _fullMinibatch;
    private RolloutMinibatch? _remainderMinibatch;
    private bool _returnsComputed;
    private bool _observationsPending;
    private int _epoch;

    /// <summary>Creates a buffer for <paramref name="stepCount"/> steps of <paramref name="envCount"/> environments.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If a size is &lt; 1 or the storage would not fit in an array.</exception>
    public RolloutBuffer(int stepCount, int envCount, int observationSize, ActionLayout actions)
    {
        if (stepCount < 1) throw new ArgumentOutOfRangeException(nameof(stepCount), stepCount, "stepCount must be ≥ 1.");
        if (envCount < 1) throw new ArgumentOutOfRangeException(nameof(envCount), envCount, "envCount must be ≥ 1.");
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "observationSize must be ≥ 1.");
        if (actions.Size < 1)
            throw new ArgumentException("actions must be created with ActionLayout.Discrete or ActionLayout.Continuous.", nameof(actions));
        long capacity = (long)stepCount * envCount;
        if (capacity * Math.Max(observationSize, actions.Size) > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(stepCount), $"stepCount × envCount × observationSize exceeds the largest array.");
        StepCount = stepCount;
        EnvCount = envCount;
        ObservationSize = observationSize;
        Actions = actions;
        int n = (int)capacity;
        _observations = new float[n * observationSize];
        _actionMasks = actions.IsMasked ? new bool[n * actions.ActionCount] : [];
        _discreteActions = actions.IsDiscrete ? new int[n] : [];
        _continuousActions = actions.IsDiscrete ? [] : new float[n * actions.Size];
        _logProbs = new float[n];
        _values = new float[n];
        _rewards = new float[n];
        _terminated = new bool[n];
        _truncated = new bool[n];
        _finalValues = new float[n];
        _advantages = new float[n];
        _returns = new float[n];
        _permutation = new int[n];
    }

    /// <summary>Steps per rollout.</summary>
    public int StepCount { get; }

    /// <summary>Environments per step.</summary>
    public int EnvCount { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>How actions are stored.</summary>
    public ActionLayout Actions { get; }

    /// <summary>Steps added since the last <see cref="Reset"/>.</summary>
    public int Position { get; private set; }

    /// <summary>Whether <see cref="StepCount"/> steps were added.</summary>
    public bool IsFull => Position == StepCount;

    /// <summary>Transitions stored: Position × EnvCount.</summary>
    public int Count => Position * EnvCount;

    /// <summary>Rewards of the stored steps, [Position × EnvCount].</summary>
    public ReadOnlySpan<float> Rewards => _rewards.AsSpan(0, Count);

    /// <summary>Critic values of the stored steps, [Position × EnvCount].</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count);

    /// <summary>Advantages from the last <see cref="ComputeReturnsAndAdvantages"/>, [Position × EnvCount] (not normalised).</summary>
    public ReadOnlySpan<float> Advantages => _advantages.AsSpan(0, Count);

    /// <summary>Value targets from the last <see cref="ComputeReturnsAndAdvantages"/>, [Position × EnvCount].</summary>
    public ReadOnlySpan<float> Returns => _returns.AsSpan(0, Count);

    /// <summary>Adds one step of every environment with discrete actions.</summary>
    /// <param name="observations">s_t, [EnvCount × ObservationSize].</param>
    /// <param name="actions">a_t, [EnvCount].</param>
    /// <param name="logProbs">log π(a_t | s_t) at collection, [EnvCount].</param>
    /// <param name="values">V(s_t), [EnvCount].</param>
    /// <param name="rewards">r_t, [EnvCount], finite.</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <param name="finalValues">V(final observation), [EnvCount], read where truncated and not terminated; may be empty when no step is truncated.</param>
    /// <exception cref="InvalidOperationException">If the buffer is full, actions are continuous or the layout is masked (use <see cref="AddObservations"/>).</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, ReadOnlySpan<float> logProbs, ReadOnlySpan<float> values,
                    ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> finalValues = default)
    {
        AddObservations(observations);
        CompleteStep(actions, logProbs, values, rewards, terminated, truncated, finalValues);
    }

    /// <summary>Adds one step of every environment with continuous actions.</summary>
    /// <param name="observations">s_t, [EnvCount × ObservationSize].</param>
    /// <param name="actions">a_t, [EnvCount × action size], finite.</param>
    /// <param name="logProbs">log π(a_t | s_t) at collection, [EnvCount].</param>
    /// <param name="values">V(s_t), [EnvCount].</param>
    /// <param name="rewards">r_t, [EnvCount], finite.</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <param name="finalValues">V(final observation), [EnvCount], read where truncated and not terminated; may be empty when no step is truncated.</param>
    /// <exception cref="InvalidOperationException">If the buffer is full or actions are discrete.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, ReadOnlySpan<float> logProbs, ReadOnlySpan<float> values,
                    ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> finalValues = default)
    {
        AddObservations(observations);
        CompleteStep(actions, logProbs, values, rewards, terminated, truncated, finalValues);
    }

    /// <summary>
    /// Writes the first part of the next step, before the environment steps: s_t of every environment and, for a
    /// <see cref="ActionLayout.MaskedDiscrete"/> layout, the masks the actions will be chosen under. The step counts
    /// once <c>CompleteStep</c> adds the rest; calling this again first overwrites the pending observations.
    /// </summary>
    /// <param name="observations">s_t, [EnvCount × ObservationSize], finite.</param>
    /// <param name="actionMasks">Available actions, [EnvCount × ActionCount]; required for a masked layout, empty otherwise.</param>
    /// <exception cref="InvalidOperationException">If the buffer is full.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length, an observation is not finite, or a mask row offers no action.</exception>
    public void AddObservations(ReadOnlySpan<float> observations, ReadOnlySpan<bool> actionMasks = default)
    {
        RequireRoom();
        DataGuard.Length(observations, EnvCount, ObservationSize, nameof(observations), "EnvCount", "observation size");
        DataGuard.FiniteBulk(observations, nameof(observations));
        int first = Position * EnvCount;
        if (Actions.IsMasked)
        {
            int width = Actions.ActionCount;
            DataGuard.Length(actionMasks, EnvCount, width, nameof(actionMasks), "EnvCount", "action count");
            for (int e = 0; e < EnvCount; e++)
                if (!actionMasks.Slice(e * width, width).Contains(true))
                    throw new ArgumentException($"actionMasks row {e} offers no action; every step needs at least one available action.", nameof(actionMasks));
            actionMasks.CopyTo(_actionMasks.AsSpan(first * width, EnvCount * width));
        }
        else if (actionMasks.Length != 0)
        {
            throw new ArgumentException($"This buffer stores {Actions} actions without masks; create it with ActionLayout.MaskedDiscrete to keep them.", nameof(actionMasks));
        }
        observations.CopyTo(_observations.AsSpan(first * ObservationSize, EnvCount * ObservationSize));
        _observationsPending = true;
    }

    /// <summary>Completes the step begun by <see cref="AddObservations"/> with discrete actions.</summary>
    /// <param name="actions">a_t, [EnvCount].</param>
    /// <param name="logProbs">log π(a_t | s_t) at collection, [EnvCount].</param>
    /// <param name="values">V(s_t), [EnvCount].</param>
    /// <param name="rewards">r_t, [EnvCount], finite.</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <param name="finalValues">V(final observation), [EnvCount], read where truncated and not terminated; may be empty when no step is truncated.</param>
    /// <exception cref="InvalidOperationException">If no observations are pending or actions are continuous.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void CompleteStep(ReadOnlySpan<int> actions, ReadOnlySpan<float> logProbs, ReadOnlySpan<float> values,
                             ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> finalValues = default)
    {
        if (!Actions.IsDiscrete)
            throw new InvalidOperationException($"This buffer stores {Actions} actions; pass float action vectors.");
        RequirePendingObservations();
        DataGuard.Length(actions, EnvCount, nameof(actions), "one action per environment");
        DataGuard.DiscreteActions(actions, Actions.ActionCount, nameof(actions));
        ValidateCommon(logProbs, values, rewards, terminated, truncated, finalValues);
        actions.CopyTo(_discreteActions.AsSpan(Position * EnvCount, EnvCount));
        WriteCommon(logProbs, values, rewards, terminated, truncated, finalValues);
    }

    /// <summary>Completes the step begun by <see cref="AddObservations"/> with continuous actions.</summary>
    /// <param name="actions">a_t, [EnvCount × action size], finite.</param>
    /// <param name="logProbs">log π(a_t | s_t) at collection, [EnvCount].</param>
    /// <param name="values">V(s_t), [EnvCount].</param>
    /// <param name="rewards">r_t, [EnvCount], finite.</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <param name="finalValues">V(final observation), [EnvCount], read where truncated and not terminated; may be empty when no step is truncated.</param>
    /// <exception cref="InvalidOperationException">If no observations are pending or actions are discrete.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void CompleteStep(ReadOnlySpan<float> actions, ReadOnlySpan<float> logProbs, ReadOnlySpan<float> values,
                             ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> finalValues = default)
    {
        if (Actions.IsDiscrete)
            throw new InvalidOperationException($"This buffer stores {Actions} actions; pass integer actions.");
        RequirePendingObservations();
        int actionFloats = EnvCount * Actions.Size;
        DataGuard.Length(actions, EnvCount, Actions.Size, nameof(actions), "EnvCount", "action size");
        DataGuard.Finite(actions, nameof(actions));
        ValidateCommon(logProbs, values, rewards, terminated, truncated, finalValues);
        actions.CopyTo(_continuousActions.AsSpan(Position * actionFloats, actionFloats));
        WriteCommon(logProbs, values, rewards, terminated, truncated, finalValues);
    }

    /// <summary>
    /// Computes GAE advantages and value targets over the stored steps (see <see cref="Data.Returns.Gae"/>): truncated
    /// steps bootstrap from their final observation's value, terminated steps do not bootstrap.
    /// </summary>
    /// <param name="lastValues">V of the observation after the last stored step, [EnvCount].</param>
    /// <param name="gamma">Discount γ in [0, 1].</param>
    /// <param name="lambda">GAE λ in [0, 1] (1 = Monte-Carlo returns, 0 = one-step TD).</param>
    /// <exception cref="InvalidOperationException">If no step was added.</exception>
    /// <exception cref="ArgumentException">If <paramref name="lastValues"/> has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If γ or λ is outside [0, 1].</exception>
    public void ComputeReturnsAndAdvantages(ReadOnlySpan<float> lastValues, float gamma, float lambda)
    {
        if (Position == 0)
            throw new InvalidOperationException("The rollout buffer is empty; add steps before computing advantages.");
        DataGuard.Length(lastValues, EnvCount, nameof(lastValues), "one value per environment");
        DataGuard.Finite(lastValues, nameof(lastValues));
        int n = Count;
        Data.Returns.Gae(_rewards.AsSpan(0, n), _values.AsSpan(0, n), _terminated.AsSpan(0, n), _truncated.AsSpan(0, n),
                         _finalValues.AsSpan(0, n), lastValues, gamma, lambda, _advantages.AsSpan(0, n), _returns.AsSpan(0, n));
        _returnsComputed = true;
    }

    /// <summary>
    /// Starts one epoch: shuffles the flat indices (step × env) with <paramref name="rng"/> and returns the minibatches
    /// to enumerate, each filled into tensors reused from epoch to epoch. Starting a new epoch invalidates the previous
    /// enumeration.
    /// </summary>
    /// <param name="minibatchSize">Rows per minibatch, in [1, Count].</param>
    /// <param name="rng">The generator of the shuffle.</param>
    /// <param name="normalizeAdvantages">Standardise advantages within each minibatch of more than one row: (A − mean) / (std + 1e-8), with the unbiased std.</param>
    /// <exception cref="InvalidOperationException">If advantages were not computed since the last Add.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="minibatchSize"/> is outside [1, Count].</exception>
    public RolloutMinibatches Minibatches(int minibatchSize, RandomGenerator rng, bool normalizeAdvantages = false)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!_returnsComputed)
            throw new InvalidOperationException("Call ComputeReturnsAndAdvantages after the last Add and before iterating minibatches.");
        if (minibatchSize < 1 || minibatchSize > Count)
            throw new ArgumentOutOfRangeException(nameof(minibatchSize), minibatchSize, $"minibatchSize must be in [1, {Count}] (the stored steps × envs).");
        var permutation = _permutation.AsSpan(0, Count);
        for (int i = 0; i < permutation.Length; i++) permutation[i] = i;
        rng.Shuffle(permutation);
        _epoch++;
        return new RolloutMinibatches(this, minibatchSize, normalizeAdvantages, _epoch);
    }

    /// <summary>Empties the buffer for the next rollout (storage is kept).</summary>
    public void Reset()
    {
        Position = 0;
        _returnsComputed = false;
        _observationsPending = false;
        _epoch++;
    }

    [MethodImpl(HotPath.Optimized)]
    internal RolloutMinibatch FillMinibatch(int epoch, int start, int size, bool normalizeAdvantages)
    {
        if (epoch != _epoch || !_returnsComputed)
            throw new InvalidOperationException("The rollout buffer changed or a new epoch started; this minibatch enumeration is no longer valid.");
        ref RolloutMinibatch? slot = ref (_fullMinibatch is null || _fullMinibatch.Size == size ? ref _fullMinibatch : ref _remainderMinibatch);
        if (slot is null || slot.Size != size) slot = new RolloutMinibatch(size, ObservationSize, Actions);
        var batch = slot;

        var indices = _permutation.AsSpan(start, size);
        indices.CopyTo(batch.IndicesStorage);
        var observations = batch.Observations.AsSpan();
        var logProbs = batch.OldLogProbs.AsSpan();
        var values = batch.OldValues.AsSpan();
        var advantages = batch.Advantages.AsSpan();
        var returns = batch.Returns.AsSpan();
        var actions = batch.Actions.AsSpan();
        int obsSize = ObservationSize;
        int actionSize = Actions.Size;
        for (int b = 0; b < size; b++)
        {
            int i = indices[b];
            _observations.AsSpan(i * obsSize, obsSize).CopyTo(observations.Slice(b * obsSize, obsSize));
            if (Actions.IsDiscrete)
            {
                batch.ActionIndicesStorage[b] = _discreteActions[i];
                actions[b] = _discreteActions[i];
            }
            else
            {
                _continuousActions.AsSpan(i * actionSize, actionSize).CopyTo(actions.Slice(b * actionSize, actionSize));
            }
            logProbs[b] = _logProbs[i];
            values[b] = _values[i];
            advantages[b] = _advantages[i];
            returns[b] = _returns[i];
        }
        if (Actions.IsMasked)
        {
            int width = Actions.ActionCount;
            var masks = batch.ActionMasksStorage;
            for (int b = 0; b < size; b++)
                _actionMasks.AsSpan(indices[b] * width, width).CopyTo(masks.Slice(b * width, width));
        }
        if (normalizeAdvantages && size > 1) Data.Returns.Standardize(advantages);
        return batch;
    }

    private void RequireRoom()
    {
        if (Position == StepCount)
            throw new InvalidOperationException($"The rollout buffer is full ({StepCount} steps); call Reset before adding the next rollout.");
    }

    private void RequirePendingObservations()
    {
        if (!_observationsPending)
            throw new InvalidOperationException("CompleteStep needs the step's observations first: call AddObservations before stepping the environment.");
    }

    private void ValidateCommon(ReadOnlySpan<float> logProbs, ReadOnlySpan<float> values, ReadOnlySpan<float> rewards,
                                ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> finalValues)
    {
        DataGuard.Length(logProbs, EnvCount, nameof(logProbs), "one value per environment");
        DataGuard.Length(values, EnvCount, nameof(values), "one value per environment");
        DataGuard.Length(rewards, EnvCount, nameof(rewards), "one reward per environment");
        DataGuard.Length(terminated, EnvCount, nameof(terminated), "one flag per environment");
        DataGuard.Length(truncated, EnvCount, nameof(truncated), "one flag per environment");
        DataGuard.Finite(rewards, nameof(rewards));
        DataGuard.Finite(values, nameof(values));
        bool needsFinalValues = false;
        for (int e = 0; e < EnvCount; e++) needsFinalValues |= truncated[e] && !terminated[e];
        if (finalValues.Length == 0)
        {
            if (needsFinalValues)
                throw new ArgumentException("finalValues is required when a step is truncated (and not terminated): truncation bootstraps from V(final observation).", nameof(finalValues));
        }
        else
        {
            DataGuard.Length(finalValues, EnvCount, nameof(finalValues), "one value per environment");
            for (int e = 0; e < EnvCount; e++)
                if (truncated[e] && !terminated[e] && !float.IsFinite(finalValues[e]))
                    throw new ArgumentException($"finalValues[{e}] = {finalValues[e]}: the value of a truncated step's final observation must be finite.", nameof(finalValues));
        }
    }

    private void WriteCommon(ReadOnlySpan<float> logProbs, ReadOnlySpan<float> values, ReadOnlySpan<float> rewards,
                             ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated, ReadOnlySpan<float> finalValues)
    {
        int first = Position * EnvCount;
        logProbs.CopyTo(_logProbs.AsSpan(first, EnvCount));
        values.CopyTo(_values.AsSpan(first, EnvCount));
        rewards.CopyTo(_rewards.AsSpan(first, EnvCount));
        terminated.CopyTo(_terminated.AsSpan(first, EnvCount));
        truncated.CopyTo(_truncated.AsSpan(first, EnvCount));
        var finalSlots = _finalValues.AsSpan(first, EnvCount);
        if (finalValues.Length == 0) finalSlots.Clear();
        else finalValues.CopyTo(finalSlots);
        Position++;
        _observationsPending = false;
        _returnsComputed = false;
        _epoch++;
    }
}

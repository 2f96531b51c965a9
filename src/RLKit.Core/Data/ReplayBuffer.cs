using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Data;

/// <summary>
/// A preallocated circular store of transitions (s, a, r, s′, terminated, truncated) for off-policy algorithms, filled
/// by one environment or by a vector of <see cref="ReplayBufferOptions.EnvCount"/> environments at a time, sampled
/// uniformly or by priority, with optional n-step returns.
/// </summary>
/// <remarks>
/// <para>Storage is [rows, envs]: each <c>Add</c> writes one row (one transition per environment), overwriting the
/// oldest row once the buffer is full. Slot indices (<see cref="ReplayBatch.Indices"/>) are row · EnvCount + env.
/// Adding and sampling allocate nothing after construction (the first <see cref="Sample"/> of a given batch size
/// allocates its <see cref="ReplayBatch"/>).</para>
/// <para>A row is added either whole (<c>Add</c>) or in two parts around the environment step, so the observation goes
/// straight from the vector environment into the buffer: <see cref="AddObservations"/> before stepping, then
/// <c>CompleteStep</c> with what the step produced (sampling in between is refused, as the row is half-written).</para>
/// <para>Next observations: pass the true next observation of every transition, as a vector step's
/// <c>NextObservations</c> gives it. When a step ends an episode and the vector environment resets in the same step,
/// that is the final observation, not the reset one: truncated transitions bootstrap from it, terminated ones do not bootstrap at all. Collect vector environments
/// with SameStep autoreset: a NextStep reset step is not a transition, and one <c>Add</c> stores every environment.
/// Observations, next observations and rewards must be finite.</para>
/// <para>n-step returns are computed when sampling, by walking forward along the same environment's column: the
/// window of a transition t holds m ≤ n transitions and ends early after a transition that terminated or was truncated,
/// or at the newest stored transition. The batch then holds Σ_{k&lt;m} γ^k r_{t+k}, the next observation of the m-th
/// transition (for truncation, its final observation), Dones = whether that transition terminated, and
/// Discounts = γ^m. Targets are <c>Rewards + Discounts · (1 − Dones) · V(NextObservations)</c>.</para>
/// <para>Sampling is with replacement and deterministic for a given generator state. Not thread-safe.</para>
/// <para><see cref="Save"/> and <see cref="Load"/> keep a buffer on disk (like Stable-Baselines3's
/// <c>save_replay_buffer</c>), so off-policy training can resume with the transitions it had collected.</para>
/// </remarks>
public sealed partial class ReplayBuffer
{
    private readonly int _rows;
    private readonly int _envCount;
    private readonly float[] _observations;
    private readonly float[] _nextObservations;
    private readonly int[] _discreteActions;
    private readonly float[] _continuousActions;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly PriorityTree? _priorities;
    private readonly PrioritizedReplayOptions? _priorityOptions;
    private double _maxPriority = 1.0;
    private long _sampleCalls;
    private int _position;
    private int _filledRows;
    private bool _observationsPending;
    private ReplayBatch? _batch;

    /// <summary>Creates a buffer and allocates all its storage.</summary>
    /// <param name="observationSize">Floats per observation (flattened), ≥ 1.</param>
    /// <param name="actions">How actions are stored.</param>
    /// <param name="options">Capacity, env count, n-step, prioritization; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="observationSize"/> or an option is out of range.</exception>
    public ReplayBuffer(int observationSize, ActionLayout actions, ReplayBufferOptions? options = null)
    {
        options ??= new ReplayBufferOptions();
        options.Validate();
        if (observationSize < 1)
            throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "observationSize must be ≥ 1.");
        if (actions.Size < 1)
            throw new ArgumentException("actions must be created with ActionLayout.Discrete or ActionLayout.Continuous.", nameof(actions));
        Options = options;
        ObservationSize = observationSize;
        Actions = actions;
        _envCount = options.EnvCount;
        _rows = options.Capacity / options.EnvCount;
        Capacity = _rows * _envCount;
        long observationFloats = (long)Capacity * observationSize;
        if (observationFloats > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(options), $"Capacity {Capacity} × observationSize {observationSize} exceeds the largest array.");
        _observations = new float[observationFloats];
        _nextObservations = new float[observationFloats];
        _discreteActions = actions.IsDiscrete ? new int[Capacity] : [];
        _continuousActions = actions.IsDiscrete ? [] : new float[(long)Capacity * actions.Size];
        _rewards = new float[Capacity];
        _terminated = new bool[Capacity];
        _truncated = new bool[Capacity];
        if (options.Prioritized is { } prioritized)
        {
            _priorityOptions = prioritized;
            _priorities = new PriorityTree(Capacity);
        }
    }

    /// <summary>The options the buffer was created with.</summary>
    public ReplayBufferOptions Options { get; }

    /// <summary>Floats per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>How actions are stored.</summary>
    public ActionLayout Actions { get; }

    /// <summary>Transitions held when full: ⌊Options.Capacity / EnvCount⌋ · EnvCount.</summary>
    public int Capacity { get; }

    /// <summary>Environments per <c>Add</c>.</summary>
    public int EnvCount => _envCount;

    /// <summary>Transitions currently stored.</summary>
    public int Count => _filledRows * _envCount;

    /// <summary>Whether sampling is prioritized.</summary>
    public bool IsPrioritized => _priorities is not null;

    /// <summary>The β the next prioritized <see cref="Sample"/> will use (1 for uniform sampling, whose weights are all 1).</summary>
    public float CurrentBeta
    {
        get
        {
            if (_priorityOptions is not { } p) return 1f;
            double progress = Math.Min(1.0, _sampleCalls / (double)p.BetaAnnealingSamples);
            return (float)(p.BetaStart + (p.BetaEnd - p.BetaStart) * progress);
        }
    }

    /// <summary>Adds one transition with a discrete action; only for buffers with EnvCount = 1.</summary>
    /// <exception cref="InvalidOperationException">If EnvCount ≠ 1 or actions are continuous.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation, bool terminated, bool truncated)
    {
        RequireSingleEnvironment();
        Add(observation, new ReadOnlySpan<int>(in action), new ReadOnlySpan<float>(in reward), nextObservation,
            new ReadOnlySpan<bool>(in terminated), new ReadOnlySpan<bool>(in truncated));
    }

    /// <summary>Adds one transition with a continuous action; only for buffers with EnvCount = 1.</summary>
    /// <exception cref="InvalidOperationException">If EnvCount ≠ 1 or actions are discrete.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, float reward, ReadOnlySpan<float> nextObservation, bool terminated, bool truncated)
    {
        RequireSingleEnvironment();
        Add(observation, action, new ReadOnlySpan<float>(in reward), nextObservation,
            new ReadOnlySpan<bool>(in terminated), new ReadOnlySpan<bool>(in truncated));
    }

    /// <summary>Adds one transition per environment with discrete actions (row-major spans over EnvCount environments).</summary>
    /// <param name="observations">s, [EnvCount × ObservationSize].</param>
    /// <param name="actions">a, [EnvCount].</param>
    /// <param name="rewards">r, [EnvCount], finite.</param>
    /// <param name="nextObservations">The true s′, [EnvCount × ObservationSize] (final observations where an episode ended).</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <exception cref="InvalidOperationException">If actions are continuous.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards,
                    ReadOnlySpan<float> nextObservations, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        // Everything is checked before anything is written, so a rejected Add leaves the buffer as it was.
        ValidateObservations(observations);
        ValidateStep(actions, rewards, nextObservations, terminated, truncated);
        WriteObservations(observations);
        WriteStep(actions, rewards, nextObservations, terminated, truncated);
    }

    /// <summary>Adds one transition per environment with continuous actions (row-major spans over EnvCount environments).</summary>
    /// <param name="observations">s, [EnvCount × ObservationSize].</param>
    /// <param name="actions">a, [EnvCount × action size], finite.</param>
    /// <param name="rewards">r, [EnvCount], finite.</param>
    /// <param name="nextObservations">The true s′, [EnvCount × ObservationSize] (final observations where an episode ended).</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <exception cref="InvalidOperationException">If actions are discrete.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void Add(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, ReadOnlySpan<float> rewards,
                    ReadOnlySpan<float> nextObservations, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        ValidateObservations(observations);
        ValidateStep(actions, rewards, nextObservations, terminated, truncated);
        WriteObservations(observations);
        WriteStep(actions, rewards, nextObservations, terminated, truncated);
    }

    /// <summary>
    /// Writes the first part of the next row, before the environment steps: s of every environment. The row counts
    /// once <c>CompleteStep</c> adds the rest; until then <see cref="Sample"/> is refused. Calling this again first
    /// overwrites the pending observations.
    /// </summary>
    /// <param name="observations">s, [EnvCount × ObservationSize], finite.</param>
    /// <exception cref="ArgumentException">If the span has the wrong length or a value is not finite.</exception>
    public void AddObservations(ReadOnlySpan<float> observations)
    {
        ValidateObservations(observations);
        WriteObservations(observations);
    }

    /// <summary>Completes the row begun by <see cref="AddObservations"/> with discrete actions.</summary>
    /// <param name="actions">a, [EnvCount].</param>
    /// <param name="rewards">r, [EnvCount], finite.</param>
    /// <param name="nextObservations">The true s′, [EnvCount × ObservationSize] (final observations where an episode ended).</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <exception cref="InvalidOperationException">If no observations are pending or actions are continuous.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void CompleteStep(ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                             ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        RequirePendingObservations();
        ValidateStep(actions, rewards, nextObservations, terminated, truncated);
        WriteStep(actions, rewards, nextObservations, terminated, truncated);
    }

    /// <summary>Completes the row begun by <see cref="AddObservations"/> with continuous actions.</summary>
    /// <param name="actions">a, [EnvCount × action size], finite.</param>
    /// <param name="rewards">r, [EnvCount], finite.</param>
    /// <param name="nextObservations">The true s′, [EnvCount × ObservationSize] (final observations where an episode ended).</param>
    /// <param name="terminated">[EnvCount].</param>
    /// <param name="truncated">[EnvCount].</param>
    /// <exception cref="InvalidOperationException">If no observations are pending or actions are discrete.</exception>
    /// <exception cref="ArgumentException">If a span has the wrong length or a value is invalid (the message names it).</exception>
    public void CompleteStep(ReadOnlySpan<float> actions, ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                             ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        RequirePendingObservations();
        ValidateStep(actions, rewards, nextObservations, terminated, truncated);
        WriteStep(actions, rewards, nextObservations, terminated, truncated);
    }

    /// <summary>
    /// Samples <paramref name="batchSize"/> transitions with replacement (uniformly, or proportionally to priority^α)
    /// into the buffer's reusable batch for that size.
    /// </summary>
    /// <returns>The batch; its tensors are rewritten by the next Sample of the same size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="batchSize"/> &lt; 1.</exception>
    /// <exception cref="InvalidOperationException">If the buffer is empty.</exception>
    [MethodImpl(HotPath.Optimized)]
    public ReplayBatch Sample(int batchSize, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be ≥ 1.");
        if (Count == 0)
            throw new InvalidOperationException("Cannot sample from an empty replay buffer; add transitions first.");
        if (_observationsPending)
            throw new InvalidOperationException("A row is half-added (AddObservations without CompleteStep); complete it before sampling.");
        var batch = _batch is { } cached && cached.Size == batchSize ? cached : (_batch = new ReplayBatch(batchSize, ObservationSize, Actions));

        Span<int> indices = batch.IndicesStorage;
        Span<float> weights = batch.Weights.AsSpan();
        if (_priorities is null)
        {
            for (int b = 0; b < batchSize; b++) indices[b] = rng.NextInt(Count);
            weights.Fill(1f);
        }
        else
        {
            SamplePrioritized(indices, weights, rng);
        }

        for (int b = 0; b < batchSize; b++) Gather(indices[b], b, batch);
        return batch;
    }

    /// <summary>
    /// Sets the priorities of sampled transitions from their TD errors: p = (|δ| + ε)^α. The largest |δ| + ε seen so
    /// far becomes the priority of transitions added later.
    /// </summary>
    /// <param name="indices">Slots from <see cref="ReplayBatch.Indices"/>, each in [0, Count).</param>
    /// <param name="tdErrors">TD errors δ, finite, one per index.</param>
    /// <exception cref="InvalidOperationException">If the buffer is not prioritized.</exception>
    /// <exception cref="ArgumentException">If the lengths differ, an index is out of range or an error is not finite.</exception>
    public void UpdatePriorities(ReadOnlySpan<int> indices, ReadOnlySpan<float> tdErrors)
    {
        if (_priorities is null || _priorityOptions is null)
            throw new InvalidOperationException("UpdatePriorities needs a prioritized buffer (ReplayBufferOptions.Prioritized).");
        DataGuard.Length(tdErrors, indices.Length, nameof(tdErrors), "one TD error per index, indices.Length");
        DataGuard.Finite(tdErrors, nameof(tdErrors));
        int count = Count;
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)count)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"indices[{i}] = {indices[i]} is outside the stored slots [0, {count}).");
        for (int i = 0; i < indices.Length; i++)
        {
            double priority = Math.Abs((double)tdErrors[i]) + _priorityOptions.Epsilon;
            _maxPriority = Math.Max(_maxPriority, priority);
            _priorities.Set(indices[i], Math.Pow(priority, _priorityOptions.Alpha));
        }
    }

    /// <summary>
    /// Marks the newest transition of every environment as truncated: the episodes it belongs to were cut (the
    /// environment was reset before they ended), so n-step returns stop there and bootstrap from its next observation
    /// instead of running on into the episode that follows.
    /// </summary>
    internal void TruncateNewestTransitions()
    {
        if (_filledRows == 0 || _observationsPending) return;
        int newestRow = (_position - 1 + _rows) % _rows;
        _truncated.AsSpan(newestRow * _envCount, _envCount).Fill(true);
    }

    /// <summary>Forgets every stored transition (storage is kept; priorities and β annealing restart).</summary>
    public void Clear()
    {
        _position = 0;
        _filledRows = 0;
        _observationsPending = false;
        _sampleCalls = 0;
        _maxPriority = 1.0;
        _priorities?.Clear();
    }

    private void SamplePrioritized(Span<int> indices, Span<float> weights, RandomGenerator rng)
    {
        var tree = _priorities!;
        double beta = CurrentBeta;
        _sampleCalls++;
        double total = tree.Total;
        double minPriority = tree.Min;
        // Stratified: one draw per equal slice of the total priority mass, as in Schaul et al.; each draw is still
        // marginally proportional to priority, with less variance within a batch than independent draws.
        double segment = total / indices.Length;
        for (int b = 0; b < indices.Length; b++)
        {
            double prefix = Math.Min((b + rng.NextDouble()) * segment, Math.BitDecrement(total));
            int slot = tree.FindPrefixSum(prefix);
            indices[b] = slot;
            // w_i / max_k w_k = (p_i / p_min)^−β: the constant N and the total mass cancel.
            weights[b] = (float)Math.Pow(tree[slot] / minPriority, -beta);
        }
    }

    private void Gather(int slot, int b, ReplayBatch batch)
    {
        int obsSize = ObservationSize;
        _observations.AsSpan(slot * obsSize, obsSize).CopyTo(batch.Observations.AsSpan().Slice(b * obsSize, obsSize));
        if (Actions.IsDiscrete)
        {
            int action = _discreteActions[slot];
            batch.ActionIndicesStorage[b] = action;
            batch.Actions.AsSpan()[b] = action;
        }
        else
        {
            int size = Actions.Size;
            _continuousActions.AsSpan(slot * size, size).CopyTo(batch.Actions.AsSpan().Slice(b * size, size));
        }

        // Walk forward along this environment's column; stop after an episode end or at the newest row.
        int env = slot % _envCount;
        int row = slot / _envCount;
        int newestRow = (_position - 1 + _rows) % _rows;
        double gamma = Options.Gamma;
        double sum = 0, discount = 1;
        int last = slot;
        for (int k = 0; k < Options.NStep; k++)
        {
            int s = row * _envCount + env;
            sum += discount * _rewards[s];
            discount *= gamma;
            last = s;
            if (_terminated[s] || _truncated[s] || row == newestRow) break;
            row = row + 1 == _rows ? 0 : row + 1;
        }
        batch.Rewards.AsSpan()[b] = (float)sum;
        batch.Discounts.AsSpan()[b] = (float)discount;
        batch.Dones.AsSpan()[b] = _terminated[last] ? 1f : 0f;
        _nextObservations.AsSpan(last * obsSize, obsSize).CopyTo(batch.NextObservations.AsSpan().Slice(b * obsSize, obsSize));
    }

    private void ValidateObservations(ReadOnlySpan<float> observations)
    {
        DataGuard.Length(observations, _envCount, ObservationSize, nameof(observations), "EnvCount", "observation size");
        DataGuard.FiniteBulk(observations, nameof(observations));
    }

    private void WriteObservations(ReadOnlySpan<float> observations)
    {
        int obsFloats = _envCount * ObservationSize;
        observations.CopyTo(_observations.AsSpan(_position * obsFloats, obsFloats));
        _observationsPending = true;
    }

    private void ValidateStep(ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                              ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        if (!Actions.IsDiscrete)
            throw new InvalidOperationException($"This buffer stores {Actions} actions; pass float action vectors.");
        DataGuard.Length(actions, _envCount, nameof(actions), "one action per environment");
        DataGuard.DiscreteActions(actions, Actions.ActionCount, nameof(actions));
        ValidateCommon(rewards, nextObservations, terminated, truncated);
    }

    private void ValidateStep(ReadOnlySpan<float> actions, ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                              ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        if (Actions.IsDiscrete)
            throw new InvalidOperationException($"This buffer stores {Actions} actions; pass integer actions.");
        DataGuard.Length(actions, _envCount, Actions.Size, nameof(actions), "EnvCount", "action size");
        DataGuard.Finite(actions, nameof(actions));
        ValidateCommon(rewards, nextObservations, terminated, truncated);
    }

    private void WriteStep(ReadOnlySpan<int> actions, ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                           ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        actions.CopyTo(_discreteActions.AsSpan(_position * _envCount, _envCount));
        WriteCommon(rewards, nextObservations, terminated, truncated);
    }

    private void WriteStep(ReadOnlySpan<float> actions, ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                           ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        int actionFloats = _envCount * Actions.Size;
        actions.CopyTo(_continuousActions.AsSpan(_position * actionFloats, actionFloats));
        WriteCommon(rewards, nextObservations, terminated, truncated);
    }

    private void RequireSingleEnvironment()
    {
        if (_envCount != 1)
            throw new InvalidOperationException($"This buffer takes {_envCount} transitions per Add (EnvCount = {_envCount}); use the overload with one span entry per environment.");
    }

    private void RequirePendingObservations()
    {
        if (!_observationsPending)
            throw new InvalidOperationException("CompleteStep needs the row's observations first: call AddObservations before stepping the environment.");
    }

    private void ValidateCommon(ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                                ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        DataGuard.Length(nextObservations, _envCount, ObservationSize, nameof(nextObservations), "EnvCount", "observation size");
        DataGuard.Length(rewards, _envCount, nameof(rewards), "one reward per environment");
        DataGuard.Length(terminated, _envCount, nameof(terminated), "one flag per environment");
        DataGuard.Length(truncated, _envCount, nameof(truncated), "one flag per environment");
        DataGuard.Finite(rewards, nameof(rewards));
        DataGuard.FiniteBulk(nextObservations, nameof(nextObservations));
    }

    private void WriteCommon(ReadOnlySpan<float> rewards, ReadOnlySpan<float> nextObservations,
                             ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        int first = _position * _envCount;
        int obsFloats = _envCount * ObservationSize;
        nextObservations.CopyTo(_nextObservations.AsSpan(first * ObservationSize, obsFloats));
        rewards.CopyTo(_rewards.AsSpan(first, _envCount));
        terminated.CopyTo(_terminated.AsSpan(first, _envCount));
        truncated.CopyTo(_truncated.AsSpan(first, _envCount));
        if (_priorities is not null)
        {
            double initial = Math.Pow(_maxPriority, _priorityOptions!.Alpha);
            for (int e = 0; e < _envCount; e++) _priorities.Set(first + e, initial);
        }
        _observationsPending = false;
        _position = _position + 1 == _rows ? 0 : _position + 1;
        if (_filledRows < _rows) _filledRows++;
    }
}

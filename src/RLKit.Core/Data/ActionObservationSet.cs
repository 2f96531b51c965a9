using RLKit.Serialization;
using RLKit.Tensors;

namespace RLKit.Data;

/// <summary>
/// What each action of an action universe was seen to do (seed 003 ch. 2, "action observations"): for every action
/// a set of observations, each a sequence of <see cref="Steps"/> frames of <see cref="Features"/> floats (a
/// trajectory of the action played from some start) or a single frame (<see cref="Steps"/> = 1: a feature vector,
/// an image's pixels). An action encoder (the HVAE) turns each action's set into one representation, so a policy
/// can use actions it never trained with.
/// </summary>
/// <remarks>
/// <para>Actions may have different numbers of observations, but every action has at least one. The data are stored
/// action by action, observation by observation, step by step: the observations of action a are the rows
/// <c>Offset(a) … Offset(a) + ObservationCount(a) − 1</c> of a [<see cref="TotalObservations"/>, Steps, Features]
/// array.</para>
/// <para>Immutable after construction (the constructor copies its inputs), so one set can be shared by threads.</para>
/// </remarks>
public sealed class ActionObservationSet
{
    private const string DataKey = "observations", CountsKey = "counts";
    private readonly float[] _data;
    private readonly int[] _offsets;

    /// <summary>Creates the set from each action's observation count and the data laid out action by action.</summary>
    /// <param name="observationCounts">Observations per action (each ≥ 1); its length is the number of actions (≥ 1).</param>
    /// <param name="steps">Frames per observation (≥ 1; 1 for feature vectors).</param>
    /// <param name="features">Floats per frame (≥ 1).</param>
    /// <param name="data">Σ counts × steps × features finite floats, action-major.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a size is out of range; the message names it and the action.</exception>
    /// <exception cref="ArgumentException">If the data length does not match or a value is not finite.</exception>
    public ActionObservationSet(ReadOnlySpan<int> observationCounts, int steps, int features, ReadOnlySpan<float> data)
    {
        if (observationCounts.IsEmpty)
            throw new ArgumentOutOfRangeException(nameof(observationCounts), 0, "ActionObservationSet: there must be at least one action.");
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        _offsets = new int[observationCounts.Length + 1];
        for (int a = 0; a < observationCounts.Length; a++)
        {
            if (observationCounts[a] < 1)
                throw new ArgumentOutOfRangeException(nameof(observationCounts), observationCounts[a],
                    $"ActionObservationSet: action {a} has {observationCounts[a]} observations; every action needs at least one (an encoder cannot represent an action it has never seen act).");
            _offsets[a + 1] = checked(_offsets[a] + observationCounts[a]);
        }
        Steps = steps;
        Features = features;
        long expected = (long)_offsets[^1] * steps * features;
        if (data.Length != expected)
            throw new ArgumentException($"ActionObservationSet: {_offsets[^1]} observations × {steps} steps × {features} features need {expected} floats, got {data.Length}.", nameof(data));
        int bad = IndexOfNonFinite(data);
        if (bad >= 0)
            throw new ArgumentException($"ActionObservationSet: data[{bad}] = {data[bad]} is not finite (action {ActionOf(bad / (steps * features))}).", nameof(data));
        _data = data.ToArray();
    }

    /// <summary>A set of one feature vector per action (<see cref="Steps"/> = 1, one observation each), e.g. a recommender's item features.</summary>
    /// <param name="vectors">actionCount × features floats, action by action.</param>
    /// <param name="features">Floats per action (≥ 1).</param>
    /// <exception cref="ArgumentException">If the length is not a positive multiple of <paramref name="features"/>, or a value is not finite.</exception>
    public static ActionObservationSet FromVectors(ReadOnlySpan<float> vectors, int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (vectors.IsEmpty || vectors.Length % features != 0)
            throw new ArgumentException($"ActionObservationSet.FromVectors: the length {vectors.Length} is not a positive multiple of features = {features}.", nameof(vectors));
        var counts = new int[vectors.Length / features];
        Array.Fill(counts, 1);
        return new ActionObservationSet(counts, 1, features, vectors);
    }

    /// <summary>The number of actions.</summary>
    public int ActionCount => _offsets.Length - 1;

    /// <summary>Frames per observation (1 for feature vectors).</summary>
    public int Steps { get; }

    /// <summary>Floats per frame.</summary>
    public int Features { get; }

    /// <summary>Floats per observation (Steps × Features).</summary>
    public int ObservationSize => Steps * Features;

    /// <summary>The number of observations over all actions.</summary>
    public int TotalObservations => _offsets[^1];

    /// <summary>How many observations <paramref name="action"/> has.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the action is not in [0, ActionCount).</exception>
    public int ObservationCount(int action)
    {
        CheckAction(action);
        return _offsets[action + 1] - _offsets[action];
    }

    /// <summary>The index of <paramref name="action"/>'s first observation among all observations.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the action is not in [0, ActionCount).</exception>
    public int Offset(int action)
    {
        CheckAction(action);
        return _offsets[action];
    }

    /// <summary>Every observation of <paramref name="action"/>: [ObservationCount(action), Steps, Features] floats.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the action is not in [0, ActionCount).</exception>
    public ReadOnlySpan<float> Observations(int action)
    {
        CheckAction(action);
        int size = ObservationSize;
        return _data.AsSpan(_offsets[action] * size, (_offsets[action + 1] - _offsets[action]) * size);
    }

    /// <summary>Observation <paramref name="index"/> of <paramref name="action"/>: [Steps, Features] floats.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the action or the index is out of range.</exception>
    public ReadOnlySpan<float> Observation(int action, int index)
    {
        int count = ObservationCount(action);
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"ActionObservationSet: action {action} has observations 0 … {count - 1}.");
        int size = ObservationSize;
        return _data.AsSpan((_offsets[action] + index) * size, size);
    }

    /// <summary>Every observation of every action, [TotalObservations, Steps, Features] floats.</summary>
    public ReadOnlySpan<float> Data => _data;

    /// <summary>Writes the set as a safetensors file (to a temporary file first, then renamed).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var counts = new float[ActionCount];
        for (int a = 0; a < counts.Length; a++) counts[a] = _offsets[a + 1] - _offsets[a];
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            [DataKey] = Tensor.FromArray(_data.ToArray(), TotalObservations, Steps, Features),
            [CountsKey] = Tensor.FromArray(counts, counts.Length),
        });
    }

    /// <summary>Reads a set written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">If the file does not exist.</exception>
    /// <exception cref="InvalidDataException">If the file is not an action observation set, or is truncated or corrupt.</exception>
    public static ActionObservationSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Load(path);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new InvalidDataException($"ActionObservationSet.Load: {path} is not a readable safetensors file: {e.Message}", e);
        }
        if (!file.Tensors.TryGetValue(DataKey, out var data) || !file.Tensors.TryGetValue(CountsKey, out var countTensor) || data.Rank != 3 || countTensor.Rank != 1)
            throw new InvalidDataException($"ActionObservationSet.Load: {path} does not hold an action observation set (tensors \"{DataKey}\" [n, steps, features] and \"{CountsKey}\" [actions]).");
        var counts = new int[countTensor.Dim(0)];
        var c = countTensor.AsReadOnlySpan();
        for (int a = 0; a < counts.Length; a++)
        {
            if (c[a] != MathF.Floor(c[a]) || c[a] < 0 || c[a] > int.MaxValue)
                throw new InvalidDataException($"ActionObservationSet.Load: {path} gives action {a} the observation count {c[a]}, not a whole number ≥ 0.");
            counts[a] = (int)c[a];
        }
        try
        {
            return new ActionObservationSet(counts, data.Dim(1), data.Dim(2), data.AsReadOnlySpan());
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"ActionObservationSet.Load: {path} is inconsistent: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"ActionObservationSet({ActionCount} actions, {TotalObservations} observations of {Steps} × {Features})";

    private int ActionOf(int observation)
    {
        int a = Array.BinarySearch(_offsets, observation);
        return a >= 0 ? a : ~a - 1;
    }

    private void CheckAction(int action)
    {
        if ((uint)action >= (uint)ActionCount)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"ActionObservationSet: action must be in [0, {ActionCount - 1}].");
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> data)
    {
        for (int i = 0; i < data.Length; i++)
            if (!float.IsFinite(data[i])) return i;
        return -1;
    }
}

using System.Text.Json;
using RLKit.Serialization;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Data;

public sealed partial class ReplayBuffer
{
    /// <summary>The <c>__metadata__</c> key of a saved replay buffer's JSON header.</summary>
    public const string MetadataKey = "rlkit.replay_buffer";

    /// <summary>The current layout version of saved replay buffers; files from a newer version are refused.</summary>
    public const int FileFormatVersion = 1;

    // A discrete action is stored as a float32, which holds every integer below 2^24 exactly.
    private const int LargestStorableAction = 1 << 24;

    /// <summary>
    /// Writes the buffer to <paramref name="path"/> as a safetensors file (readable from Python), replacing any file
    /// there atomically: the stored transitions (observations, actions, rewards, next observations, flags, priorities)
    /// and, as JSON metadata, the layout, the options and the write position, so <see cref="Load"/> rebuilds a buffer
    /// that samples exactly as this one does. Only the filled part is written.
    /// </summary>
    /// <param name="path">The file; its directory must exist. The convention is the extension ".replay".</param>
    /// <exception cref="InvalidOperationException">
    /// If a row is half-added (<see cref="AddObservations"/> without <c>CompleteStep</c>), or a discrete action is too
    /// large to store exactly (≥ 2²⁴).
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">If the directory does not exist.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (_observationsPending)
            throw new InvalidOperationException("ReplayBuffer.Save: a row is half-added (AddObservations without CompleteStep); complete it before saving.");
        int count = Count;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (count > 0)
        {
            tensors["observations"] = Stored(_observations.AsSpan(0, count * ObservationSize), count, ObservationSize);
            tensors["next_observations"] = Stored(_nextObservations.AsSpan(0, count * ObservationSize), count, ObservationSize);
            tensors["rewards"] = Stored(_rewards.AsSpan(0, count), count);
            tensors["terminated"] = Flags(_terminated.AsSpan(0, count));
            tensors["truncated"] = Flags(_truncated.AsSpan(0, count));
            if (Actions.IsDiscrete)
            {
                var actions = Tensor.AllocatePersistent([count]);
                var values = actions.AsSpan();
                for (int i = 0; i < count; i++)
                {
                    int action = _discreteActions[i];
                    if (action >= LargestStorableAction)
                        throw new InvalidOperationException($"ReplayBuffer.Save: action {action} of slot {i} is too large to store exactly (the limit is {LargestStorableAction}).");
                    values[i] = action;
                }
                tensors["actions"] = actions;
            }
            else
            {
                tensors["actions"] = Stored(_continuousActions.AsSpan(0, count * Actions.Size), count, Actions.Size);
            }
            if (_priorities is not null) tensors["priorities"] = DoubleWords(count, slot => _priorities[slot]);
        }

        var header = new FileHeader
        {
            FormatVersion = FileFormatVersion,
            RLKitVersion = Checkpoint.RLKitVersion,
            ObservationSize = ObservationSize,
            ActionKind = Actions.IsDiscrete ? (Actions.IsMasked ? MaskedDiscreteKind : DiscreteKind) : ContinuousKind,
            ActionSize = Actions.Size,
            ActionCount = Actions.ActionCount,
            Options = Options,
            Position = _position,
            FilledRows = _filledRows,
            SampleCalls = _sampleCalls,
            MaxPriority = _maxPriority,
        };
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { [MetadataKey] = JsonSerializer.Serialize(header, Checkpoint.JsonOptions) });
    }

    /// <summary>The default limit of <see cref="Load"/> on the memory a file's header may ask for: 16 GiB.</summary>
    public const long DefaultMaxLoadBytes = 16L << 30;

    /// <summary>
    /// Reads a buffer written by <see cref="Save"/>: the same layout, options, transitions, priorities and write
    /// position, so it samples exactly as the saved one did. Every value is checked before the buffer is returned.
    /// </summary>
    /// <remarks>
    /// The buffer is allocated at its full capacity, as the saved one was, which may be far more than the file holds
    /// (a buffer of capacity 10⁶ saved after 10³ steps); <paramref name="maxBytes"/> bounds what a header may ask for,
    /// so a small file cannot make loading allocate without limit.
    /// </remarks>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most memory the buffer described by the file's header may take (default <see cref="DefaultMaxLoadBytes"/>).</param>
    /// <exception cref="FileNotFoundException">If the file does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="maxBytes"/> is not positive.</exception>
    /// <exception cref="InvalidDataException">
    /// If the file is truncated or corrupt, is not a saved replay buffer (a checkpoint, say), comes from a newer format
    /// version, describes a buffer larger than <paramref name="maxBytes"/>, or holds values that do not fit its own
    /// header; the message names the file and the problem.
    /// </exception>
    public static ReplayBuffer Load(string path, long maxBytes = DefaultMaxLoadBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"ReplayBuffer.Load: no replay buffer at '{fullPath}'.", fullPath);
        try
        {
            SafeTensorsFile file;
            try
            {
                file = SafeTensors.Load(fullPath);
            }
            catch (SafeTensorsFormatException e)
            {
                throw new InvalidDataException($"it is truncated or corrupt: {e.Message}", e);
            }
            return FromFile(file, maxBytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"ReplayBuffer.Load: '{fullPath}' is not a readable replay buffer: {e.Message}", e);
        }
    }

    private static ReplayBuffer FromFile(SafeTensorsFile file, long maxBytes)
    {
        if (!file.Metadata.TryGetValue(MetadataKey, out var json))
            throw new InvalidDataException(
                $"it has no '{MetadataKey}' metadata" +
                (file.Metadata.ContainsKey("rlkit.checkpoint") ? "; it is an RLKit checkpoint: load it with Checkpoint.Load or Checkpoint.LoadAgent." : "."));
        FileHeader header;
        try
        {
            header = JsonSerializer.Deserialize<FileHeader>(json, StrictJson) ?? throw new InvalidDataException("its header is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"its header cannot be read: {e.Message}", e);
        }
        if (header.FormatVersion < 1 || header.FormatVersion > FileFormatVersion)
            throw new InvalidDataException(
                $"it has format version {header.FormatVersion} (written by RLKit {header.RLKitVersion}); this RLKit reads versions 1 to {FileFormatVersion}.");

        ReplayBuffer buffer;
        try
        {
            var options = header.Options ?? throw new InvalidDataException("its header has no options.");
            var actions = header.ActionKind switch
            {
                DiscreteKind => ActionLayout.Discrete(header.ActionCount),
                MaskedDiscreteKind => ActionLayout.MaskedDiscrete(header.ActionCount),
                ContinuousKind => ActionLayout.Continuous(header.ActionSize),
                _ => throw new InvalidDataException($"its action kind '{header.ActionKind}' is none of {DiscreteKind}, {MaskedDiscreteKind}, {ContinuousKind}."),
            };
            options.Validate();
            long bytes = StorageBytes(header.ObservationSize, actions, options);
            if (bytes > maxBytes)
                throw new InvalidDataException(
                    $"its header describes a buffer of {bytes} bytes (capacity {options.Capacity}, observation size {header.ObservationSize}), " +
                    $"more than the limit of {maxBytes}; pass a larger maxBytes to load it.");
            buffer = new ReplayBuffer(header.ObservationSize, actions, options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"its header describes an impossible buffer: {e.Message}", e);
        }

        int rows = buffer._rows;
        if (header.FilledRows < 0 || header.FilledRows > rows || header.Position < 0 || header.Position >= rows
            || (header.FilledRows < rows && header.Position != header.FilledRows))
            throw new InvalidDataException(
                $"its write position (row {header.Position}, {header.FilledRows} rows filled) does not fit a buffer of {rows} rows.");
        if (header.SampleCalls < 0 || !double.IsFinite(header.MaxPriority) || header.MaxPriority <= 0)
            throw new InvalidDataException($"its sampling state (sample calls {header.SampleCalls}, max priority {header.MaxPriority}) is impossible.");

        int count = header.FilledRows * buffer._envCount;
        int observationSize = buffer.ObservationSize;
        var expected = new List<string>();
        if (count > 0)
        {
            expected.AddRange(["observations", "next_observations", "rewards", "terminated", "truncated", "actions"]);
            Finite(Take(file, "observations", [count, observationSize]), "observations").CopyTo(buffer._observations);
            Finite(Take(file, "next_observations", [count, observationSize]), "next_observations").CopyTo(buffer._nextObservations);
            Finite(Take(file, "rewards", [count]), "rewards").CopyTo(buffer._rewards);
            ReadFlags(Take(file, "terminated", [count]), "terminated", buffer._terminated);
            ReadFlags(Take(file, "truncated", [count]), "truncated", buffer._truncated);
            if (buffer.Actions.IsDiscrete)
            {
                var actions = Take(file, "actions", [count]);
                int limit = buffer.Actions.ActionCount > 0 ? buffer.Actions.ActionCount : LargestStorableAction;
                for (int i = 0; i < count; i++)
                {
                    float action = actions[i];
                    if (!(action >= 0 && action < limit) || action != MathF.Floor(action))
                        throw new InvalidDataException($"its 'actions' tensor holds {action} at slot {i}, which is not an integer in [0, {limit}).");
                    buffer._discreteActions[i] = (int)action;
                }
            }
            else
            {
                Finite(Take(file, "actions", [count, buffer.Actions.Size]), "actions").CopyTo(buffer._continuousActions);
            }
            if (buffer._priorities is { } tree)
            {
                expected.Add("priorities");
                var words = Take(file, "priorities", [count, 4]);
                for (int i = 0; i < count; i++)
                {
                    double priority = FromWords(words.Slice(i * 4, 4), i);
                    if (!double.IsFinite(priority) || priority <= 0)
                        throw new InvalidDataException($"the priority of slot {i} ({priority}) is not finite and positive.");
                    tree.Set(i, priority);
                }
            }
        }
        foreach (var name in file.Tensors.Keys)
            if (!expected.Contains(name))
                throw new InvalidDataException($"it holds tensor '{name}', which a buffer of {count} transitions with {buffer.Actions} actions does not have.");

        buffer._position = header.Position;
        buffer._filledRows = header.FilledRows;
        buffer._sampleCalls = header.SampleCalls;
        buffer._maxPriority = header.MaxPriority;
        return buffer;
    }

    // ------------------------------------------------------------------------------------------------------------

    private const string DiscreteKind = "discrete";
    private const string MaskedDiscreteKind = "masked-discrete";
    private const string ContinuousKind = "continuous";

    private static JsonSerializerOptions StrictJson { get; } = new(Checkpoint.JsonOptions)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The JSON header of a saved buffer.</summary>
    private sealed class FileHeader
    {
        public int FormatVersion { get; init; }
        public string? RLKitVersion { get; init; }
        public int ObservationSize { get; init; }
        public string? ActionKind { get; init; }
        public int ActionSize { get; init; }
        public int ActionCount { get; init; }
        public ReplayBufferOptions? Options { get; init; }
        public int Position { get; init; }
        public int FilledRows { get; init; }
        public long SampleCalls { get; init; }
        public double MaxPriority { get; init; }
    }

    /// <summary>The bytes a buffer of these dimensions allocates (its arrays and, when prioritized, its sum and min trees).</summary>
    private static long StorageBytes(int observationSize, ActionLayout actions, ReplayBufferOptions options)
    {
        long slots = options.Capacity / options.EnvCount * (long)options.EnvCount;
        long perSlot = 2L * sizeof(float) * Math.Max(observationSize, 0) + (actions.IsDiscrete ? sizeof(int) : sizeof(float) * (long)actions.Size)
                       + sizeof(float) + 2 * sizeof(bool);
        long trees = options.Prioritized is null ? 0 : 2L * 2 * sizeof(double) * (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(slots, 1));
        return slots * perSlot + trees;
    }

    private static Tensor Stored(ReadOnlySpan<float> values, params int[] shape)
    {
        var tensor = Tensor.AllocatePersistent(shape);
        values.CopyTo(tensor.AsSpan());
        return tensor;
    }

    private static Tensor Flags(ReadOnlySpan<bool> flags)
    {
        var tensor = Tensor.AllocatePersistent([flags.Length]);
        var values = tensor.AsSpan();
        for (int i = 0; i < flags.Length; i++) values[i] = flags[i] ? 1f : 0f;
        return tensor;
    }

    /// <summary>
    /// Doubles as four 16-bit words each, stored as float32 (which holds every integer up to 2²⁴ exactly), so the
    /// priorities come back bit for bit although safetensors here stores float32 only.
    /// </summary>
    private static Tensor DoubleWords(int count, Func<int, double> value)
    {
        var tensor = Tensor.AllocatePersistent([count, 4]);
        var words = tensor.AsSpan();
        for (int i = 0; i < count; i++)
        {
            ulong bits = BitConverter.DoubleToUInt64Bits(value(i));
            for (int w = 0; w < 4; w++) words[i * 4 + w] = (ushort)(bits >> (16 * w));
        }
        return tensor;
    }

    private static double FromWords(ReadOnlySpan<float> words, int slot)
    {
        ulong bits = 0;
        for (int w = 0; w < 4; w++)
        {
            float word = words[w];
            if (!(word >= 0 && word <= ushort.MaxValue) || word != MathF.Floor(word))
                throw new InvalidDataException($"the priority of slot {slot} is not stored as four 16-bit words.");
            bits |= (ulong)word << (16 * w);
        }
        return BitConverter.UInt64BitsToDouble(bits);
    }

    private static ReadOnlySpan<float> Take(SafeTensorsFile file, string name, int[] shape)
    {
        if (!file.Tensors.TryGetValue(name, out var tensor))
            throw new InvalidDataException($"its header records {shape[0]} transitions but it holds no '{name}' tensor.");
        if (!tensor.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"its '{name}' tensor has shape {Tensor.ShapeString(tensor.Shape)}; its header needs {Tensor.ShapeString(shape)}.");
        return tensor.AsReadOnlySpan();
    }

    private static ReadOnlySpan<float> Finite(ReadOnlySpan<float> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidDataException($"its '{name}' tensor holds {values[i]} at index {i}; stored values must be finite.");
        return values;
    }

    private static void ReadFlags(ReadOnlySpan<float> values, string name, bool[] destination)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not (0f or 1f)) throw new InvalidDataException($"its '{name}' tensor holds {values[i]} at index {i}; flags must be 0 or 1.");
            destination[i] = values[i] == 1f;
        }
    }
}

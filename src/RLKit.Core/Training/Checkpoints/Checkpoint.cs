using System.Collections.ObjectModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using RLKit.Environments.Wrappers;
using RLKit.Hosting;
using RLKit.Nn;
using RLKit.Serialization;
using RLKit.Tensors;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// Saves and loads agents as a single safetensors file: the weights under their own names (readable from Python),
/// the optional optimizer state under <see cref="OptimizerPrefix"/>, the optional <see cref="TrainingState"/>'s tensors
/// under "__training__.", and a JSON <see cref="CheckpointMetadata"/>
/// (algorithm, options record, spaces, normaliser statistics, RLKit version) in the header's <c>__metadata__</c>.
/// Writes are atomic: readers see the old file or the complete new one.
/// </summary>
public static class Checkpoint
{
    /// <summary>The conventional file extension.</summary>
    public const string FileExtension = ".rlkit";

    /// <summary>The <c>__metadata__</c> key holding the JSON <see cref="CheckpointMetadata"/>.</summary>
    public const string MetadataKey = "rlkit.checkpoint";

    /// <summary>The current layout version; files from a newer version are rejected.</summary>
    public const int FormatVersion = 1;

    /// <summary>The prefix of optimizer state entries in the file; weight names may not start with it.</summary>
    public const string OptimizerPrefix = "__optimizer__.";

    /// <summary>
    /// The JSON settings for options records and metadata: named floating-point literals (infinite Box bounds,
    /// NaN options) and enums as strings, so files stay readable and stable when enum members are reordered.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.General)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>
    /// <see cref="JsonOptions"/> for reading an options record: a key the record does not have is an error, so options
    /// written for another algorithm (or misspelt in a configuration file) are refused instead of half-read.
    /// </summary>
    internal static JsonSerializerOptions OptionsReadingJson { get; } = new(JsonOptions)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    // Rebuilding an agent may allocate at most twice the floats its checkpoint stores (every parameter is stored)
    // plus this much for small working tensors, so a file cannot make loading allocate more than it holds.
    private const long RestoreAllocationSlack = 1L << 20;

    /// <summary>The RLKit.Core version written into checkpoints.</summary>
    public static string RLKitVersion { get; } =
        typeof(Checkpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Checkpoint).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Writes <paramref name="agent"/> to <paramref name="path"/>, replacing any file there atomically.</summary>
    /// <remarks>
    /// Written as <see cref="SafeTensors.Save"/> writes: through a hidden temporary file next to <paramref name="path"/>,
    /// which a killed save leaves behind and the next save to the same path deletes.
    /// </remarks>
    /// <param name="agent">The agent to save.</param>
    /// <param name="path">The file; its directory must exist.</param>
    /// <param name="normalizers">Running normaliser statistics by role (e.g. "observation"), so a loaded policy sees observations scaled as in training.</param>
    /// <param name="optimizerState">
    /// Optimizer state to resume training from (an optimizer's <c>StateDict()</c>; prefix keys yourself when there are
    /// several optimizers). When null, an <see cref="IResumableAgent"/>'s own <see cref="IResumableAgent.OptimizerState"/>
    /// is written if it has one.
    /// </param>
    /// <param name="notes">Free-form strings to keep with the model (environment id, steps trained, ...).</param>
    /// <exception cref="ArgumentException">
    /// If a weight name is empty or reserved, the options cannot be serialised, or a note's key or value is not valid
    /// Unicode (an unpaired surrogate, which JSON would silently turn into U+FFFD).
    /// </exception>
    /// <exception cref="DirectoryNotFoundException">If the directory does not exist.</exception>
    public static void Save(ICheckpointable agent, string path,
                            IReadOnlyDictionary<string, RunningStatistics>? normalizers = null,
                            IReadOnlyDictionary<string, Tensor>? optimizerState = null,
                            IReadOnlyDictionary<string, string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var weights = agent.Weights ?? throw new ArgumentException($"Checkpoint.Save: the {agent.Algorithm} agent returned null Weights.", nameof(agent));
        if (notes is not null)
        {
            foreach (var (key, value) in notes)
            {
                RequireValidUnicode(key, $"the key of note '{key}'", nameof(notes));
                RequireValidUnicode(value, $"the value of note '{key}'", nameof(notes));
            }
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var weightNames = new List<string>(weights.Count);
        foreach (var (name, tensor) in weights)
        {
            if (string.IsNullOrEmpty(name) || name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)
                || name.StartsWith(TrainingState.TensorPrefix, StringComparison.Ordinal))
                throw new ArgumentException(
                    $"Checkpoint.Save: weight name '{name}' is empty or starts with a reserved prefix ('{OptimizerPrefix}', '{TrainingState.TensorPrefix}').", nameof(agent));
            tensors.Add(name, tensor);
            weightNames.Add(name);
        }
        optimizerState ??= (agent as IResumableAgent)?.OptimizerState;
        List<string>? optimizerNames = null;
        if (optimizerState is not null)
        {
            optimizerNames = new List<string>(optimizerState.Count);
            foreach (var (name, tensor) in optimizerState)
            {
                tensors.Add(OptimizerPrefix + name, tensor);
                optimizerNames.Add(name);
            }
        }

        var trainingState = (agent as IResumableAgent)?.TrainingState;
        if (trainingState is not null)
            foreach (var (name, tensor) in trainingState.Tensors) tensors.Add(TrainingState.TensorPrefix + name, tensor);

        JsonElement options;
        try
        {
            options = agent.Options is null
                ? JsonSerializer.SerializeToElement<object?>(null, JsonOptions)
                : JsonSerializer.SerializeToElement(agent.Options, agent.Options.GetType(), JsonOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"Checkpoint.Save: the {agent.Algorithm} agent's options ({agent.Options!.GetType().FullName}) cannot be serialised to JSON: {e.Message}", nameof(agent), e);
        }

        var metadata = new CheckpointMetadata(
            FormatVersion, agent.Algorithm, RLKitVersion, agent.Options?.GetType().FullName, options,
            SpaceDescription.Of(agent.ObservationSpace), SpaceDescription.Of(agent.ActionSpace),
            weightNames, optimizerNames, normalizers, notes, (agent as IMultiTaskAgent)?.TaskIds, trainingState?.ToJson());
        string json = JsonSerializer.Serialize(metadata, JsonOptions);
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { [MetadataKey] = json });
    }

    /// <summary>Rejects text with an unpaired UTF-16 surrogate, which cannot be stored as UTF-8 unchanged.</summary>
    private static void RequireValidUnicode(string? text, string what, string argumentName)
    {
        if (text is null) return;
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                throw new ArgumentException(
                    $"Checkpoint.Save: {what} is not valid Unicode: it has an unpaired surrogate (U+{(int)text[i]:X4}) at index {i}, which would be stored as U+FFFD.", argumentName);
        }
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/>: metadata, weights (in the agent's order), optimizer state and training state.</summary>
    /// <exception cref="FileNotFoundException">If the file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">If the file is truncated or corrupt, or is not an RLKit checkpoint; the message names the file.</exception>
    public static CheckpointData Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Checkpoint.Load: no checkpoint at '{fullPath}'.", fullPath);

        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Load(fullPath);
        }
        catch (SafeTensorsFormatException e)
        {
            throw new CheckpointFormatException($"Checkpoint.Load: '{fullPath}' is not a readable checkpoint (truncated or corrupt): {e.Message}", fullPath, e);
        }

        if (!file.Metadata.TryGetValue(MetadataKey, out var json))
            throw new CheckpointFormatException(
                $"Checkpoint.Load: '{fullPath}' is a safetensors file but not an RLKit checkpoint (no '{MetadataKey}' metadata). Use SafeTensors.Load for plain weights.", fullPath);
        CheckpointMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<CheckpointMetadata>(json, JsonOptions)
                ?? throw new JsonException("the metadata is null");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException($"Checkpoint.Load: '{fullPath}' has unreadable RLKit metadata: {e.Message}", fullPath, e);
        }
        if (metadata.FormatVersion > FormatVersion || metadata.FormatVersion < 1)
            throw new CheckpointFormatException(
                $"Checkpoint.Load: '{fullPath}' has format version {metadata.FormatVersion} (written by RLKit {metadata.RLKitVersion}); this RLKit reads versions 1 to {FormatVersion}.", fullPath);
        if (string.IsNullOrEmpty(metadata.Algorithm) || metadata.WeightNames is null || metadata.ObservationSpace is null || metadata.ActionSpace is null)
            throw new CheckpointFormatException($"Checkpoint.Load: '{fullPath}' has incomplete RLKit metadata (algorithm, spaces or weight names missing).", fullPath);

        var weights = new OrderedDictionary<string, Tensor>(metadata.WeightNames.Count, StringComparer.Ordinal);
        foreach (var name in metadata.WeightNames)
        {
            if (!file.Tensors.TryGetValue(name, out var tensor))
                throw new CheckpointFormatException($"Checkpoint.Load: '{fullPath}' lists weight '{name}' in its metadata but holds no such tensor.", fullPath);
            weights.Add(name, tensor);
        }
        OrderedDictionary<string, Tensor>? optimizer = null;
        if (metadata.OptimizerStateNames is { } optimizerNames)
        {
            optimizer = new OrderedDictionary<string, Tensor>(optimizerNames.Count, StringComparer.Ordinal);
            foreach (var name in optimizerNames)
            {
                if (!file.Tensors.TryGetValue(OptimizerPrefix + name, out var tensor))
                    throw new CheckpointFormatException($"Checkpoint.Load: '{fullPath}' lists optimizer entry '{name}' but holds no such tensor.", fullPath);
                optimizer.Add(name, tensor);
            }
        }
        TrainingState? trainingState = null;
        if (metadata.TrainingState is { } trainingJson)
        {
            try
            {
                trainingState = TrainingState.FromJson(trainingJson, name => file.Tensors.GetValueOrDefault(TrainingState.TensorPrefix + name));
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointFormatException($"Checkpoint.Load: '{fullPath}' has an unreadable training state: {e.Message}", fullPath, e);
            }
        }
        return new CheckpointData(metadata, new ReadOnlyDictionary<string, Tensor>(weights),
                                  optimizer is null ? null : new ReadOnlyDictionary<string, Tensor>(optimizer), trainingState);
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="agent"/> after checking that it was written
    /// by the same algorithm with the same spaces and weight names and shapes. Nothing is copied unless all match.
    /// An <see cref="IResumableAgent"/> also gets the checkpoint's optimizer and training state (null where it holds none), so a warm-started
    /// <c>Fit</c> resumes its optimizers.
    /// </summary>
    /// <returns>The checkpoint, for its normaliser statistics and optimizer state.</returns>
    /// <exception cref="CheckpointMismatchException">Naming the algorithm, space, key and shape mismatches (both shapes for each).</exception>
    /// <exception cref="CheckpointFormatException">If the file is truncated, corrupt or not a checkpoint.</exception>
    public static CheckpointData LoadInto(ICheckpointable agent, string path)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var data = Load(path);
        LoadInto(agent, data, path);
        return data;
    }

    /// <summary>
    /// Rebuilds the agent saved at <paramref name="path"/> with the <see cref="IAgentEstimatorFactory.Restore"/> of its
    /// algorithm in <paramref name="algorithms"/>, then (for <see cref="ICheckpointable"/> agents) validates and loads the
    /// weights, and (for <see cref="IResumableAgent"/> agents) sets the saved optimizer and training state, so a warm-started
    /// <c>Fit</c> resumes it.
    /// </summary>
    /// <param name="path">The checkpoint.</param>
    /// <param name="algorithms">
    /// The algorithms by name, e.g. an <see cref="RLContext"/>'s <c>Agents.Algorithms</c>. Null (the default) takes those
    /// of every package the application deploys that declares an <see cref="IRLKitModule"/> (RLKit.Algorithms: the
    /// classic algorithms), as <see cref="AlgorithmRegistry.CreateDefault"/> does, so a fresh process loads any
    /// checkpoint of them without registering anything.
    /// </param>
    /// <exception cref="InvalidOperationException">If the registry lacks the checkpoint's algorithm; the message names it, lists the registered ones and the modules found.</exception>
    /// <exception cref="CheckpointMismatchException">If the rebuilt agent's architecture does not match the weights.</exception>
    /// <exception cref="CheckpointFormatException">If the file is truncated, corrupt or not a checkpoint.</exception>
    public static IAgent LoadAgent(string path, AlgorithmRegistry? algorithms = null)
    {
        algorithms ??= RLKitModules.Algorithms;
        var data = Load(path);
        if (!algorithms.TryGet(data.Algorithm, out var factory))
            throw new InvalidOperationException(
                $"Checkpoint.LoadAgent: '{Path.GetFullPath(path)}' holds a '{data.Algorithm}' agent, but no algorithm '{data.Algorithm}' is registered " +
                $"(registered: {algorithms.DescribeKnown()}). {RLKitModules.Describe()} Reference the package that provides '{data.Algorithm}', " +
                "register its IAgentEstimatorFactory in the registry you load with, or build the agent and use Checkpoint.LoadInto.");
        var agent = Restore(factory, data, path);
        if (agent is ICheckpointable checkpointable) LoadInto(checkpointable, data, path);
        return agent;
    }

    /// <summary>
    /// Rebuilds the agent the way a checkpoint needs it: the weights replace every initial value, so initialisation is
    /// skipped; the metadata sizes the network, so the stored tensors bound what rebuilding may allocate, and a file
    /// whose metadata claims a larger network than it stores fails before that network is built.
    /// </summary>
    private static IAgent Restore(IAgentEstimatorFactory factory, CheckpointData data, string path)
    {
        long stored = 0;
        foreach (var tensor in data.Weights.Values) stored += tensor.Size;
        try
        {
            using var noInitialisation = Init.Suppress();
            using var limit = Tensor.LimitAllocations(2 * stored + RestoreAllocationSlack);
            return factory.Restore(data);
        }
        catch (AllocationLimitExceededException e)
        {
            throw new CheckpointMismatchException(
                $"Checkpoint.LoadAgent: '{Path.GetFullPath(path)}' describes a {data.Algorithm} network larger than the {stored} floats of weights it stores " +
                $"(a tensor of {e.Requested} floats was asked for); its metadata does not match its tensors (edited or corrupt).", e);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointMismatchException($"Checkpoint.LoadAgent: '{Path.GetFullPath(path)}' does not fit algorithm '{data.Algorithm}': {e.Message}", e);
        }
    }

    private static void LoadInto(ICheckpointable agent, CheckpointData data, string path)
    {
        var problems = new List<string>();
        if (!string.Equals(agent.Algorithm, data.Algorithm, StringComparison.OrdinalIgnoreCase))
            problems.Add($"algorithm: the agent is '{agent.Algorithm}', the checkpoint is '{data.Algorithm}'");
        var observationSpace = SpaceDescription.Of(agent.ObservationSpace);
        if (!observationSpace.Matches(data.Metadata.ObservationSpace))
            problems.Add($"observation space: the agent has {observationSpace.Description}, the checkpoint has {data.Metadata.ObservationSpace.Description}");
        var actionSpace = SpaceDescription.Of(agent.ActionSpace);
        if (!actionSpace.Matches(data.Metadata.ActionSpace))
            problems.Add($"action space: the agent has {actionSpace.Description}, the checkpoint has {data.Metadata.ActionSpace.Description}");
        problems.AddRange(DescribeWeightMismatches(agent.Weights, data.Weights));
        if (problems.Count > 0)
            throw new CheckpointMismatchException(
                $"Checkpoint.LoadInto: '{Path.GetFullPath(path)}' does not fit the {agent.Algorithm} agent: " + string.Join("; ", problems) + ".", problems);
        agent.LoadWeights(data.Weights);
        // The agent now is the checkpoint, so it carries the checkpoint's optimizer and training state, or none.
        if (agent is IResumableAgent resumable)
        {
            resumable.OptimizerState = data.OptimizerState;
            resumable.TrainingState = data.TrainingState;
        }
    }

    /// <summary>
    /// Lists every difference between two weight dictionaries: keys only in <paramref name="expected"/> ("missing"),
    /// keys only in <paramref name="actual"/> ("unexpected"), and keys whose shapes differ (both shapes). Agents can use
    /// it to implement <see cref="ICheckpointable.LoadWeights"/>.
    /// </summary>
    public static IReadOnlyList<string> DescribeWeightMismatches(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var problems = new List<string>();
        foreach (var (name, tensor) in expected)
        {
            if (!actual.TryGetValue(name, out var other))
                problems.Add($"missing key '{name}' (expected shape {Tensor.ShapeString(tensor.Shape)})");
            else if (!tensor.Shape.SequenceEqual(other.Shape))
                problems.Add($"key '{name}' has shape {Tensor.ShapeString(tensor.Shape)} in the agent but {Tensor.ShapeString(other.Shape)} in the checkpoint");
        }
        foreach (var (name, tensor) in actual)
            if (!expected.ContainsKey(name))
                problems.Add($"unexpected key '{name}' (shape {Tensor.ShapeString(tensor.Shape)})");
        return problems;
    }
}

using System.Text.Json;
using RLKit.Environments.Wrappers;

namespace RLKit.Training.Checkpoints;

/// <summary>
/// Everything in a checkpoint besides the tensors, stored as JSON in the safetensors header's <c>__metadata__</c>
/// under <see cref="Checkpoint.MetadataKey"/>.
/// </summary>
/// <param name="FormatVersion">The checkpoint layout version (<see cref="Checkpoint.FormatVersion"/>).</param>
/// <param name="Algorithm">The agent's algorithm name, e.g. "ppo".</param>
/// <param name="RLKitVersion">The RLKit.Core version that wrote the file.</param>
/// <param name="OptionsType">The full .NET type name of the options record.</param>
/// <param name="Options">The options record as System.Text.Json wrote it (read it back with <see cref="CheckpointData.GetOptions{T}"/>).</param>
/// <param name="ObservationSpace">The agent's observation space.</param>
/// <param name="ActionSpace">The agent's action space.</param>
/// <param name="WeightNames">The weight names in the agent's order (the file itself stores them sorted).</param>
/// <param name="OptimizerStateNames">The optimizer state entries, or null when the checkpoint has no optimizer state.</param>
/// <param name="Normalizers">Running normaliser statistics by role (e.g. "observation", "reward"), or null.</param>
/// <param name="Notes">Free-form strings the caller stored (e.g. environment id, steps trained), or null.</param>
/// <param name="TaskIds">The task ids of a multi-task agent (<see cref="IMultiTaskAgent.TaskIds"/>), or null for a single-task agent.</param>
/// <param name="TrainingState">
/// The scalar part of the agent's <see cref="Checkpoints.TrainingState"/> (its tensors are stored under their own prefix), or
/// null. Absent from files of RLKit 0.1, which therefore load without one; older readers ignore it.
/// </param>
public sealed record CheckpointMetadata(
    int FormatVersion,
    string Algorithm,
    string RLKitVersion,
    string? OptionsType,
    JsonElement Options,
    SpaceDescription ObservationSpace,
    SpaceDescription ActionSpace,
    IReadOnlyList<string> WeightNames,
    IReadOnlyList<string>? OptimizerStateNames = null,
    IReadOnlyDictionary<string, RunningStatistics>? Normalizers = null,
    IReadOnlyDictionary<string, string>? Notes = null,
    IReadOnlyList<string>? TaskIds = null,
    JsonElement? TrainingState = null);

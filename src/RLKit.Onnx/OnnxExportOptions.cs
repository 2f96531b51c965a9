using RLKit.Training;

namespace RLKit.Onnx;

/// <summary>What <see cref="OnnxExporter"/> writes besides the agent's acting network. The defaults export the policy as it acts.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// For a multi-task agent (Distral): the index of the task whose policy π_i to export, in [0, TaskIds.Count); null
    /// (the default) exports the agent's task-free policy (Distral's distilled π0). Must be null for single-task agents.
    /// </summary>
    public int? Task { get; init; }

    /// <summary>Normalisation statistics to fold in, so the model takes raw observations; null (the default) for none.</summary>
    public OnnxObservationNormalization? ObservationNormalization { get; init; }

    /// <summary>Actor-critic agents: also output the critic's V(s) as <see cref="OnnxNames.Value"/> (default true); false exports the actor only.</summary>
    public bool IncludeValue { get; init; } = true;

    /// <summary>Checks the options that do not depend on the agent.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <see cref="Task"/> is negative.</exception>
    public void Validate()
    {
        if (Task is int task) OptionRules.AtLeast(task, 0, nameof(OnnxExportOptions), nameof(Task));
    }
}

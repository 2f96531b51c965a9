namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// How the T task policies (and their critics) share parameters: the three network layouts the QMP paper compares
/// (seed 002 §5, Table 1). The multi-task SAC harness builds every actor and critic with the chosen layout.
/// </summary>
public enum TaskParameterSharing
{
    /// <summary>
    /// "Separated": one independent network per task, stored as one ensemble so that all tasks run in a single batched
    /// pass; each task's gradient reaches only its own member.
    /// </summary>
    Separate,

    /// <summary>
    /// "Shared": one wider network for every task, conditioned on the task's one-hot id appended to its input (the
    /// paper's widths: 834 on the maze, 600 on the reacher). Trained like the reference's multi-task SAC: each gradient
    /// step uses one batch of <see cref="MultiTaskSacOptions.BatchSize"/> transitions spread over the tasks (⌈B/T⌉ each),
    /// and there are T times as many gradient steps per update.
    /// </summary>
    Shared,

    /// <summary>
    /// "Shared Multihead": one trunk shared by every task and one output head per task (the paper's widths: 834 on the
    /// maze, 512 on the reacher). Scheduled like <see cref="Shared"/> (the reference trains its multi-head networks from
    /// one buffer, one mixed batch per step, T times the gradient steps).
    /// </summary>
    Multihead,
}

namespace RLKit.Envs.Reacher;

/// <summary>
/// Options of <see cref="MultistageReacher"/>. The papers give the task structure and start noise; the numbers
/// marked "decision" are RLKit's, chosen for the planar arm.
/// </summary>
public sealed record MultistageReacherOptions
{
    /// <summary>The task index into <see cref="MultistageReacherTask.Tasks"/>, 0–4. Default 0.</summary>
    public int Task { get; init; }

    /// <summary>A subgoal is reached when the fingertip is within this distance, in (0, 0.2]. Default 0.05 (decision).</summary>
    public double SubgoalRadius { get; init; } = 0.05;

    /// <summary>Dense-reward bonus for reaching a subgoal, ≥ 0. Default 1 (decision).</summary>
    public double SubgoalBonus { get; init; } = 1.0;

    /// <summary>
    /// Weight of the control cost Σ aᵢ² (a the action in [−1, 1]³), ≥ 0, as in Gym's Reacher. Default 0.1 (decision: Gym
    /// uses 1 for a 2-joint arm with 50-step episodes).
    /// </summary>
    public double ControlCostWeight { get; init; } = 0.1;

    /// <summary>Half-width of the uniform noise on each initial joint angle, in [0, 0.1]. Default 0.01 (seed 003 D.1).</summary>
    public double InitialNoise { get; init; } = 0.01;

    internal void Validate()
    {
        int taskCount = MultistageReacherTask.Tasks.Count;
        if (Task < 0 || Task >= taskCount)
            throw new ArgumentOutOfRangeException(nameof(Task), Task, $"MultistageReacherOptions.Task must be in [0, {taskCount - 1}].");
        if (!(SubgoalRadius > 0 && SubgoalRadius <= 0.2))
            throw new ArgumentOutOfRangeException(nameof(SubgoalRadius), SubgoalRadius, "MultistageReacherOptions.SubgoalRadius must be in (0, 0.2].");
        if (!(SubgoalBonus >= 0 && double.IsFinite(SubgoalBonus)))
            throw new ArgumentOutOfRangeException(nameof(SubgoalBonus), SubgoalBonus, "MultistageReacherOptions.SubgoalBonus must be finite and ≥ 0.");
        if (!(ControlCostWeight >= 0 && double.IsFinite(ControlCostWeight)))
            throw new ArgumentOutOfRangeException(nameof(ControlCostWeight), ControlCostWeight, "MultistageReacherOptions.ControlCostWeight must be finite and ≥ 0.");
        if (!(InitialNoise >= 0 && InitialNoise <= 0.1))
            throw new ArgumentOutOfRangeException(nameof(InitialNoise), InitialNoise, "MultistageReacherOptions.InitialNoise must be in [0, 0.1].");
    }
}

using RLKit.Training;

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

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(MultistageReacherOptions);
        OptionRules.InRange(Task, 0, MultistageReacherTask.Tasks.Count - 1, record, nameof(Task));
        OptionRules.InRange(SubgoalRadius, 0, 0.2, record, nameof(SubgoalRadius), minInclusive: false);
        OptionRules.NonNegative(SubgoalBonus, record, nameof(SubgoalBonus));
        OptionRules.NonNegative(ControlCostWeight, record, nameof(ControlCostWeight));
        OptionRules.InRange(InitialNoise, 0, 0.1, record, nameof(InitialNoise));
    }
}

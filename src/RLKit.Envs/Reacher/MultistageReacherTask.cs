namespace RLKit.Envs.Reacher;

/// <summary>
/// One multistage-reacher task: an ordered sequence of subgoals (letters of <see cref="SubgoalPositions"/>), its
/// reward kind, and a constant added to every step's reward.
/// </summary>
/// <param name="Subgoals">The subgoal letters in order, e.g. "ABC"; empty for <see cref="ReacherReward.StayStill"/>.</param>
/// <param name="Reward">How the task is rewarded.</param>
/// <param name="RewardShift">Added to every step's reward (seed 003 D.1: task 1 is shifted by −2).</param>
public sealed record MultistageReacherTask(string Subgoals, ReacherReward Reward, double RewardShift = 0)
{
    /// <summary>
    /// Subgoals A–D in the plane: the (x, y) of QMP's Jaco subgoals (seed 003 table D.1) with the height dropped:
    /// A (0.2, 0.3), B (0.3, 0), C (0.4, −0.3), D (0.4, 0.3).
    /// </summary>
    public static IReadOnlyDictionary<char, (double X, double Y)> SubgoalPositions { get; } = new Dictionary<char, (double X, double Y)>
    {
        ['A'] = (0.2, 0.3),
        ['B'] = (0.3, 0.0),
        ['C'] = (0.4, -0.3),
        ['D'] = (0.4, 0.3),
    };

    /// <summary>
    /// QMP's five tasks, task i at index i: T0 A,B,C; T1 A,B,D (reward shifted by −2 per step, seed 003 D.1);
    /// T2 B,D,C; T3 B,C,A with sparse reward; T4 stay still.
    /// </summary>
    public static IReadOnlyList<MultistageReacherTask> Tasks { get; } =
    [
        new("ABC", ReacherReward.Dense),
        new("ABD", ReacherReward.Dense, RewardShift: -2),
        new("BDC", ReacherReward.Dense),
        new("BCA", ReacherReward.Sparse),
        new("", ReacherReward.StayStill),
    ];
}

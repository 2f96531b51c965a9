using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Reacher;

/// <summary>
/// QMP's multistage reacher (seed 002 A.2, seed 003 D.1) as a planar, kinematic 3-link arm (<see cref="PlanarArm"/>).
/// Each task is a sequence of three subgoals among A–D (see <see cref="MultistageReacherTask.Tasks"/>); reaching the
/// current subgoal advances the stage, and reaching the last one ends the episode (terminated, info "success" = true).
/// The observation holds the arm state and the stage but never the goal, so the task must be inferred from reward.
/// The 200-step limit is a <see cref="RLKit.Environments.Wrappers.TimeLimit"/> added by the catalog.
/// </summary>
/// <remarks>
/// <para>
/// Observation (12 floats): joint angles q0..q2 (rad), joint velocities (rad/s), fingertip (x, y), and the stage
/// one-hot over 0, 1, 2, 3 subgoals reached (3 appears only in the terminal observation; the stay-still task stays
/// at stage 0). Action: joint-velocity commands in [−1, 1]³ (clipped), times <see cref="MaxJointSpeed"/>.
/// </para>
/// <para>
/// Decisions (the papers use a MuJoCo Jaco arm): the arm is kinematic — each step sets the joint velocities to the
/// command and integrates the angles over <see cref="Timestep"/>, clamping at the joint limits (where the reported
/// velocity is the motion actually made). Episodes start from <see cref="InitialAngles"/> plus U(±0.01) per joint
/// (seed 003 D.1), with zero velocity; the fingertip then starts far from every subgoal.
/// </para>
/// <para>
/// Reward per step, with d the fingertip's distance to the current subgoal <em>after</em> the move and c =
/// <see cref="MultistageReacherOptions.ControlCostWeight"/>·Σaᵢ² (a the clipped action): dense tasks get
/// −d − c + <see cref="MultistageReacherTask.RewardShift"/>, plus <see cref="MultistageReacherOptions.SubgoalBonus"/>
/// on the step a subgoal is reached (d ≤ <see cref="MultistageReacherOptions.SubgoalRadius"/>); the sparse task gets
/// 1 on that step and 0 otherwise; the stay-still task gets −(distance of the fingertip from where the episode
/// started) − c, never terminates, and reports "success" while that distance is within the subgoal radius. At most
/// one subgoal is reached per step. Info: "success" (bool) and "stage" (int, subgoals reached).
/// </para>
/// </remarks>
public sealed class MultistageReacher : EnvironmentBase
{
    /// <summary>Seconds per step (decision).</summary>
    public const double Timestep = 0.05;

    /// <summary>Joint speed (rad/s) for a command of ±1 (decision: at most 0.1 rad per step).</summary>
    public const double MaxJointSpeed = 2.0;

    /// <summary>The episode length the catalog's <see cref="RLKit.Environments.Wrappers.TimeLimit"/> enforces (200).</summary>
    public const int MaxEpisodeSteps = 200;

    /// <summary>Entries of the stage one-hot: 0, 1, 2 or 3 subgoals reached.</summary>
    public const int StageCount = 4;

    /// <summary>The observation length: 3 angles, 3 velocities, 2 fingertip coordinates, 4 stage entries.</summary>
    public const int ObservationSize = 2 * PlanarArm.JointCount + 2 + StageCount;

    /// <summary>
    /// The nominal start pose (π/2, π/2, 0): the arm points up, then back to the left, putting the fingertip at
    /// (−0.35, 0.25), at least 0.55 from every subgoal.
    /// </summary>
    public static IReadOnlyList<double> InitialAngles { get; } = [Math.PI / 2, Math.PI / 2, 0.0];

    private static readonly IReadOnlyDictionary<string, object>[] InfoByStageAndSuccess = CreateInfos();

    private readonly MultistageReacherOptions _options;
    private readonly (double X, double Y)[] _subgoals;
    private readonly double[] _angles = new double[PlanarArm.JointCount];
    private readonly double[] _velocities = new double[PlanarArm.JointCount];
    private (double X, double Y) _initialFingertip;
    private int _stage;

    /// <summary>Creates the reacher for task <see cref="MultistageReacherOptions.Task"/> (defaults when <paramref name="options"/> is null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its documented range.</exception>
    public MultistageReacher(MultistageReacherOptions? options = null)
        : base(CreateObservationSpace(), new Box(-1f, 1f, PlanarArm.JointCount))
    {
        _options = options ?? new MultistageReacherOptions();
        _options.Validate();
        Task = MultistageReacherTask.Tasks[_options.Task];
        _subgoals = Task.Subgoals.Select(letter => MultistageReacherTask.SubgoalPositions[letter]).ToArray();
        Id = TaskId(_options.Task);
    }

    /// <summary>The id of task <paramref name="task"/>: "MultistageReacher-Task{task}".</summary>
    public static string TaskId(int task) => $"MultistageReacher-Task{task}";

    /// <inheritdoc/>
    public override string Id { get; }

    /// <summary>The options this reacher was created with.</summary>
    public MultistageReacherOptions Options => _options;

    /// <summary>This reacher's task.</summary>
    public MultistageReacherTask Task { get; }

    /// <summary>The number of subgoals reached in this episode.</summary>
    public int Stage => _stage;

    /// <summary>The current joint angles (rad).</summary>
    public (double Q0, double Q1, double Q2) JointAngles => (_angles[0], _angles[1], _angles[2]);

    /// <summary>The current fingertip position.</summary>
    public (double X, double Y) Fingertip => PlanarArm.Fingertip(_angles[0], _angles[1], _angles[2]);

    /// <summary>
    /// The point the reward currently pulls towards: the current subgoal, the fingertip's start for the stay-still
    /// task, or null once every subgoal is reached.
    /// </summary>
    public (double X, double Y)? CurrentTarget =>
        Task.Reward == ReacherReward.StayStill ? _initialFingertip : _stage < _subgoals.Length ? _subgoals[_stage] : null;

    /// <summary>
    /// Sets the joint angles (velocities become zero), for tests and research code; call after Reset. The stage is kept.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If an angle is outside its joint limits.</exception>
    public void SetJointAngles(double q0, double q1, double q2)
    {
        ReadOnlySpan<double> q = [q0, q1, q2];
        for (int i = 0; i < PlanarArm.JointCount; i++)
            if (!(q[i] >= PlanarArm.LowerLimits[i] && q[i] <= PlanarArm.UpperLimits[i]))
                throw new ArgumentOutOfRangeException($"q{i}", q[i], $"{Id}: joint {i} must be in [{PlanarArm.LowerLimits[i]}, {PlanarArm.UpperLimits[i]}].");
        q.CopyTo(_angles);
        Array.Clear(_velocities);
    }

    /// <summary>
    /// An SVG picture of the subgoals (this task's numbered in order), the fingertip path over
    /// <paramref name="jointTrajectory"/> and the arm at its first and last pose.
    /// </summary>
    public string RenderSvg(IEnumerable<(double Q0, double Q1, double Q2)> jointTrajectory) => ReacherSvg.Render(Task, _options.SubgoalRadius, jointTrajectory);

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        for (int i = 0; i < PlanarArm.JointCount; i++)
            _angles[i] = InitialAngles[i] + Random.UniformDouble(-_options.InitialNoise, _options.InitialNoise);
        Array.Clear(_velocities);
        _stage = 0;
        _initialFingertip = Fingertip;
        WriteObservation(observation);
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        double controlSquared = 0;
        for (int i = 0; i < PlanarArm.JointCount; i++)
        {
            double command = Math.Clamp((double)action[i], -1.0, 1.0);
            controlSquared += command * command;
            double previous = _angles[i];
            _angles[i] = Math.Clamp(previous + Timestep * MaxJointSpeed * command, PlanarArm.LowerLimits[i], PlanarArm.UpperLimits[i]);
            _velocities[i] = Math.Clamp((_angles[i] - previous) / Timestep, -MaxJointSpeed, MaxJointSpeed);
        }
        double controlCost = _options.ControlCostWeight * controlSquared;
        var tip = Fingertip;

        double reward;
        bool success;
        if (Task.Reward == ReacherReward.StayStill)
        {
            double drift = Distance(tip, _initialFingertip);
            reward = -drift - controlCost + Task.RewardShift;
            success = drift <= _options.SubgoalRadius;
        }
        else
        {
            double distance = Distance(tip, _subgoals[_stage]);
            bool reached = distance <= _options.SubgoalRadius;
            reward = Task.Reward == ReacherReward.Sparse
                ? (reached ? 1.0 : 0.0) + Task.RewardShift
                : -distance - controlCost + Task.RewardShift + (reached ? _options.SubgoalBonus : 0.0);
            if (reached) _stage++;
            success = _stage == _subgoals.Length;
        }
        WriteObservation(observation);
        bool terminated = success && Task.Reward != ReacherReward.StayStill;
        return new Transition(reward, terminated, false, InfoByStageAndSuccess[2 * _stage + (success ? 1 : 0)]);
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) =>
        Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private void WriteObservation(Span<float> observation)
    {
        for (int i = 0; i < PlanarArm.JointCount; i++)
        {
            observation[i] = (float)_angles[i];
            observation[PlanarArm.JointCount + i] = (float)_velocities[i];
        }
        var tip = Fingertip;
        observation[6] = (float)tip.X;
        observation[7] = (float)tip.Y;
        for (int s = 0; s < StageCount; s++) observation[8 + s] = s == _stage ? 1f : 0f;
    }

    private static Box CreateObservationSpace()
    {
        var low = new float[ObservationSize];
        var high = new float[ObservationSize];
        for (int i = 0; i < PlanarArm.JointCount; i++)
        {
            (low[i], high[i]) = ((float)PlanarArm.LowerLimits[i], (float)PlanarArm.UpperLimits[i]);
            (low[3 + i], high[3 + i]) = ((float)-MaxJointSpeed, (float)MaxJointSpeed);
        }
        float reach = (float)PlanarArm.Reach;
        (low[6], high[6], low[7], high[7]) = (-reach, reach, -reach, reach);
        for (int s = 0; s < StageCount; s++) (low[8 + s], high[8 + s]) = (0f, 1f);
        return new Box(low, high, [ObservationSize]);
    }

    private static IReadOnlyDictionary<string, object>[] CreateInfos()
    {
        var infos = new IReadOnlyDictionary<string, object>[2 * StageCount];
        for (int stage = 0; stage < StageCount; stage++)
            for (int success = 0; success < 2; success++)
                infos[2 * stage + success] = new Dictionary<string, object> { ["success"] = success == 1, ["stage"] = stage };
        return infos;
    }
}

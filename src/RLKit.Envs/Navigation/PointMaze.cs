using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Navigation;

/// <summary>
/// QMP's multi-task point maze (seed 002 A.2, seed 003 D.2): a point mass in D4RL's LARGE_MAZE that must reach a fixed
/// goal from a fixed start. Observation [x, y, vx, vy] with (x, y) = (row, column) in cell units (no goal, no task
/// id); action a 2-D force in [−1, 1]²; reward exp(−dist) − 1 per step; terminated with info "success" = true when
/// dist ≤ 0.5. The 600-step limit is a <see cref="RLKit.Environments.Wrappers.TimeLimit"/> added by the catalog.
/// </summary>
/// <remarks>
/// <para>
/// Managed physics modelled on D4RL's MuJoCo point (a sphere of radius 0.1 on two slide joints with damping 1 and
/// motors of gear 100, timestep 0.01, frame skip 1, zero gravity): the action is clipped to [−1, 1] and scaled by
/// <see cref="Gear"/> into a force on a mass of <see cref="Mass"/> (MuJoCo's default density 1000 over the sphere's
/// volume, 4.19 kg, so full force accelerates at about 24 cell/s²). One step integrates MuJoCo's Euler scheme
/// with implicit joint damping, v ← (m·v + dt·F) / (m + dt·<see cref="Damping"/>), clips each velocity component
/// to ±<see cref="MaxSpeed"/>, then moves the particle by v·dt.
/// </para>
/// <para>
/// Decisions where D4RL/QMP are silent or impossible to copy exactly: D4RL clips the velocity before each step, so
/// its observed speed can briefly exceed 5; here the clip comes after the velocity update, so observations always
/// satisfy |v| ≤ 5. MuJoCo's soft contacts are replaced by hard ones: the particle's bounding square (half-width
/// <see cref="ParticleRadius"/>) is swept along x, then along y, against the wall cells; a move into a wall stops at
/// the wall face and zeroes that velocity component (no bounce), so the particle's disc never enters a wall cell.
/// At wall corners the square is slightly more conservative than the disc.
/// </para>
/// </remarks>
public sealed class PointMaze : EnvironmentBase
{
    /// <summary>The particle's mass (kg): MuJoCo's default density 1000 times the volume of a sphere of radius 0.1.</summary>
    public const double Mass = 4.0 / 3.0 * Math.PI * 0.001 * 1000.0;

    /// <summary>Viscous damping of each slide joint (N·s per cell), as in D4RL's point.xml.</summary>
    public const double Damping = 1.0;

    /// <summary>Force per unit action (the motors' gear).</summary>
    public const double Gear = 100.0;

    /// <summary>Seconds per step (MuJoCo timestep 0.01, frame skip 1).</summary>
    public const double Timestep = 0.01;

    /// <summary>Each velocity component is clipped to ±this (cells per second).</summary>
    public const double MaxSpeed = 5.0;

    /// <summary>The episode length the catalog's <see cref="RLKit.Environments.Wrappers.TimeLimit"/> enforces (QMP: 600).</summary>
    public const int MaxEpisodeSteps = 600;

    /// <summary>The particle's radius (cells).</summary>
    public const double ParticleRadius = 0.1;

    // Contact tolerance: a particle resting exactly on a wall face must not count as overlapping that wall.
    private const double ContactTolerance = 1e-9;

    private static readonly IReadOnlyDictionary<string, object> SuccessInfo = new Dictionary<string, object> { ["success"] = true };
    private static readonly IReadOnlyDictionary<string, object> NoSuccessInfo = new Dictionary<string, object> { ["success"] = false };

    private readonly PointMazeOptions _options;
    private double _x, _y, _vx, _vy;

    /// <summary>Creates the maze for task <see cref="PointMazeOptions.Task"/> (defaults when <paramref name="options"/> is null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its documented range.</exception>
    public PointMaze(PointMazeOptions? options = null)
        : base(CreateObservationSpace(MazeLayout.LargeMaze), new Box(-1f, 1f, 2))
    {
        _options = options ?? new PointMazeOptions();
        _options.Validate();
        Task = PointMazeTask.LargeMazeTasks[_options.Task];
        Id = TaskId(_options.Task);
    }

    /// <summary>The id of task <paramref name="task"/>: "PointMaze-Large-Task{task}".</summary>
    public static string TaskId(int task) => $"PointMaze-Large-Task{task}";

    /// <inheritdoc/>
    public override string Id { get; }

    /// <summary>The options this maze was created with.</summary>
    public PointMazeOptions Options => _options;

    /// <summary>The maze layout (LARGE_MAZE).</summary>
    public MazeLayout Layout => MazeLayout.LargeMaze;

    /// <summary>This maze's start and goal cells.</summary>
    public PointMazeTask Task { get; }

    /// <summary>The goal position (x, y).</summary>
    public (double X, double Y) Goal => (Task.GoalRow, Task.GoalColumn);

    /// <summary>The particle's position (x, y) = (row, column) in cell units.</summary>
    public (double X, double Y) Position => (_x, _y);

    /// <summary>The particle's velocity (vx, vy).</summary>
    public (double X, double Y) Velocity => (_vx, _vy);

    /// <summary>The Euclidean distance from the particle to the goal.</summary>
    public double DistanceToGoal => Math.Sqrt((_x - Task.GoalRow) * (_x - Task.GoalRow) + (_y - Task.GoalColumn) * (_y - Task.GoalColumn));

    /// <summary>
    /// Sets the physical state (for tests and research code); the next step starts from it. Call after Reset: Reset
    /// overwrites the state.
    /// </summary>
    /// <exception cref="ArgumentException">If a value is not finite or the particle would overlap a wall cell.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a velocity component exceeds <see cref="MaxSpeed"/>.</exception>
    public void SetState(double x, double y, double vx, double vy)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y))
            throw new ArgumentException($"{Id}: position ({x}, {y}) must be finite.", nameof(x));
        if (!(Math.Abs(vx) <= MaxSpeed))
            throw new ArgumentOutOfRangeException(nameof(vx), vx, $"{Id}: velocity components must be in [−{MaxSpeed}, {MaxSpeed}].");
        if (!(Math.Abs(vy) <= MaxSpeed))
            throw new ArgumentOutOfRangeException(nameof(vy), vy, $"{Id}: velocity components must be in [−{MaxSpeed}, {MaxSpeed}].");
        if (OverlapsWall(x, y))
            throw new ArgumentException($"{Id}: a particle of radius {ParticleRadius} at ({x}, {y}) would overlap a wall cell.", nameof(x));
        (_x, _y, _vx, _vy) = (x, y, vx, vy);
    }

    /// <summary>Whether a particle centred at (x, y) would overlap a wall cell (its bounding square, as the physics uses).</summary>
    public bool OverlapsWall(double x, double y)
    {
        for (int row = FirstCell(x - ParticleRadius); row <= LastCell(x + ParticleRadius); row++)
            for (int column = FirstCell(y - ParticleRadius); column <= LastCell(y + ParticleRadius); column++)
                if (Layout.IsWall(row, column)) return true;
        return false;
    }

    /// <summary>
    /// An SVG picture of the maze (walls grey), the start (green), the goal with its success radius (red) and
    /// <paramref name="trajectory"/> as a blue polyline of (x, y) positions. Rows run down, columns to the right.
    /// </summary>
    public string RenderSvg(IEnumerable<(double X, double Y)> trajectory) => PointMazeSvg.Render(Layout, Task, _options.SuccessRadius, trajectory);

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        double noise = _options.StartNoise, std = _options.InitialVelocityStd;
        _x = Task.StartRow + Random.UniformDouble(-noise, noise);
        _y = Task.StartColumn + Random.UniformDouble(-noise, noise);
        _vx = Math.Clamp(std * Random.NextNormal(), -MaxSpeed, MaxSpeed);
        _vy = Math.Clamp(std * Random.NextNormal(), -MaxSpeed, MaxSpeed);
        WriteObservation(observation);
        return null;
    }

    /// <inheritdoc/>
    protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        double forceX = Gear * Math.Clamp((double)action[0], -1.0, 1.0);
        double forceY = Gear * Math.Clamp((double)action[1], -1.0, 1.0);
        const double implicitMass = Mass + Timestep * Damping;
        _vx = Math.Clamp((Mass * _vx + Timestep * forceX) / implicitMass, -MaxSpeed, MaxSpeed);
        _vy = Math.Clamp((Mass * _vy + Timestep * forceY) / implicitMass, -MaxSpeed, MaxSpeed);
        SweepAlongX(_vx * Timestep);
        SweepAlongY(_vy * Timestep);
        WriteObservation(observation);

        double distance = DistanceToGoal;
        bool success = distance <= _options.SuccessRadius;
        return new Transition(Math.Exp(-distance) - 1.0, success, false, success ? SuccessInfo : NoSuccessInfo);
    }

    private void SweepAlongX(double dx)
    {
        if (dx == 0) return;
        double target = _x + dx;
        bool blocked = false;
        int firstColumn = FirstCell(_y - ParticleRadius), lastColumn = LastCell(_y + ParticleRadius);
        for (int row = FirstCell(target - ParticleRadius); row <= LastCell(target + ParticleRadius); row++)
            for (int column = firstColumn; column <= lastColumn; column++)
            {
                if (!Layout.IsWall(row, column)) continue;
                if (dx > 0 && row - 0.5 >= _x + ParticleRadius - ContactTolerance)
                {
                    target = Math.Min(target, row - 0.5 - ParticleRadius);
                    blocked = true;
                }
                else if (dx < 0 && row + 0.5 <= _x - ParticleRadius + ContactTolerance)
                {
                    target = Math.Max(target, row + 0.5 + ParticleRadius);
                    blocked = true;
                }
            }
        _x = target;
        if (blocked) _vx = 0;
    }

    private void SweepAlongY(double dy)
    {
        if (dy == 0) return;
        double target = _y + dy;
        bool blocked = false;
        int firstRow = FirstCell(_x - ParticleRadius), lastRow = LastCell(_x + ParticleRadius);
        for (int column = FirstCell(target - ParticleRadius); column <= LastCell(target + ParticleRadius); column++)
            for (int row = firstRow; row <= lastRow; row++)
            {
                if (!Layout.IsWall(row, column)) continue;
                if (dy > 0 && column - 0.5 >= _y + ParticleRadius - ContactTolerance)
                {
                    target = Math.Min(target, column - 0.5 - ParticleRadius);
                    blocked = true;
                }
                else if (dy < 0 && column + 0.5 <= _y - ParticleRadius + ContactTolerance)
                {
                    target = Math.Max(target, column + 0.5 + ParticleRadius);
                    blocked = true;
                }
            }
        _y = target;
        if (blocked) _vy = 0;
    }

    // The first and last cell index whose open interval [i − 0.5, i + 0.5] overlaps the open interval (low, high);
    // touching faces within the tolerance do not count.
    private static int FirstCell(double low) => (int)Math.Floor(low + 0.5 + ContactTolerance);

    private static int LastCell(double high) => (int)Math.Ceiling(high + 0.5 - ContactTolerance) - 1;

    private void WriteObservation(Span<float> observation)
    {
        observation[0] = (float)_x;
        observation[1] = (float)_y;
        observation[2] = (float)_vx;
        observation[3] = (float)_vy;
    }

    private static Box CreateObservationSpace(MazeLayout layout) => new(
        [0f, 0f, (float)-MaxSpeed, (float)-MaxSpeed],
        [layout.Rows - 1, layout.Columns - 1, (float)MaxSpeed, (float)MaxSpeed],
        [4]);
}

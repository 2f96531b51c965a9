namespace RLKit.Envs.Reacher;

/// <summary>
/// The kinematics of the multistage reacher's planar 3-link arm: the base at the origin, joint angles relative to
/// the previous link (the first to the +x axis), counter-clockwise positive.
/// </summary>
/// <remarks>
/// Decision (the papers use a 6-DoF Jaco in MuJoCo): link lengths 0.25, 0.2 and 0.15 give a reach of 0.6, enough for
/// every subgoal (the farthest is 0.5 from the base). The base joint moves in [−π, π]; the elbow and wrist in
/// [−2.8, 2.8] rad so the arm cannot fold onto itself.
/// </remarks>
public static class PlanarArm
{
    /// <summary>The number of joints (and links).</summary>
    public const int JointCount = 3;

    /// <summary>Link lengths from the base outwards.</summary>
    public static IReadOnlyList<double> LinkLengths { get; } = [0.25, 0.2, 0.15];

    /// <summary>The lower joint limits (rad).</summary>
    public static IReadOnlyList<double> LowerLimits { get; } = [-Math.PI, -2.8, -2.8];

    /// <summary>The upper joint limits (rad).</summary>
    public static IReadOnlyList<double> UpperLimits { get; } = [Math.PI, 2.8, 2.8];

    /// <summary>The total reach: the sum of the link lengths.</summary>
    public static double Reach => LinkLengths[0] + LinkLengths[1] + LinkLengths[2];

    /// <summary>The fingertip position for joint angles (q0, q1, q2).</summary>
    public static (double X, double Y) Fingertip(double q0, double q1, double q2)
    {
        double a1 = q0, a2 = q0 + q1, a3 = q0 + q1 + q2;
        return (LinkLengths[0] * Math.Cos(a1) + LinkLengths[1] * Math.Cos(a2) + LinkLengths[2] * Math.Cos(a3),
                LinkLengths[0] * Math.Sin(a1) + LinkLengths[1] * Math.Sin(a2) + LinkLengths[2] * Math.Sin(a3));
    }

    /// <summary>The positions of the base, the two inner joints and the fingertip, in order.</summary>
    public static (double X, double Y)[] JointPositions(double q0, double q1, double q2)
    {
        var points = new (double X, double Y)[JointCount + 1];
        double angle = 0, x = 0, y = 0;
        ReadOnlySpan<double> q = [q0, q1, q2];
        for (int i = 0; i < JointCount; i++)
        {
            angle += q[i];
            x += LinkLengths[i] * Math.Cos(angle);
            y += LinkLengths[i] * Math.Sin(angle);
            points[i + 1] = (x, y);
        }
        return points;
    }
}

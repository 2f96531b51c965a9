using System.Globalization;
using System.Text;

namespace RLKit.Envs.Reacher;

/// <summary>Draws the multistage reacher's subgoals, fingertip path and arm as SVG (y up).</summary>
internal static class ReacherSvg
{
    private const double PixelsPerUnit = 400;
    private const double HalfExtent = 0.7;

    public static string Render(MultistageReacherTask task, double subgoalRadius, IEnumerable<(double Q0, double Q1, double Q2)> jointTrajectory)
    {
        ArgumentNullException.ThrowIfNull(jointTrajectory);
        var poses = jointTrajectory.ToList();
        double size = 2 * HalfExtent * PixelsPerUnit;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <rect x=\"0\" y=\"0\" width=\"{size}\" height=\"{size}\" fill=\"white\"/>\n");
        var (baseU, baseV) = ToPixels(0, 0);
        svg.Append(CultureInfo.InvariantCulture,
            $"  <circle class=\"reach\" cx=\"{baseU:0.##}\" cy=\"{baseV:0.##}\" r=\"{PlanarArm.Reach * PixelsPerUnit:0.##}\" fill=\"none\" stroke=\"#ddd\"/>\n");

        foreach (var (letter, position) in MultistageReacherTask.SubgoalPositions.OrderBy(p => p.Key))
        {
            var (u, v) = ToPixels(position.X, position.Y);
            int order = task.Subgoals.IndexOf(letter);
            string color = order >= 0 ? "red" : "#bbb";
            string label = order >= 0 ? $"{letter}{order + 1}" : letter.ToString();
            svg.Append(CultureInfo.InvariantCulture,
                $"  <circle class=\"subgoal\" cx=\"{u:0.##}\" cy=\"{v:0.##}\" r=\"{subgoalRadius * PixelsPerUnit:0.##}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
            svg.Append(CultureInfo.InvariantCulture,
                $"  <text x=\"{u + 24:0.##}\" y=\"{v + 5:0.##}\" font-family=\"sans-serif\" font-size=\"16\" fill=\"{color}\">{label}</text>\n");
        }

        if (poses.Count > 0)
        {
            var path = new StringBuilder();
            foreach (var (q0, q1, q2) in poses)
            {
                var (x, y) = PlanarArm.Fingertip(q0, q1, q2);
                var (u, v) = ToPixels(x, y);
                if (path.Length > 0) path.Append(' ');
                path.Append(CultureInfo.InvariantCulture, $"{u:0.##},{v:0.##}");
            }
            svg.Append(CultureInfo.InvariantCulture, $"  <polyline class=\"fingertip-path\" points=\"{path}\" fill=\"none\" stroke=\"blue\" stroke-width=\"2\"/>\n");
            AppendArm(svg, poses[0], "arm-start", "#9c9");
            AppendArm(svg, poses[^1], "arm-end", "green");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void AppendArm(StringBuilder svg, (double Q0, double Q1, double Q2) pose, string cssClass, string color)
    {
        var joints = PlanarArm.JointPositions(pose.Q0, pose.Q1, pose.Q2);
        var points = string.Join(' ', joints.Select(j =>
        {
            var (u, v) = ToPixels(j.X, j.Y);
            return string.Create(CultureInfo.InvariantCulture, $"{u:0.##},{v:0.##}");
        }));
        svg.Append(CultureInfo.InvariantCulture,
            $"  <polyline class=\"{cssClass}\" points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"6\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>\n");
    }

    private static (double U, double V) ToPixels(double x, double y) => ((x + HalfExtent) * PixelsPerUnit, (HalfExtent - y) * PixelsPerUnit);
}

using System.Globalization;
using System.Text;

namespace RLKit.Envs.Navigation;

/// <summary>Draws a point-maze layout, task and trajectory as SVG (rows down, columns right).</summary>
internal static class PointMazeSvg
{
    private const double CellPixels = 40;

    public static string Render(MazeLayout layout, PointMazeTask task, double successRadius, IEnumerable<(double X, double Y)> trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var svg = new StringBuilder();
        double width = layout.Columns * CellPixels, height = layout.Rows * CellPixels;
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        for (int row = 0; row < layout.Rows; row++)
            for (int column = 0; column < layout.Columns; column++)
                if (layout.IsWall(row, column))
                    svg.Append(CultureInfo.InvariantCulture,
                        $"  <rect class=\"wall\" x=\"{column * CellPixels}\" y=\"{row * CellPixels}\" width=\"{CellPixels}\" height=\"{CellPixels}\" fill=\"#777\"/>\n");

        var (goalU, goalV) = ToPixels(task.GoalRow, task.GoalColumn);
        svg.Append(CultureInfo.InvariantCulture,
            $"  <circle class=\"goal-radius\" cx=\"{goalU:0.##}\" cy=\"{goalV:0.##}\" r=\"{successRadius * CellPixels:0.##}\" fill=\"none\" stroke=\"red\" stroke-dasharray=\"4 3\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <circle class=\"goal\" cx=\"{goalU:0.##}\" cy=\"{goalV:0.##}\" r=\"6\" fill=\"red\"/>\n");
        var (startU, startV) = ToPixels(task.StartRow, task.StartColumn);
        svg.Append(CultureInfo.InvariantCulture, $"  <circle class=\"start\" cx=\"{startU:0.##}\" cy=\"{startV:0.##}\" r=\"6\" fill=\"green\"/>\n");

        var points = new StringBuilder();
        foreach (var (x, y) in trajectory)
        {
            var (u, v) = ToPixels(x, y);
            if (points.Length > 0) points.Append(' ');
            points.Append(CultureInfo.InvariantCulture, $"{u:0.##},{v:0.##}");
        }
        if (points.Length > 0)
            svg.Append(CultureInfo.InvariantCulture,
                $"  <polyline class=\"trajectory\" points=\"{points}\" fill=\"none\" stroke=\"blue\" stroke-width=\"2\"/>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    // Cell (row, column) spans [column, column + 1] × [row, row + 1] in cell-pixel units, so its centre is +0.5.
    private static (double U, double V) ToPixels(double x, double y) => ((y + 0.5) * CellPixels, (x + 0.5) * CellPixels);
}

using System.Globalization;
using System.Text;

namespace RLKit.Experiments;

/// <summary>
/// The new-actions report's two charts that LearningCurveSvg does not draw: the train-vs-test bar chart of Figs.
/// 2.5/2.6 (per method a light bar for training actions and a solid bar for unseen test actions, each with a ±std
/// error bar) and the 2-D scatter of projected representations of Fig. 2.4. Output depends only on the input
/// (invariant culture), so the same data give the same bytes.
/// </summary>
internal static class NewActionsSvg
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // A colour-blind-safe qualitative palette (Okabe–Ito, then Tableau for more classes).
    private static readonly string[] Palette =
        ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF"];

    /// <summary>
    /// Bars per method: train (light, left) and test (solid, right), mean ± std. <paramref name="top"/> fixes the
    /// y-axis maximum (1 for success rates), else the largest mean + std.
    /// </summary>
    public static string Bars(IReadOnlyList<(string Label, double Train, double TrainStd, double Test, double TestStd)> methods, string title, string axis, double? top)
    {
        const double left = 70, right = 20, topMargin = 60, bottom = 90, barWidth = 30, height = 420;
        // Sans-serif at 11 px averages under 6.5 px per character: wide enough groups that labels never run together.
        double groupWidth = Math.Max(90, methods.Max(m => m.Label.Length) * 6.5 + 12);
        // Sans-serif at 15 px averages under 8 px per character: widen the chart to fit the title.
        double width = Math.Max(Math.Max(640, left + right + methods.Count * groupWidth), title.Length * 8.0 + 40);
        double plotHeight = height - topMargin - bottom;
        double highest = methods.Max(m => Math.Max(m.Train + m.TrainStd, m.Test + m.TestStd));
        double step = NiceStep((top ?? Math.Max(highest, 1e-9)) / 5);
        double max = top ?? Math.Max(step, Math.Ceiling(highest / step - 1e-9) * step);
        int ticks = (int)Math.Round(max / step);
        double Y(double v) => topMargin + plotHeight * (1 - Math.Clamp(v / max, 0, 1));

        var svg = Begin(width, height);
        Text(svg, width / 2, 24, title, "middle", 14);
        // Axis, ticks and grid.
        for (int t = 0; t <= ticks; t++)
        {
            double v = step * t, y = Y(v);
            svg.Append(string.Create(Invariant, $"<line x1=\"{left:0.#}\" y1=\"{y:0.#}\" x2=\"{width - right:0.#}\" y2=\"{y:0.#}\" stroke=\"#e0e0e0\"/>\n"));
            Text(svg, left - 6, y + 4, v.ToString(max <= 2 ? "0.0#" : "0.#", Invariant), "end", 11);
        }
        svg.Append(string.Create(Invariant, $"<line x1=\"{left:0.#}\" y1=\"{topMargin:0.#}\" x2=\"{left:0.#}\" y2=\"{Y(0):0.#}\" stroke=\"#000\"/>\n"));
        svg.Append(string.Create(Invariant, $"<line x1=\"{left:0.#}\" y1=\"{Y(0):0.#}\" x2=\"{width - right:0.#}\" y2=\"{Y(0):0.#}\" stroke=\"#000\"/>\n"));
        svg.Append(string.Create(Invariant, $"<text x=\"18\" y=\"{topMargin + plotHeight / 2:0.#}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 18 {topMargin + plotHeight / 2:0.#})\">{Escape(axis)}</text>\n"));

        double groups = (width - left - right) / Math.Max(1, methods.Count);
        for (int i = 0; i < methods.Count; i++)
        {
            var m = methods[i];
            string colour = Palette[i % Palette.Length];
            double centre = left + groups * (i + 0.5);
            Bar(svg, centre - barWidth, m.Train, m.TrainStd, colour, 0.35, "train");
            Bar(svg, centre, m.Test, m.TestStd, colour, 1.0, "test");
            Text(svg, centre, Y(0) + 18, m.Label, "middle", 11);
        }
        // Legend.
        double lx = width - right - 190, ly = topMargin - 22;
        svg.Append(string.Create(Invariant, $"<rect x=\"{lx:0.#}\" y=\"{ly:0.#}\" width=\"14\" height=\"10\" fill=\"#555\" fill-opacity=\"0.35\"/>\n"));
        Text(svg, lx + 18, ly + 9, "train actions", "start", 11);
        svg.Append(string.Create(Invariant, $"<rect x=\"{lx + 100:0.#}\" y=\"{ly:0.#}\" width=\"14\" height=\"10\" fill=\"#555\"/>\n"));
        Text(svg, lx + 118, ly + 9, "test actions", "start", 11);
        return End(svg);

        void Bar(StringBuilder s, double x, double value, double std, string colour, double opacity, string kind)
        {
            double y = Y(value);
            s.Append(string.Create(Invariant,
                $"<rect class=\"{kind}\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barWidth:0.#}\" height=\"{Y(0) - y:0.#}\" fill=\"{colour}\" fill-opacity=\"{opacity:0.##}\" stroke=\"{colour}\" data-value=\"{value:R}\" data-std=\"{std:R}\"/>\n"));
            double cx = x + barWidth / 2, lo = Y(Math.Max(0, value - std)), hi = Y(value + std);
            s.Append(string.Create(Invariant, $"<line x1=\"{cx:0.#}\" y1=\"{lo:0.#}\" x2=\"{cx:0.#}\" y2=\"{hi:0.#}\" stroke=\"#000\"/>\n"));
            s.Append(string.Create(Invariant, $"<line x1=\"{cx - 5:0.#}\" y1=\"{hi:0.#}\" x2=\"{cx + 5:0.#}\" y2=\"{hi:0.#}\" stroke=\"#000\"/>\n"));
            s.Append(string.Create(Invariant, $"<line x1=\"{cx - 5:0.#}\" y1=\"{lo:0.#}\" x2=\"{cx + 5:0.#}\" y2=\"{lo:0.#}\" stroke=\"#000\"/>\n"));
        }
    }

    /// <summary>The 1, 2, 2.5 or 5 × 10^k at or above <paramref name="raw"/>, for round tick labels.</summary>
    private static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (double f in (double[])[1, 2, 2.5, 5, 10])
            if (f * power >= raw * (1 - 1e-9)) return f * power;
        return 10 * power;
    }

    /// <summary>A scatter of 2-D <paramref name="points"/>, each coloured by its class, with a legend of <paramref name="names"/>.</summary>
    public static string Scatter(double[][] points, int[] classes, string[] names, string title, string property)
    {
        const double size = 480, margin = 40, legend = 150, topMargin = 50;
        double width = size + legend, height = size + topMargin;
        double minX = points.Min(p => p[0]), maxX = points.Max(p => p[0]), minY = points.Min(p => p[1]), maxY = points.Max(p => p[1]);
        // One scale for both axes (a PCA picture must not stretch the weaker component), each axis centred.
        double span = Math.Max(Math.Max(maxX - minX, maxY - minY), 1e-9);
        double x0 = (minX + maxX - span) / 2, y0 = (minY + maxY - span) / 2;
        double X(double v) => margin + (size - 2 * margin) * (v - x0) / span;
        double Y(double v) => topMargin + (size - 2 * margin) * (1 - (v - y0) / span);

        var svg = Begin(width, height);
        Text(svg, width / 2, 22, title, "middle", 13);
        svg.Append(string.Create(Invariant, $"<rect x=\"{margin - 8:0.#}\" y=\"{topMargin - 8:0.#}\" width=\"{size - 2 * margin + 16:0.#}\" height=\"{size - 2 * margin + 16:0.#}\" fill=\"none\" stroke=\"#999\"/>\n"));
        Text(svg, margin + (size - 2 * margin) / 2, topMargin + size - 2 * margin + 28, "PC 1", "middle", 11);
        double axisY = topMargin + (size - 2 * margin) / 2;
        svg.Append(string.Create(Invariant, $"<text x=\"{margin - 14:0.#}\" y=\"{axisY:0.#}\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 {margin - 14:0.#} {axisY:0.#})\">PC 2</text>\n"));
        for (int i = 0; i < points.Length; i++)
        {
            svg.Append(string.Create(Invariant,
                $"<circle cx=\"{X(points[i][0]):0.##}\" cy=\"{Y(points[i][1]):0.##}\" r=\"3\" fill=\"{Palette[classes[i] % Palette.Length]}\" fill-opacity=\"0.75\" data-class=\"{classes[i]}\"/>\n"));
        }
        double lx = size + 4, ly = topMargin;
        Text(svg, lx, ly - 12, property.Length > 22 ? property[..22] + "…" : property, "start", 10);
        for (int c = 0; c < names.Length; c++)
        {
            svg.Append(string.Create(Invariant, $"<circle cx=\"{lx + 6:0.#}\" cy=\"{ly + 16 * c + 6:0.#}\" r=\"5\" fill=\"{Palette[c % Palette.Length]}\"/>\n"));
            Text(svg, lx + 16, ly + 16 * c + 10, names[c], "start", 11);
        }
        return End(svg);
    }

    private static StringBuilder Begin(double width, double height) => new StringBuilder()
        .Append(string.Create(Invariant,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0.#}\" height=\"{height:0.#}\" viewBox=\"0 0 {width:0.#} {height:0.#}\" font-family=\"sans-serif\" font-size=\"12\">\n"))
        .Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, int fontSize) =>
        svg.Append(string.Create(Invariant, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" font-size=\"{fontSize}\">{Escape(text)}</text>\n"));

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}

/// <summary>
/// Principal component analysis for the projection plot: the covariance of the centred rows, its eigenvectors by
/// cyclic Jacobi rotations (exact for the symmetric matrix, deterministic), sorted by eigenvalue; each component's
/// sign is fixed so that its largest-magnitude coordinate is positive (lowest index on ties), so the same data always
/// give the same picture.
/// </summary>
internal static class Pca
{
    /// <summary>The rows projected on the first <paramref name="components"/> principal components, and each component's share of the variance.</summary>
    /// <exception cref="ArgumentException">If there are fewer than two rows, the rows differ in width, or the width is below <paramref name="components"/>.</exception>
    public static (double[][] Points, double[] Explained) Project(double[][] rows, int components)
    {
        if (rows.Length < 2) throw new ArgumentException("Pca: at least two rows are needed.", nameof(rows));
        int d = rows[0].Length;
        if (rows.Any(r => r.Length != d)) throw new ArgumentException("Pca: every row needs the same width.", nameof(rows));
        if (d < components) throw new ArgumentException($"Pca: {components} components need at least {components} columns; got {d}.", nameof(rows));
        var mean = new double[d];
        foreach (var r in rows) for (int j = 0; j < d; j++) mean[j] += r[j] / rows.Length;
        var covariance = new double[d, d];
        foreach (var r in rows)
        {
            for (int i = 0; i < d; i++)
                for (int j = i; j < d; j++)
                    covariance[i, j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (rows.Length - 1);
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) covariance[i, j] = covariance[j, i];

        var (values, vectors) = Jacobi(covariance);
        var order = Enumerable.Range(0, d).OrderByDescending(k => values[k]).ThenBy(k => k).ToArray();
        double total = Math.Max(values.Where(v => v > 0).Sum(), 1e-300);
        var explained = new double[components];
        var basis = new double[components][];
        for (int c = 0; c < components; c++)
        {
            int k = order[c];
            explained[c] = Math.Max(values[k], 0) / total;
            basis[c] = Enumerable.Range(0, d).Select(i => vectors[i, k]).ToArray();
            int largest = 0;
            for (int i = 1; i < d; i++)
                if (Math.Abs(basis[c][i]) > Math.Abs(basis[c][largest]) + 1e-12) largest = i;
            if (basis[c][largest] < 0) for (int i = 0; i < d; i++) basis[c][i] = -basis[c][i];
        }
        var points = rows.Select(r => basis.Select(b => Enumerable.Range(0, d).Sum(i => (r[i] - mean[i]) * b[i])).ToArray()).ToArray();
        return (points, explained);
    }

    /// <summary>Eigenvalues and eigenvectors (columns) of the symmetric matrix <paramref name="a"/> by cyclic Jacobi sweeps.</summary>
    internal static (double[] Values, double[,] Vectors) Jacobi(double[,] a)
    {
        int n = a.GetLength(0);
        var m = (double[,])a.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, scale = 0;
            for (int p = 0; p < n; p++)
            {
                scale += m[p, p] * m[p, p];
                for (int q = p + 1; q < n; q++) off += m[p, q] * m[p, q];
            }
            if (off <= 1e-24 * Math.Max(scale, 1e-300)) break;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(m[p, q]) < 1e-300) continue;
                    double theta = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq;
                        m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk;
                        m[q, k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i, i];
        return (values, v);
    }
}

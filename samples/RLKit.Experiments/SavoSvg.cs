using System.Globalization;
using System.Text;

namespace RLKit.Experiments;

/// <summary>One series of a <see cref="SavoSvg.Chart"/>: points (x ascending for lines), an optional ± band, how it is drawn.</summary>
/// <param name="Name">The legend label.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values.</param>
/// <param name="Low">The band's lower edge per point (with <paramref name="High"/>), or null for none.</param>
/// <param name="High">The band's upper edge per point, or null.</param>
/// <param name="Markers">Draw a dot at every point (and error bars instead of a band).</param>
/// <param name="Dashed">Draw the line dashed (a surrogate next to Q).</param>
internal sealed record SavoSeries(string Name, double[] X, double[] Y, double[]? Low = null, double[]? High = null,
                                  bool Markers = false, bool Dashed = false);

/// <summary>A labelled point on a chart (an actor's proposal on the Q-landscape), drawn as a ringed dot with its label.</summary>
internal sealed record SavoMarker(string Label, double X, double Y, bool Highlight);

/// <summary>
/// The charts of the savo report that LearningCurveSvg (x = environment steps, mean ± std of seeds) does not draw: the
/// performance profile (step functions with bootstrap bands over τ), the k sweep (final return per k with ± std error
/// bars) and the Q-landscape (Q and the surrogates Ψ̂_i over the action range, the valid-action intervals shaded, the
/// proposals marked). Output depends only on the input (invariant culture), so the same data give the same bytes.
/// </summary>
internal static class SavoSvg
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // The same "tab10" palette as LearningCurveSvg, so a method keeps one colour across the report's charts when listed in the same order.
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>
    /// A chart of <paramref name="series"/> with axes, grid, legend and title; <paramref name="shaded"/> x-intervals get a
    /// light background (the valid actions), <paramref name="markers"/> are drawn on top; <paramref name="xRange"/> and
    /// <paramref name="yRange"/> fix an axis (else the data's range, padded); <paramref name="subtitle"/> is a smaller second line; <paramref name="integerX"/> keeps only whole-number x ticks (k).
    /// </summary>
    /// <exception cref="ArgumentException">If there is no series or a series' arrays differ in length or are empty.</exception>
    public static string Chart(IReadOnlyList<SavoSeries> series, string title, string xAxis, string yAxis,
                               IReadOnlyList<(double From, double To)>? shaded = null, IReadOnlyList<SavoMarker>? markers = null,
                               (double Min, double Max)? xRange = null, (double Min, double Max)? yRange = null, double width = 760, double height = 440,
                               string? subtitle = null, bool integerX = false)
    {
        if (series.Count == 0) throw new ArgumentException("SavoSvg: no series.", nameof(series));
        foreach (var s in series)
        {
            if (s.X.Length == 0 || s.X.Length != s.Y.Length || (s.Low?.Length ?? s.X.Length) != s.X.Length || (s.High?.Length ?? s.X.Length) != s.X.Length)
                throw new ArgumentException($"SavoSvg: series '{s.Name}' has empty or mismatched arrays.", nameof(series));
        }
        const double left = 72, bottom = 56, legendWidth = 190;
        double top = subtitle is null ? 48 : 62;
        double right = width - legendWidth, plotBottom = height - bottom;
        var (xMin, xMax) = xRange ?? Padded(series.SelectMany(s => s.X).Concat(markers?.Select(m => m.X) ?? []), 0);
        var (yMin, yMax) = yRange ?? Padded(series.SelectMany(s => s.Y.Concat(s.Low ?? []).Concat(s.High ?? [])).Concat(markers?.Select(m => m.Y) ?? []), 0.05);
        double X(double v) => left + (right - left) * (v - xMin) / (xMax - xMin);
        double Y(double v) => plotBottom - (plotBottom - top) * (Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin);

        var svg = new StringBuilder().Append(string.Create(Invariant,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0.#}\" height=\"{height:0.#}\" viewBox=\"0 0 {width:0.#} {height:0.#}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"));
        Text(svg, width / 2, 26, title, "middle", 15);
        if (subtitle is not null) Text(svg, width / 2, 45, subtitle, "middle", 11);
        foreach (var (from, to) in shaded ?? [])
        {
            double a = X(Math.Max(from, xMin)), b = X(Math.Min(to, xMax));
            if (b > a) svg.Append(string.Create(Invariant, $"<rect class=\"valid\" x=\"{a:0.##}\" y=\"{top:0.##}\" width=\"{b - a:0.##}\" height=\"{plotBottom - top:0.##}\" fill=\"#2ca02c\" fill-opacity=\"0.08\"/>\n"));
        }
        foreach (double tick in Ticks(xMin, xMax).Where(t => !integerX || Math.Abs(t - Math.Round(t)) < 1e-9))
        {
            svg.Append(string.Create(Invariant, $"<line x1=\"{X(tick):0.##}\" y1=\"{top:0.##}\" x2=\"{X(tick):0.##}\" y2=\"{plotBottom:0.##}\" stroke=\"#e0e0e0\"/>\n"));
            Text(svg, X(tick), plotBottom + 18, Label(tick), "middle", 11);
        }
        foreach (double tick in Ticks(yMin, yMax))
        {
            svg.Append(string.Create(Invariant, $"<line x1=\"{left:0.##}\" y1=\"{Y(tick):0.##}\" x2=\"{right:0.##}\" y2=\"{Y(tick):0.##}\" stroke=\"#e0e0e0\"/>\n"));
            Text(svg, left - 6, Y(tick) + 4, Label(tick), "end", 11);
        }
        svg.Append(string.Create(Invariant, $"<path d=\"M{left:0.##},{top:0.##} L{left:0.##},{plotBottom:0.##} L{right:0.##},{plotBottom:0.##}\" fill=\"none\" stroke=\"black\"/>\n"));
        Text(svg, (left + right) / 2, height - 14, xAxis, "middle", 12);
        svg.Append(string.Create(Invariant, $"<text x=\"18\" y=\"{(top + plotBottom) / 2:0.##}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 18 {(top + plotBottom) / 2:0.##})\">{Escape(yAxis)}</text>\n"));

        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            string colour = Palette[i % Palette.Length];
            svg.Append(string.Create(Invariant, $"<g class=\"series\" data-name=\"{Escape(s.Name)}\">\n"));
            if (s.Low is { } low && s.High is { } high)
            {
                if (s.Markers)
                {
                    for (int p = 0; p < s.X.Length; p++)
                        svg.Append(string.Create(Invariant, $"<line x1=\"{X(s.X[p]):0.##}\" y1=\"{Y(low[p]):0.##}\" x2=\"{X(s.X[p]):0.##}\" y2=\"{Y(high[p]):0.##}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>\n"));
                }
                else
                {
                    var band = new StringBuilder();
                    for (int p = 0; p < s.X.Length; p++) Point(band, p == 0 ? 'M' : 'L', X(s.X[p]), Y(high[p]));
                    for (int p = s.X.Length - 1; p >= 0; p--) Point(band, 'L', X(s.X[p]), Y(low[p]));
                    svg.Append($"<path class=\"band\" d=\"{band}Z\" fill=\"{colour}\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
                }
            }
            var line = new StringBuilder();
            for (int p = 0; p < s.X.Length; p++) Point(line, p == 0 ? 'M' : 'L', X(s.X[p]), Y(s.Y[p]));
            svg.Append($"<path class=\"line\" d=\"{line}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}/>\n");
            if (s.Markers)
                for (int p = 0; p < s.X.Length; p++)
                    svg.Append(string.Create(Invariant, $"<circle cx=\"{X(s.X[p]):0.##}\" cy=\"{Y(s.Y[p]):0.##}\" r=\"3.5\" fill=\"{colour}\"/>\n"));
            svg.Append("</g>\n");
            double legendY = top + i * 20;
            svg.Append(string.Create(Invariant, $"<line x1=\"{right + 16:0.##}\" y1=\"{legendY + 5:0.##}\" x2=\"{right + 36:0.##}\" y2=\"{legendY + 5:0.##}\" stroke=\"{colour}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : "")}/>\n"));
            Text(svg, right + 42, legendY + 9, s.Name, "start", 12);
        }
        foreach (var m in markers ?? [])
        {
            svg.Append(string.Create(Invariant, $"<circle class=\"marker\" cx=\"{X(m.X):0.##}\" cy=\"{Y(m.Y):0.##}\" r=\"{(m.Highlight ? 7 : 5)}\" fill=\"{(m.Highlight ? "#ffd700" : "white")}\" stroke=\"black\" stroke-width=\"1.5\"/>\n"));
            Text(svg, X(m.X), Y(m.Y) - 11, m.Label, "middle", 12);
        }
        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>The values' range, widened by <paramref name="pad"/> of its span (a flat range gets ±1).</summary>
    private static (double, double) Padded(IEnumerable<double> values, double pad)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return (0, 1);
        double min = finite.Min(), max = finite.Max();
        if (max - min < 1e-12) return (min - 1, max + 1);
        double margin = (max - min) * pad;
        return (min - margin, max + margin);
    }

    /// <summary>About six round ticks (1, 2 or 5 × 10^n apart) inside [min, max].</summary>
    private static IEnumerable<double> Ticks(double min, double max)
    {
        double raw = (max - min) / 6, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude : raw / magnitude < 7.5 ? 5 * magnitude : 10 * magnitude;
        for (double t = Math.Ceiling(min / step - 1e-9) * step; t <= max + 1e-9 * step; t += step) yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    private static string Label(double value) => Math.Abs(value) >= 10_000 ? value.ToString("0.#e0", Invariant) : value.ToString("0.###", Invariant);

    private static void Point(StringBuilder path, char command, double x, double y) =>
        path.Append(string.Create(Invariant, $"{command}{x:0.##},{y:0.##} "));

    private static void Text(StringBuilder svg, double x, double y, string text, string anchor, int fontSize) =>
        svg.Append(string.Create(Invariant, $"<text x=\"{x:0.##}\" y=\"{y:0.##}\" text-anchor=\"{anchor}\" font-size=\"{fontSize}\">{Escape(text)}</text>\n"));

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}

using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using RLKit.Serialization;

namespace RLKit.Training.Metrics;

/// <summary>
/// Draws learning curves as an SVG chart: for each <see cref="LearningCurve"/>, the mean across seeds
/// as a line and a shaded ± one standard deviation band, with axes, ticks, labels, a legend and a title.
/// </summary>
/// <remarks>
/// The seeds of a curve are resampled onto a common step grid by linear interpolation (see
/// <see cref="LearningCurveSvgOptions.MaxGridPoints"/>) over the step range every seed covers. The
/// output depends only on the input (no clock, culture or random colours), so the same curves always
/// give the same bytes. Each curve is a <c>&lt;g class="curve"&gt;</c> holding a <c>path.band</c> and a
/// <c>path.mean</c>; colours follow the common "tab10" palette.
/// </remarks>
public static class LearningCurveSvg
{
    private const double MarginLeft = 72, MarginTop = 44, MarginBottom = 56, LegendWidth = 170;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    /// <summary>Writes the chart of <paramref name="curves"/> to <paramref name="path"/> atomically (temp file, then rename).</summary>
    /// <param name="path">The SVG file. Its directory must exist.</param>
    /// <param name="curves">The curves, drawn in order; at least one.</param>
    /// <param name="options">Appearance; null for the defaults.</param>
    /// <exception cref="ArgumentException">If there is no curve, or a curve's seeds share no common step range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range.</exception>
    public static void Write(string path, IReadOnlyList<LearningCurve> curves, LearningCurveSvgOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = Encoding.UTF8.GetBytes(Render(curves, options));
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The SVG document of the chart of <paramref name="curves"/>.</summary>
    /// <param name="curves">The curves, drawn in order; at least one.</param>
    /// <param name="options">Appearance; null for the defaults.</param>
    /// <exception cref="ArgumentException">If there is no curve, or a curve's seeds share no common step range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range.</exception>
    public static string Render(IReadOnlyList<LearningCurve> curves, LearningCurveSvgOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0)
            throw new ArgumentException("LearningCurveSvg needs at least one curve.", nameof(curves));
        for (int i = 0; i < curves.Count; i++)
        {
            if (curves[i] is null)
                throw new ArgumentNullException(nameof(curves), $"LearningCurveSvg: curve {i} is null.");
        }
        options ??= new LearningCurveSvgOptions();
        options.Validate();

        var bands = curves.Select(c => LearningCurveBand.From(c, options.MaxGridPoints)).ToArray();
        var x = ChartAxis.Covering(bands.Min(b => b.Steps[0]), bands.Max(b => b.Steps[^1]));
        var y = ChartAxis.Covering(
            bands.Min(b => b.Mean.Zip(b.StandardDeviation, (m, s) => m - s).Min()),
            bands.Max(b => b.Mean.Zip(b.StandardDeviation, (m, s) => m + s).Max()));
        var plot = new PlotArea(MarginLeft, MarginTop, options.Width - LegendWidth, options.Height - MarginBottom, x, y);

        var root = new XElement(Svg + "svg",
            new XAttribute("width", options.Width),
            new XAttribute("height", options.Height),
            new XAttribute("viewBox", $"0 0 {options.Width} {options.Height}"),
            new XAttribute("font-family", "sans-serif"),
            new XAttribute("font-size", 12),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            Text(options.Width / 2.0, 26, options.Title, ("class", "title"), ("text-anchor", "middle"), ("font-size", "16")),
            Axes(plot, options),
            new XElement(Svg + "g", new XAttribute("class", "curves"),
                curves.Select((curve, i) => Curve(curve, bands[i], Palette[i % Palette.Length], plot))),
            Legend(curves, plot));

        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        var text = new Utf8StringWriter();
        using (var writer = XmlWriter.Create(text, settings))
            new XDocument(root).Save(writer);
        return text.ToString() + "\n";
    }

    private static XElement Axes(PlotArea plot, LearningCurveSvgOptions options)
    {
        var group = new XElement(Svg + "g", new XAttribute("class", "axes"), new XAttribute("stroke", "black"));
        foreach (double tick in plot.X.Ticks())
        {
            double px = plot.PixelX(tick);
            group.Add(Line(px, plot.Top, px, plot.Bottom, ("class", "grid"), ("stroke", "#e0e0e0")));
            group.Add(Line(px, plot.Bottom, px, plot.Bottom + 5, ("class", "tick")));
            group.Add(Text(px, plot.Bottom + 19, plot.X.Label(tick), ("class", "tick-label"), ("text-anchor", "middle"), ("stroke", "none")));
        }
        foreach (double tick in plot.Y.Ticks())
        {
            double py = plot.PixelY(tick);
            group.Add(Line(plot.Left, py, plot.Right, py, ("class", "grid"), ("stroke", "#e0e0e0")));
            group.Add(Line(plot.Left - 5, py, plot.Left, py, ("class", "tick")));
            group.Add(Text(plot.Left - 8, py + 4, plot.Y.Label(tick), ("class", "tick-label"), ("text-anchor", "end"), ("stroke", "none")));
        }
        group.Add(Line(plot.Left, plot.Bottom, plot.Right, plot.Bottom, ("class", "axis")));
        group.Add(Line(plot.Left, plot.Top, plot.Left, plot.Bottom, ("class", "axis")));
        group.Add(Text((plot.Left + plot.Right) / 2, plot.Bottom + 42, options.XAxisLabel, ("class", "axis-label"), ("text-anchor", "middle"), ("stroke", "none")));
        double yLabelX = 20, yLabelY = (plot.Top + plot.Bottom) / 2;
        group.Add(Text(yLabelX, yLabelY, options.YAxisLabel, ("class", "axis-label"), ("text-anchor", "middle"), ("stroke", "none"),
            ("transform", $"rotate(-90 {Number(yLabelX)} {Number(yLabelY)})")));
        return group;
    }

    private static XElement Curve(LearningCurve curve, LearningCurveBand band, string color, PlotArea plot)
    {
        var outline = new StringBuilder();
        for (int i = 0; i < band.Steps.Length; i++)
            AppendPoint(outline, i == 0 ? 'M' : 'L', plot.PixelX(band.Steps[i]), plot.PixelY(band.Mean[i] + band.StandardDeviation[i]));
        for (int i = band.Steps.Length - 1; i >= 0; i--)
            AppendPoint(outline, 'L', plot.PixelX(band.Steps[i]), plot.PixelY(band.Mean[i] - band.StandardDeviation[i]));
        outline.Append('Z');

        var meanLine = new StringBuilder();
        for (int i = 0; i < band.Steps.Length; i++)
            AppendPoint(meanLine, i == 0 ? 'M' : 'L', plot.PixelX(band.Steps[i]), plot.PixelY(band.Mean[i]));

        return new XElement(Svg + "g",
            new XAttribute("class", "curve"),
            new XAttribute("data-name", curve.Name),
            new XElement(Svg + "path", new XAttribute("class", "band"), new XAttribute("d", outline.ToString()),
                new XAttribute("fill", color), new XAttribute("fill-opacity", "0.2"), new XAttribute("stroke", "none")),
            new XElement(Svg + "path", new XAttribute("class", "mean"), new XAttribute("d", meanLine.ToString()),
                new XAttribute("fill", "none"), new XAttribute("stroke", color), new XAttribute("stroke-width", "2"),
                new XAttribute("stroke-linejoin", "round")));
    }

    private static XElement Legend(IReadOnlyList<LearningCurve> curves, PlotArea plot)
    {
        var group = new XElement(Svg + "g", new XAttribute("class", "legend"));
        double left = plot.Right + 16;
        for (int i = 0; i < curves.Count; i++)
        {
            double top = plot.Top + i * 20;
            string color = Palette[i % Palette.Length];
            group.Add(new XElement(Svg + "rect",
                new XAttribute("x", Number(left)), new XAttribute("y", Number(top)),
                new XAttribute("width", 14), new XAttribute("height", 10),
                new XAttribute("fill", color), new XAttribute("fill-opacity", "0.35"), new XAttribute("stroke", color)));
            group.Add(Text(left + 20, top + 9, curves[i].Name, ("class", "legend-label")));
        }
        return group;
    }

    private static XElement Line(double x1, double y1, double x2, double y2, params (string Name, string Value)[] attributes) =>
        new(Svg + "line",
            new XAttribute("x1", Number(x1)), new XAttribute("y1", Number(y1)),
            new XAttribute("x2", Number(x2)), new XAttribute("y2", Number(y2)),
            attributes.Select(a => new XAttribute(a.Name, a.Value)));

    private static XElement Text(double x, double y, string content, params (string Name, string Value)[] attributes) =>
        new(Svg + "text",
            new XAttribute("x", Number(x)), new XAttribute("y", Number(y)),
            attributes.Select(a => new XAttribute(a.Name, a.Value)),
            content);

    private static void AppendPoint(StringBuilder path, char command, double x, double y) =>
        path.Append(command).Append(Number(x)).Append(',').Append(Number(y)).Append(' ');

    // Two decimals are far below a pixel and keep files small and byte-stable.
    private static string Number(double value)
    {
        string text = value.ToString("0.##", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    private sealed class PlotArea(double left, double top, double right, double bottom, ChartAxis x, ChartAxis y)
    {
        internal double Left => left;
        internal double Top => top;
        internal double Right => right;
        internal double Bottom => bottom;
        internal ChartAxis X => x;
        internal ChartAxis Y => y;

        internal double PixelX(double step) => x.ToPixel(step, left, right);

        internal double PixelY(double value) => y.ToPixel(value, bottom, top);
    }

    // StringWriter reports UTF-16, which would put encoding="utf-16" in the declaration of a UTF-8 file.
    private sealed class Utf8StringWriter : StringWriter
    {
        internal Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override Encoding Encoding => new UTF8Encoding(false);
    }
}

using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace RLKit.Experiments;

/// <summary>
/// The qmp experiment's two charts that <see cref="RLKit.Training.Metrics.LearningCurveSvg"/> does not draw: the
/// selection-proportion heat map (the paper's Fig. 5 left) and a grid of charts in one SVG (Fig. 6's one panel per
/// task). Output depends only on the input (invariant culture, no clock), so the same data give the same bytes.
/// </summary>
internal static class QmpSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const double Cell = 60, MarginLeft = 118, MarginTop = 100, MarginRight = 96, MarginBottom = 28;

    /// <summary>
    /// A T×T heat map of <paramref name="values"/>: row i = <paramref name="rowLabels"/>[i] (a task), column j =
    /// <paramref name="columnLabels"/>[j] (a policy), each cell shaded white → blue by its value over the largest value
    /// drawn and labelled with the value. With <paramref name="zeroDiagonal"/> the diagonal is drawn as 0 (white) with
    /// its value in grey brackets, so the off-diagonal sharing gets the whole colour range, as in the paper's Fig. 5.
    /// <paramref name="subtitle"/> is a smaller second line under the title. The image is widened to fit the titles.
    /// </summary>
    /// <exception cref="ArgumentException">If the labels do not match the matrix's shape or a value is not finite.</exception>
    public static string Heatmap(double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, string title,
                                 string subtitle, string rowAxis, string columnAxis, bool zeroDiagonal)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        if (rows != rowLabels.Count || columns != columnLabels.Count)
            throw new ArgumentException($"Heatmap: a {rows}×{columns} matrix needs {rows} row and {columns} column labels; got {rowLabels.Count} and {columnLabels.Count}.");
        double max = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                if (!double.IsFinite(values[i, j])) throw new ArgumentException($"Heatmap: value ({i}, {j}) is {values[i, j]}.", nameof(values));
                if (!(zeroDiagonal && i == j)) max = Math.Max(max, values[i, j]);
            }
        }
        // Sans-serif at 15 px averages under 8 px per character; a wider title centres the grid under it.
        double width = Math.Max(MarginLeft + columns * Cell + MarginRight, Math.Max(title.Length * 8.0, subtitle.Length * 6.5) + 40), height = MarginTop + rows * Cell + MarginBottom;
        double left = MarginLeft + (width - (MarginLeft + columns * Cell + MarginRight)) / 2;
        var cells = new XElement(Svg + "g", new XAttribute("class", "cells"));
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                bool omitted = zeroDiagonal && i == j;
                double shade = omitted || max <= 0 ? 0 : values[i, j] / max;
                double x = left + j * Cell, y = MarginTop + i * Cell;
                string label = values[i, j].ToString("0.00", Invariant);
                cells.Add(new XElement(Svg + "rect",
                    new XAttribute("class", "cell"), new XAttribute("data-row", i), new XAttribute("data-column", j),
                    new XAttribute("data-value", values[i, j].ToString("R", Invariant)),
                    new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), new XAttribute("width", Number(Cell)), new XAttribute("height", Number(Cell)),
                    new XAttribute("fill", Shade(shade)), new XAttribute("stroke", "#ffffff")));
                cells.Add(Text(x + Cell / 2, y + Cell / 2 + 4, omitted ? $"({label})" : label, ("text-anchor", "middle"),
                               ("fill", omitted ? "#999999" : shade > 0.55 ? "#ffffff" : "#000000")));
            }
        }
        var labels = new XElement(Svg + "g", new XAttribute("class", "labels"));
        for (int j = 0; j < columns; j++)
            labels.Add(Text(left + (j + 0.5) * Cell, MarginTop - 8, columnLabels[j], ("text-anchor", "middle")));
        for (int i = 0; i < rows; i++)
            labels.Add(Text(left - 8, MarginTop + (i + 0.5) * Cell + 4, rowLabels[i], ("text-anchor", "end")));
        labels.Add(Text(left + columns * Cell / 2, MarginTop - 30, columnAxis, ("text-anchor", "middle"), ("class", "axis-label")));
        double rowAxisX = left - 100, rowAxisY = MarginTop + rows * Cell / 2;
        labels.Add(Text(rowAxisX, rowAxisY, rowAxis, ("text-anchor", "middle"), ("class", "axis-label"),
                        ("transform", $"rotate(-90 {Number(rowAxisX)} {Number(rowAxisY)})")));

        // The colour bar: 0 at the bottom, the largest drawn value at the top.
        double barX = left + columns * Cell + 24, barHeight = rows * Cell;
        var bar = new XElement(Svg + "g", new XAttribute("class", "colour-bar"));
        const int steps = 20;
        for (int s = 0; s < steps; s++)
        {
            bar.Add(new XElement(Svg + "rect", new XAttribute("x", Number(barX)), new XAttribute("y", Number(MarginTop + barHeight * s / steps)),
                new XAttribute("width", 16), new XAttribute("height", Number(barHeight / steps + 0.5)), new XAttribute("fill", Shade(1 - (s + 0.5) / steps))));
        }
        bar.Add(Text(barX + 20, MarginTop + 10, max.ToString("0.00", Invariant), ("font-size", "11")));
        bar.Add(Text(barX + 20, MarginTop + barHeight, "0", ("font-size", "11")));

        var root = Root(width, height,
            Text(width / 2, 24, title, ("class", "title"), ("text-anchor", "middle"), ("font-size", "15")),
            Text(width / 2, 42, subtitle, ("class", "subtitle"), ("text-anchor", "middle"), ("font-size", "11"), ("fill", "#555555")),
            cells, labels, bar);
        return Serialise(root);
    }

    /// <summary>
    /// One SVG holding <paramref name="charts"/> (complete SVG documents of equal size, e.g. from LearningCurveSvg.Render)
    /// in a grid of <paramref name="columns"/> columns under <paramref name="title"/>.
    /// </summary>
    /// <exception cref="ArgumentException">If there is no chart or a chart is not an SVG document with a width and height.</exception>
    public static string Panel(IReadOnlyList<string> charts, int columns, string title)
    {
        if (charts.Count == 0) throw new ArgumentException("Panel: no charts.", nameof(charts));
        const double titleHeight = 40;
        var parsed = charts.Select(XElement.Parse).ToList();
        double cellWidth = parsed.Max(c => Size(c, "width")), cellHeight = parsed.Max(c => Size(c, "height"));
        int rows = (charts.Count + columns - 1) / columns;
        double width = Math.Min(columns, charts.Count) * cellWidth, height = titleHeight + rows * cellHeight;
        var root = Root(width, height, Text(width / 2, 28, title, ("class", "title"), ("text-anchor", "middle"), ("font-size", "18")));
        for (int k = 0; k < parsed.Count; k++)
        {
            var chart = parsed[k];
            chart.SetAttributeValue("x", Number(k % columns * cellWidth));
            chart.SetAttributeValue("y", Number(titleHeight + k / columns * cellHeight));
            root.Add(chart);
        }
        return Serialise(root);
    }

    private static double Size(XElement chart, string attribute) =>
        chart.Name == Svg + "svg" && double.TryParse((string?)chart.Attribute(attribute), NumberStyles.Float, Invariant, out double size)
            ? size : throw new ArgumentException($"Panel: a chart is not an <svg> with a numeric {attribute}.");

    private static XElement Root(double width, double height, params object[] content) =>
        new(Svg + "svg",
            new XAttribute("width", Number(width)), new XAttribute("height", Number(height)),
            new XAttribute("viewBox", $"0 0 {Number(width)} {Number(height)}"),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 12),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            content);

    /// <summary>White (0) to dark blue (1), linear in RGB.</summary>
    private static string Shade(double t)
    {
        t = Math.Clamp(t, 0, 1);
        int r = (int)Math.Round(255 + (8 - 255) * t), g = (int)Math.Round(255 + (48 - 255) * t), b = (int)Math.Round(255 + (107 - 255) * t);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    private static XElement Text(double x, double y, string text, params (string Name, string Value)[] attributes)
    {
        var element = new XElement(Svg + "text", new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), text);
        foreach (var (name, value) in attributes) element.SetAttributeValue(name, value);
        return element;
    }

    private static string Number(double value) => value.ToString("0.##", Invariant);

    /// <summary>The document as text: an XML declaration, then the indented SVG with "\n" line ends.</summary>
    private static string Serialise(XElement root)
    {
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true, NewLineChars = "\n" };
        var text = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        using (var writer = XmlWriter.Create(text, settings))
            root.Save(writer);
        return text.Append('\n').ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace RLKit.Experiments;

/// <summary>
/// The attention graph of seed 003's Fig. 3.6: the available actions as nodes on a circle, one panel per GAT layer,
/// an edge from action i to action j drawn when i's attention on j is above a threshold, its width proportional to
/// the weight (and labelled with it). Edges i → j and j → i bow to opposite sides so both stay visible; a node's
/// attention on itself is drawn as a ring whose width follows the weight. Output depends only on the input.
/// </summary>
internal static class AgileAttentionSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const double PanelWidth = 620, PanelHeight = 470, Radius = 150, NodeRadius = 26, MaxEdgeWidth = 14, TitleHeight = 82;

    /// <summary>
    /// Renders <paramref name="layers"/> (each M×M row-major, row i = how action i weighs action j) over nodes named
    /// <paramref name="names"/> and filled with <paramref name="colours"/>. Edges whose weight is at most
    /// <paramref name="threshold"/> are left out; edges of at least 1.5 × the threshold are labelled with their weight
    /// (labelling every edge of a near-uniform layer would only clutter it). <paramref name="subtitles"/> are smaller
    /// lines under the title.
    /// </summary>
    /// <exception cref="ArgumentException">If a layer is not M×M, there is no layer, or a weight is not finite.</exception>
    public static string Render(IReadOnlyList<string> names, IReadOnlyList<string> colours, IReadOnlyList<float[]> layers, double threshold, string title, IReadOnlyList<string> subtitles)
    {
        int m = names.Count;
        if (m == 0 || colours.Count != m) throw new ArgumentException($"AgileAttentionSvg: {m} names need {m} colours; got {colours.Count}.", nameof(colours));
        if (layers.Count == 0) throw new ArgumentException("AgileAttentionSvg: no attention layer.", nameof(layers));
        for (int l = 0; l < layers.Count; l++)
        {
            if (layers[l].Length != m * m) throw new ArgumentException($"AgileAttentionSvg: layer {l} holds {layers[l].Length} weights; {m} actions need {m * m}.", nameof(layers));
            if (layers[l].Any(w => !float.IsFinite(w))) throw new ArgumentException($"AgileAttentionSvg: layer {l} has a weight that is not finite.", nameof(layers));
        }

        double width = Math.Max(layers.Count * PanelWidth, Math.Max(title.Length * 8.0, subtitles.Select(t => t.Length * 6.0).DefaultIfEmpty(0).Max()) + 40);
        double height = TitleHeight + PanelHeight;
        double left = (width - layers.Count * PanelWidth) / 2;
        var root = new XElement(Svg + "svg",
            new XAttribute("width", Number(width)), new XAttribute("height", Number(height)),
            new XAttribute("viewBox", $"0 0 {Number(width)} {Number(height)}"),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 12),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            Text(width / 2, 24, title, ("class", "title"), ("text-anchor", "middle"), ("font-size", "15")),
            subtitles.Select((line, k) => Text(width / 2, 44 + 16 * k, line, ("class", "subtitle"), ("text-anchor", "middle"), ("font-size", "11"), ("fill", "#555555"))));

        for (int l = 0; l < layers.Count; l++)
        {
            double cx = left + (l + 0.5) * PanelWidth, cy = TitleHeight + PanelHeight / 2 + 10;
            var panel = new XElement(Svg + "g", new XAttribute("class", "layer"), new XAttribute("data-layer", l + 1));
            panel.Add(Text(cx, TitleHeight + 14, $"GAT layer {l + 1}", ("text-anchor", "middle"), ("font-size", "13")));
            var position = Enumerable.Range(0, m).Select(i =>
            {
                double angle = -Math.PI / 2 + 2 * Math.PI * i / m;
                return (X: cx + Radius * Math.Cos(angle), Y: cy + Radius * Math.Sin(angle));
            }).ToArray();
            var weights = layers[l];
            var edges = new XElement(Svg + "g", new XAttribute("class", "edges"));
            var rings = new XElement(Svg + "g", new XAttribute("class", "self"));
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    double w = weights[i * m + j];
                    if (w <= threshold) continue;
                    double stroke = Math.Max(0.75, MaxEdgeWidth * w);
                    string data = w.ToString("0.###", Invariant);
                    if (i == j)
                    {
                        rings.Add(new XElement(Svg + "circle", new XAttribute("class", "edge self"), new XAttribute("data-from", i), new XAttribute("data-to", j),
                            new XAttribute("data-weight", data), new XAttribute("cx", Number(position[i].X)), new XAttribute("cy", Number(position[i].Y)),
                            new XAttribute("r", Number(NodeRadius + stroke / 2 + 2)), new XAttribute("fill", "none"),
                            new XAttribute("stroke", "#d62728"), new XAttribute("stroke-opacity", "0.45"), new XAttribute("stroke-width", Number(stroke))));
                        continue;
                    }
                    // A quadratic curve bowed to the left of the direction i → j: j → i bows the other way.
                    var (x1, y1) = position[i];
                    var (x2, y2) = position[j];
                    double mx = (x1 + x2) / 2, my = (y1 + y2) / 2, dx = x2 - x1, dy = y2 - y1, length = Math.Sqrt(dx * dx + dy * dy);
                    double bow = 0.12 * length, qx = mx - dy / length * bow, qy = my + dx / length * bow;
                    edges.Add(new XElement(Svg + "path", new XAttribute("class", "edge"), new XAttribute("data-from", i), new XAttribute("data-to", j),
                        new XAttribute("data-weight", data),
                        new XAttribute("d", $"M {Number(x1)} {Number(y1)} Q {Number(qx)} {Number(qy)} {Number(x2)} {Number(y2)}"),
                        new XAttribute("fill", "none"), new XAttribute("stroke", "#1f77b4"), new XAttribute("stroke-opacity", "0.55"),
                        new XAttribute("stroke-width", Number(stroke)), new XAttribute("stroke-linecap", "round")));
                    // The label sits at the curve's midpoint, a little towards i (whose row the weight is).
                    double lx = 0.25 * x1 + 0.5 * qx + 0.25 * x2, ly = 0.25 * y1 + 0.5 * qy + 0.25 * y2;
                    if (w >= 1.5 * threshold)
                        edges.Add(Text(lx, ly, data, ("class", "weight"), ("text-anchor", "middle"), ("font-size", "9"), ("fill", "#1f3f66")));
                }
            }
            var nodes = new XElement(Svg + "g", new XAttribute("class", "nodes"));
            for (int i = 0; i < m; i++)
            {
                nodes.Add(new XElement(Svg + "circle", new XAttribute("class", "node"), new XAttribute("data-action", names[i]),
                    new XAttribute("cx", Number(position[i].X)), new XAttribute("cy", Number(position[i].Y)), new XAttribute("r", NodeRadius),
                    new XAttribute("fill", colours[i]), new XAttribute("stroke", "#333333")));
                double angle = -Math.PI / 2 + 2 * Math.PI * i / m;
                double tx = cx + (Radius + NodeRadius + 22) * Math.Cos(angle), ty = cy + (Radius + NodeRadius + 22) * Math.Sin(angle) + 4;
                nodes.Add(Text(tx, ty, names[i], ("text-anchor", Math.Abs(Math.Cos(angle)) < 0.3 ? "middle" : Math.Cos(angle) > 0 ? "start" : "end")));
                double self = weights[i * m + i];
                nodes.Add(Text(position[i].X, position[i].Y + 4, self.ToString("0.00", Invariant), ("text-anchor", "middle"), ("font-size", "10")));
            }
            panel.Add(rings, edges, nodes);
            root.Add(panel);
        }

        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true, NewLineChars = "\n" };
        var text = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        using (var writer = XmlWriter.Create(text, settings))
            root.Save(writer);
        return text.Append('\n').ToString();
    }

    private static XElement Text(double x, double y, string text, params (string Name, string Value)[] attributes)
    {
        var element = new XElement(Svg + "text", new XAttribute("x", Number(x)), new XAttribute("y", Number(y)), text);
        foreach (var (name, value) in attributes) element.SetAttributeValue(name, value);
        return element;
    }

    private static string Number(double value) => value.ToString("0.##", Invariant);
}

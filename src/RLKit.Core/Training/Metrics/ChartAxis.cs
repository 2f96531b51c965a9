using System.Globalization;

namespace RLKit.Training.Metrics;

/// <summary>
/// A linear chart axis whose limits are rounded out to "nice" tick spacings (1, 2 or 5 × 10^k), so
/// ticks fall on round numbers and the data never touches an unlabelled edge.
/// </summary>
internal sealed class ChartAxis
{
    private const int TargetTickCount = 5;

    private ChartAxis(double minimum, double maximum, double tickSpacing)
    {
        Minimum = minimum;
        Maximum = maximum;
        TickSpacing = tickSpacing;
    }

    internal double Minimum { get; }

    internal double Maximum { get; }

    internal double TickSpacing { get; }

    /// <summary>An axis covering [<paramref name="dataMinimum"/>, <paramref name="dataMaximum"/>], widened to whole ticks.</summary>
    internal static ChartAxis Covering(double dataMinimum, double dataMaximum)
    {
        if (dataMaximum - dataMinimum <= Math.Abs(dataMaximum) * 1e-12)
        {
            // A flat series still needs a visible range around it.
            double half = dataMaximum == 0 ? 1 : Math.Abs(dataMaximum) * 0.1;
            dataMinimum -= half;
            dataMaximum += half;
        }
        double spacing = NiceSpacing((dataMaximum - dataMinimum) / TargetTickCount);
        return new ChartAxis(Math.Floor(dataMinimum / spacing) * spacing, Math.Ceiling(dataMaximum / spacing) * spacing, spacing);
    }

    /// <summary>The tick values from <see cref="Minimum"/> to <see cref="Maximum"/>.</summary>
    internal IEnumerable<double> Ticks()
    {
        long count = (long)Math.Round((Maximum - Minimum) / TickSpacing);
        for (long i = 0; i <= count; i++)
        {
            double tick = Minimum + i * TickSpacing;
            // Snap accumulated rounding (e.g. 0.30000000000000004, -0) onto the tick it means.
            yield return Math.Abs(tick) < TickSpacing * 1e-9 ? 0 : Math.Round(tick / TickSpacing) * TickSpacing;
        }
    }

    /// <summary>Maps <paramref name="value"/> linearly from this axis onto [<paramref name="from"/>, <paramref name="to"/>] pixels.</summary>
    internal double ToPixel(double value, double from, double to) =>
        from + (value - Minimum) / (Maximum - Minimum) * (to - from);

    /// <summary>A short label: k/M suffixes for large magnitudes (typical step counts), otherwise up to 4 decimals.</summary>
    internal string Label(double tick)
    {
        if (tick == 0)
            return "0";
        double magnitude = Math.Max(Math.Abs(Minimum), Math.Abs(Maximum));
        if (magnitude >= 1e6)
            return (tick / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + "M";
        if (magnitude >= 1e4)
            return (tick / 1e3).ToString("0.###", CultureInfo.InvariantCulture) + "k";
        if (magnitude < 1e-3)
            return tick.ToString("G3", CultureInfo.InvariantCulture);
        return tick.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private static double NiceSpacing(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return nice * power;
    }
}

using System.Globalization;
using System.Xml.Linq;
using RLKit.Serialization;
using RLKit.Training.Metrics;

namespace RLKit.Core.Tests.Training.Metrics;

[TestFixture]
public sealed class LearningCurveSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static CurvePoint[] Series(params (long Step, double Value)[] points) => [.. points.Select(p => new CurvePoint(p.Step, p.Value))];

    // Seed A: 0 → 0, 10 → 10. Seed B: 0 → 2, 5 → 4, 10 → 6. Common grid {0, 5, 10}.
    private static LearningCurve HandExample(string name = "PPO") =>
        new(name, [Series((0, 0), (10, 10)), Series((0, 2), (5, 4), (10, 6))]);

    [Test]
    public void Band_is_the_mean_and_population_std_of_the_interpolated_seeds()
    {
        var band = LearningCurveBand.From(HandExample(), maxGridPoints: 200);
        Assert.That(band.Steps, Is.EqualTo(new double[] { 0, 5, 10 }));
        // step 0: {0, 2}; step 5: {5 (interpolated), 4}; step 10: {10, 6}.
        Assert.That(band.Mean, Is.EqualTo(new[] { 1.0, 4.5, 8.0 }).Within(1e-12));
        Assert.That(band.StandardDeviation, Is.EqualTo(new[] { 1.0, 0.5, 2.0 }).Within(1e-12));
    }

    [Test]
    public void Grid_covers_only_the_steps_every_seed_reaches()
    {
        var curve = new LearningCurve("late start", [Series((0, 0), (10, 10), (20, 20)), Series((5, 1), (15, 3))]);
        var band = LearningCurveBand.From(curve, maxGridPoints: 200);
        Assert.That(band.Steps, Is.EqualTo(new double[] { 5, 10, 15 }));
        // step 5: {5, 1}; step 10: {10, 2}; step 15: {15, 3}.
        Assert.That(band.Mean, Is.EqualTo(new[] { 3.0, 6.0, 9.0 }).Within(1e-12));
        Assert.That(band.StandardDeviation, Is.EqualTo(new[] { 2.0, 4.0, 6.0 }).Within(1e-12));
    }

    [Test]
    public void More_logged_steps_than_grid_points_resample_evenly()
    {
        var band = LearningCurveBand.From(HandExample(), maxGridPoints: 2);
        Assert.That(band.Steps, Is.EqualTo(new double[] { 0, 10 }));
        Assert.That(band.Mean, Is.EqualTo(new[] { 1.0, 8.0 }).Within(1e-12));

        var fine = new LearningCurve("one seed", [Series((0, 0), (1, 1), (2, 4), (3, 9), (4, 16))]);
        var resampled = LearningCurveBand.From(fine, maxGridPoints: 3);
        Assert.That(resampled.Steps, Is.EqualTo(new double[] { 0, 2, 4 }));
        Assert.That(resampled.StandardDeviation, Is.All.EqualTo(0.0), "one seed has no spread");
    }

    [Test]
    public void Svg_is_well_formed_with_one_band_and_mean_line_per_curve_and_a_legend()
    {
        var curves = new[]
        {
            HandExample("PPO"),
            new LearningCurve("A2C & friends <v2>", [Series((0, 1), (10, 3)), Series((0, 3), (10, 5)), Series((0, 2), (10, 4))]),
        };
        string svg = LearningCurveSvg.Render(curves, new LearningCurveSvgOptions { Title = "CartPole-v1" });

        var document = XDocument.Parse(svg);
        Assert.That(document.Root!.Name, Is.EqualTo(Svg + "svg"));
        var bands = document.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "band").ToList();
        var means = document.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "mean").ToList();
        Assert.That(bands, Has.Count.EqualTo(2));
        Assert.That(means, Has.Count.EqualTo(2));
        Assert.That(bands.Select(b => b.Attribute("fill")!.Value).Distinct().Count(), Is.EqualTo(2), "each curve has its own colour");
        // Band outline: the upper edge forward then the lower edge back, one vertex per grid step each.
        Assert.That(bands[0].Attribute("d")!.Value.Count(c => c is 'M' or 'L'), Is.EqualTo(2 * 3));
        Assert.That(means[1].Attribute("d")!.Value.Count(c => c is 'M' or 'L'), Is.EqualTo(2));

        var texts = document.Descendants(Svg + "text").ToList();
        var legend = texts.Where(t => (string?)t.Attribute("class") == "legend-label").Select(t => t.Value);
        Assert.That(legend, Is.EqualTo(new[] { "PPO", "A2C & friends <v2>" }));
        Assert.That(texts.Single(t => (string?)t.Attribute("class") == "title").Value, Is.EqualTo("CartPole-v1"));
        Assert.That(texts.Where(t => (string?)t.Attribute("class") == "axis-label").Select(t => t.Value),
            Is.EqualTo(new[] { "Environment steps", "Episode return" }));
        Assert.That(texts.Count(t => (string?)t.Attribute("class") == "tick-label"), Is.GreaterThanOrEqualTo(6));
    }

    [Test]
    public void Band_edges_sit_at_mean_plus_and_minus_std_on_the_y_axis()
    {
        // One grid step → a flat band from x0 to x0: compare the pixel rows of mean, upper and lower edge.
        var curve = new LearningCurve("c", [Series((0, 0), (10, 10)), Series((0, 2), (5, 4), (10, 6))]);
        var document = XDocument.Parse(LearningCurveSvg.Render([curve]));
        double[] Ys(string cls) => document.Descendants(Svg + "path").Single(p => (string?)p.Attribute("class") == cls)
            .Attribute("d")!.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "Z")
            .Select(s => double.Parse(s[1..].Split(',')[1], CultureInfo.InvariantCulture)).ToArray();

        var mean = Ys("mean");
        var band = Ys("band");
        double[] upper = band[..3];
        double[] lower = band[3..].Reverse().ToArray();
        double[] std = [1.0, 0.5, 2.0];
        // Pixels per unit value, from the mean line's first two points (means 1 and 4.5).
        double pixelsPerUnit = (mean[0] - mean[1]) / 3.5;
        for (int i = 0; i < 3; i++)
        {
            Assert.That(mean[i] - upper[i], Is.EqualTo(std[i] * pixelsPerUnit).Within(0.02), $"upper edge at grid point {i}");
            Assert.That(lower[i] - mean[i], Is.EqualTo(std[i] * pixelsPerUnit).Within(0.02), $"lower edge at grid point {i}");
        }
    }

    [Test]
    public void Output_is_deterministic_and_culture_independent()
    {
        var saved = CultureInfo.CurrentCulture;
        string first = LearningCurveSvg.Render([HandExample()]);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.That(LearningCurveSvg.Render([HandExample()]), Is.EqualTo(first));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void Write_replaces_the_file_atomically()
    {
        string directory = Path.Combine(Path.GetTempPath(), "rlkit-svg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "learning-curve.svg");
            File.WriteAllText(path, "old");
            LearningCurveSvg.Write(path, [HandExample()]);
            Assert.That(File.ReadAllText(path), Is.EqualTo(LearningCurveSvg.Render([HandExample()])));
            Assert.That(Directory.GetFiles(directory, AtomicFile.TempFilePattern("learning-curve.svg")), Is.Empty);

            Assert.That(() => LearningCurveSvg.Write(path, []), Throws.ArgumentException);
            Assert.That(File.ReadAllText(path), Does.StartWith("<?xml"), "a failed write leaves the old file");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Axis_ticks_are_round_and_large_steps_are_abbreviated()
    {
        var axis = ChartAxis.Covering(0, 100_000);
        Assert.That(axis.Ticks(), Is.EqualTo(new double[] { 0, 20_000, 40_000, 60_000, 80_000, 100_000 }));
        Assert.That(axis.Ticks().Select(axis.Label), Is.EqualTo(new[] { "0", "20k", "40k", "60k", "80k", "100k" }));

        var returns = ChartAxis.Covering(-0.23, 0.61);
        Assert.That(returns.Minimum, Is.LessThanOrEqualTo(-0.23));
        Assert.That(returns.Maximum, Is.GreaterThanOrEqualTo(0.61));
        Assert.That(returns.Ticks().Select(returns.Label), Is.EqualTo(new[] { "-0.4", "-0.2", "0", "0.2", "0.4", "0.6", "0.8" }));

        var flat = ChartAxis.Covering(5, 5);
        Assert.That(flat.Minimum, Is.LessThan(5));
        Assert.That(flat.Maximum, Is.GreaterThan(5));
    }

    [Test]
    public void Invalid_curves_and_options_are_rejected_with_clear_errors()
    {
        Assert.That(() => new LearningCurve("x", [Series((0, 1), (0, 2))]), Throws.ArgumentException.With.Message.Contains("strictly increase"));
        Assert.That(() => new LearningCurve("x", [Series((0, double.NaN))]), Throws.ArgumentException.With.Message.Contains("non-finite"));
        Assert.That(() => new LearningCurve("x", [Series()]), Throws.ArgumentException.With.Message.Contains("no points"));
        Assert.That(() => new LearningCurve("x", []), Throws.ArgumentException.With.Message.Contains("at least one seed"));
        Assert.That(() => LearningCurveSvg.Render([new LearningCurve("x", [Series((0, 1), (5, 1)), Series((10, 1), (20, 1))])]),
            Throws.ArgumentException.With.Message.Contains("no common step range"));
        Assert.That(() => LearningCurveSvg.Render([HandExample()], new LearningCurveSvgOptions { Width = 10 }),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Width"));
        Assert.That(() => LearningCurveSvg.Render([HandExample()], new LearningCurveSvgOptions { MaxGridPoints = 1 }),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxGridPoints").And.Message.Contains("[2, 100000]"));
    }
}

using System.Globalization;
using RLKit.Serialization;
using RLKit.Training.Metrics;

namespace RLKit.Core.Tests.Training.Metrics;

[TestFixture]
public sealed class CsvMetricSinkTests
{
    private string _directory = null!;
    private string _path = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rlkit-csv-" + Guid.NewGuid().ToString("N"));
        _path = Path.Combine(_directory, "run", "progress.csv");
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private string Content() => File.ReadAllText(_path);

    [Test]
    public void Rows_have_a_step_column_then_tags_in_first_seen_order()
    {
        using (var sink = new CsvMetricSink(_path))
        {
            sink.Write(0, new Dictionary<string, double> { ["loss"] = 0.5, ["return"] = 10 });
            sink.Write(100, new Dictionary<string, double> { ["loss"] = 0.25, ["return"] = 12.5 });
        }
        Assert.That(Content(), Is.EqualTo("step,loss,return\n0,0.5,10\n100,0.25,12.5\n"));
    }

    [Test]
    public void Writes_at_the_same_step_share_a_row_and_missing_cells_are_empty()
    {
        using (var sink = new CsvMetricSink(_path))
        {
            sink.Write(1, "a", 1);
            sink.Write(1, "b", 2);
            sink.Write(2, "b", 3);
            sink.Write(3, "a", 4);
        }
        Assert.That(Content(), Is.EqualTo("step,a,b\n1,1,2\n2,,3\n3,4,\n"));
    }

    [Test]
    public void A_column_that_appears_after_a_flush_rewrites_the_header_and_pads_earlier_rows()
    {
        using var sink = new CsvMetricSink(_path);
        sink.Write(0, "loss", 1);
        sink.Flush();
        Assert.That(Content(), Is.EqualTo("step,loss\n0,1\n"));

        sink.Write(10, "loss", 2);
        sink.Flush();
        Assert.That(Content(), Is.EqualTo("step,loss\n0,1\n10,2\n"), "appended");

        sink.Write(20, new Dictionary<string, double> { ["loss"] = 3, ["eval/return"] = 200 });
        sink.Flush();
        Assert.That(Content(), Is.EqualTo("step,loss,eval/return\n0,1,\n10,2,\n20,3,200\n"));
        Assert.That(sink.Columns, Is.EqualTo(new[] { "step", "loss", "eval/return" }));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(_path)!, AtomicFile.TempFilePattern("progress.csv")), Is.Empty);
    }

    [Test]
    public void A_write_to_the_flushed_latest_step_updates_that_row_instead_of_duplicating_it()
    {
        using var sink = new CsvMetricSink(_path);
        sink.Write(5, "a", 1);
        sink.Write(5, "b", 2);
        sink.Flush();
        sink.Write(5, "b", 3);
        sink.Flush();
        Assert.That(Content(), Is.EqualTo("step,a,b\n5,1,3\n"));
    }

    [Test]
    public void Numbers_use_the_invariant_culture_under_a_comma_decimal_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.That(1.5.ToString(), Is.EqualTo("1,5"), "precondition: de-DE really uses a decimal comma here");
            using (var sink = new CsvMetricSink(_path))
                sink.Write(123456, new Dictionary<string, double> { ["x"] = 1234.5678, ["y"] = -0.001, ["z"] = 1e-20 });
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.That(Content(), Is.EqualTo("step,x,y,z\n123456,1234.5678,-0.001,1E-20\n"));
    }

    [Test]
    public void Values_round_trip_and_non_finite_values_are_readable()
    {
        double third = 1.0 / 3;
        using (var sink = new CsvMetricSink(_path))
            sink.Write(0, new Dictionary<string, double> { ["third"] = third, ["nan"] = double.NaN, ["inf"] = double.PositiveInfinity, ["ninf"] = double.NegativeInfinity });
        var cells = Content().Split('\n')[1].Split(',');
        Assert.That(double.Parse(cells[1], CultureInfo.InvariantCulture), Is.EqualTo(third));
        Assert.That(cells[2..], Is.EqualTo(new[] { "NaN", "inf", "-inf" }));
    }

    [Test]
    public void Tags_with_commas_or_quotes_are_quoted_in_the_header()
    {
        using (var sink = new CsvMetricSink(_path))
        {
            sink.Write(0, "a,b", 1);
            sink.Write(0, "say \"hi\"", 2);
        }
        Assert.That(Content(), Is.EqualTo("step,\"a,b\",\"say \"\"hi\"\"\"\n0,1,2\n"));
    }

    [Test]
    public void Nothing_is_written_before_the_first_flush_and_dispose_flushes()
    {
        var sink = new CsvMetricSink(_path);
        sink.Write(0, "a", 1);
        Assert.That(File.Exists(_path), Is.False);
        sink.Dispose();
        Assert.That(Content(), Is.EqualTo("step,a\n0,1\n"));
        Assert.That(() => sink.Write(1, "a", 1), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => sink.Flush(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Bad_arguments_throw_with_the_argument_named()
    {
        using var sink = new CsvMetricSink(_path);
        Assert.That(() => sink.Write(0, "step", 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("tag").And.Message.Contains("reserved"));
        Assert.That(() => sink.Write(0, new Dictionary<string, double> { ["step"] = 1 }), Throws.ArgumentException.With.Property("ParamName").EqualTo("scalars"));
        Assert.That(() => sink.Write(-5, "a", 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("step"));
        Assert.That(() => sink.Write(0, null!, 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("tag"));
        Assert.That(() => new CsvMetricSink(" "), Throws.ArgumentException);
    }
}

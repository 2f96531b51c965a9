using RLKit.Training.Metrics;

namespace RLKit.Core.Tests.Training.Metrics;

[TestFixture]
public sealed class CompositeMetricSinkTests
{
    private sealed class RecordingSink(string name, List<string> log, bool failOnDispose = false) : IMetricSink
    {
        public void Write(long step, IReadOnlyDictionary<string, double> scalars) =>
            log.Add($"{name}:{step}:{string.Join(';', scalars.Select(kv => $"{kv.Key}={kv.Value}"))}");

        public void Write(long step, string tag, double value) => log.Add($"{name}:{step}:{tag}={value}");

        public void Flush() => log.Add($"{name}:flush");

        public void Dispose()
        {
            log.Add($"{name}:dispose");
            if (failOnDispose)
                throw new IOException($"{name} failed");
        }
    }

    [Test]
    public void Every_call_reaches_every_sink_in_order()
    {
        var log = new List<string>();
        using (var sink = new CompositeMetricSink(new RecordingSink("a", log), new RecordingSink("b", log)))
        {
            sink.Write(3, "x", 1);
            sink.Write(4, new Dictionary<string, double> { ["y"] = 2 });
            sink.Flush();
        }
        Assert.That(log, Is.EqualTo(new[] { "a:3:x=1", "b:3:x=1", "a:4:y=2", "b:4:y=2", "a:flush", "b:flush", "a:dispose", "b:dispose" }));
    }

    [Test]
    public void Dispose_reaches_every_sink_even_when_one_throws()
    {
        var log = new List<string>();
        var sink = new CompositeMetricSink(new RecordingSink("a", log, failOnDispose: true), new RecordingSink("b", log));
        Assert.That(() => sink.Dispose(), Throws.TypeOf<IOException>().With.Message.EqualTo("a failed"));
        Assert.That(log, Is.EqualTo(new[] { "a:dispose", "b:dispose" }));
        Assert.That(() => sink.Write(0, "x", 1), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Invalid_writes_reach_no_sink()
    {
        var log = new List<string>();
        using var sink = new CompositeMetricSink(new RecordingSink("a", log));
        Assert.That(() => sink.Write(-1, "x", 1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => sink.Write(0, new Dictionary<string, double> { [""] = 1 }), Throws.ArgumentException);
        Assert.That(log, Is.Empty);
    }

    [Test]
    public void A_null_sink_is_rejected()
    {
        Assert.That(() => new CompositeMetricSink(new RecordingSink("a", []), null!),
            Throws.TypeOf<ArgumentNullException>().With.Message.Contains("sink 1"));
    }

    [Test]
    public void Csv_and_tensorboard_sinks_compose()
    {
        string directory = Path.Combine(Path.GetTempPath(), "rlkit-composite-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tensorBoard = new TensorBoardMetricSink(directory);
            using (var sink = new CompositeMetricSink(new CsvMetricSink(Path.Combine(directory, "progress.csv")), tensorBoard))
                sink.Write(7, "loss", 0.5);
            Assert.That(File.ReadAllText(Path.Combine(directory, "progress.csv")), Is.EqualTo("step,loss\n7,0.5\n"));
            var events = TfEventFileReader.ReadEvents(tensorBoard.FilePath);
            Assert.That(events[^1].Step, Is.EqualTo(7));
            Assert.That(events[^1].Values.Single(), Is.EqualTo(new TfEventFileReader.ScalarValue("loss", 0.5f)));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}

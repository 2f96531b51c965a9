using System.Text.RegularExpressions;
using RLKit.Training.Metrics;

namespace RLKit.Core.Tests.Training.Metrics;

[TestFixture]
public sealed class TensorBoardMetricSinkTests
{
    private string _directory = null!;

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rlkit-tb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void File_is_named_after_the_unix_seconds_and_host_and_opens_with_the_file_version_event()
    {
        var clock = new ManualClock(Start);
        using (var sink = new TensorBoardMetricSink(_directory, null, clock))
            Assert.That(Path.GetFileName(sink.FilePath), Is.EqualTo($"events.out.tfevents.1700000000.{Environment.MachineName}"));

        var file = Directory.GetFiles(_directory).Single();
        var events = TfEventFileReader.ReadEvents(file);
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].FileVersion, Is.EqualTo("brain.Event:2"));
        Assert.That(events[0].WallTime, Is.EqualTo(1_700_000_000.25));
        Assert.That(events[0].Values, Is.Empty);
    }

    [Test]
    public void Scalars_read_back_with_their_tags_values_steps_and_wall_times()
    {
        var clock = new ManualClock(Start);
        string path;
        using (var sink = new TensorBoardMetricSink(_directory, "ppo_1", clock))
        {
            path = sink.FilePath;
            clock.Now = Start.AddSeconds(1.5);
            sink.Write(0, new Dictionary<string, double> { ["train/loss"] = 0.75, ["rollout/ep_rew_mean"] = 21.5 });
            clock.Now = Start.AddSeconds(3);
            sink.Write(2048, "train/learning_rate", 3e-4);
            clock.Now = Start.AddSeconds(4.125);
            sink.Write(4096, new Dictionary<string, double> { ["rollout/ep_rew_mean"] = -1e10, ["ünï/名前"] = double.NaN });
            sink.Write(4096, new Dictionary<string, double>());  // nothing to record: no event
        }

        Assert.That(Path.GetDirectoryName(path), Is.EqualTo(Path.Combine(Path.GetFullPath(_directory), "ppo_1")));
        var events = TfEventFileReader.ReadEvents(path);
        Assert.That(events, Has.Count.EqualTo(4));
        Assert.That(events.Skip(1).Select(e => e.FileVersion), Is.All.Null);

        Assert.That(events[1].WallTime, Is.EqualTo(1_700_000_001.75));
        Assert.That(events[1].Step, Is.Zero);
        Assert.That(events[1].Values, Is.EqualTo(new[]
        {
            new TfEventFileReader.ScalarValue("train/loss", 0.75f),
            new TfEventFileReader.ScalarValue("rollout/ep_rew_mean", 21.5f),
        }));

        Assert.That(events[2].WallTime, Is.EqualTo(1_700_000_003.25));
        Assert.That(events[2].Step, Is.EqualTo(2048));
        Assert.That(events[2].Values, Is.EqualTo(new[] { new TfEventFileReader.ScalarValue("train/learning_rate", 3e-4f) }));

        Assert.That(events[3].WallTime, Is.EqualTo(1_700_000_004.375));
        Assert.That(events[3].Step, Is.EqualTo(4096));
        Assert.That(events[3].Values.Select(v => v.Tag), Is.EqualTo(new[] { "rollout/ep_rew_mean", "ünï/名前" }));
        Assert.That(events[3].Values[0].Value, Is.EqualTo(-1e10f));
        Assert.That(float.IsNaN(events[3].Values[1].Value), Is.True);
    }

    [Test]
    public void Flush_makes_records_visible_while_the_sink_stays_open()
    {
        using var sink = new TensorBoardMetricSink(_directory);
        sink.Write(10, "a", 1);
        sink.Flush();
        using var stream = new FileStream(sink.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var events = TfEventFileReader.ReadRecords(bytes).Select(TfEventFileReader.DecodeEvent).ToList();
        Assert.That(events.Select(e => e.Step), Is.EqualTo(new long[] { 0, 10 }));
    }

    [Test]
    public void A_corrupted_byte_fails_the_crc_check()
    {
        string path;
        using (var sink = new TensorBoardMetricSink(_directory))
        {
            path = sink.FilePath;
            sink.Write(5, "loss", 0.5);
        }
        var original = File.ReadAllBytes(path);
        Assert.That(() => TfEventFileReader.ReadRecords(original), Throws.Nothing);

        var dataCorrupted = (byte[])original.Clone();
        dataCorrupted[^6] ^= 0x40;  // inside the last record's payload (the float value)
        Assert.That(() => TfEventFileReader.ReadRecords(dataCorrupted), Throws.TypeOf<InvalidDataException>().With.Message.Contains("Data CRC"));

        var lengthCorrupted = (byte[])original.Clone();
        lengthCorrupted[0] ^= 0x01;  // the first record's length
        Assert.That(() => TfEventFileReader.ReadRecords(lengthCorrupted), Throws.TypeOf<InvalidDataException>().With.Message.Contains("Length CRC"));

        var crcCorrupted = (byte[])original.Clone();
        crcCorrupted[^1] ^= 0x80;  // the last record's data CRC itself
        Assert.That(() => TfEventFileReader.ReadRecords(crcCorrupted), Throws.TypeOf<InvalidDataException>().With.Message.Contains("Data CRC"));
    }

    [Test]
    public void Two_sinks_opened_in_the_same_second_write_different_files()
    {
        var clock = new ManualClock(Start);
        using var first = new TensorBoardMetricSink(_directory, null, clock);
        using var second = new TensorBoardMetricSink(_directory, null, clock);
        Assert.That(second.FilePath, Is.Not.EqualTo(first.FilePath));
        Assert.That(Path.GetFileName(second.FilePath), Does.StartWith(Path.GetFileName(first.FilePath)).And.Contains("tfevents"));
    }

    [Test]
    public void System_clock_names_the_file_with_the_current_unix_seconds()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var sink = new TensorBoardMetricSink(_directory);
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var match = Regex.Match(Path.GetFileName(sink.FilePath), @"^events\.out\.tfevents\.(\d+)\.");
        Assert.That(match.Success, Is.True, sink.FilePath);
        Assert.That(long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(before, after));
    }

    [Test]
    public void Bad_arguments_and_use_after_dispose_throw()
    {
        var sink = new TensorBoardMetricSink(_directory);
        Assert.That(() => sink.Write(-1, "a", 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("step"));
        Assert.That(() => sink.Write(0, "", 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("tag"));
        Assert.That(() => sink.Write(0, new Dictionary<string, double> { [""] = 1 }), Throws.ArgumentException.With.Property("ParamName").EqualTo("scalars"));
        Assert.That(() => new TensorBoardMetricSink(_directory, "a/b"), Throws.ArgumentException.With.Property("ParamName").EqualTo("runName"));
        sink.Dispose();
        sink.Dispose();
        Assert.That(() => sink.Write(0, "a", 1), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => sink.Flush(), Throws.TypeOf<ObjectDisposedException>());
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging;
using RLKit.Training;
using RLKit.Training.Logging;

namespace RLKit.Core.Tests.Training.Logging;

[TestFixture]
public sealed class LoggingProgressTests
{
    private sealed record Entry(LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Properties);

    /// <summary>A logger that keeps every entry with its structured properties.</summary>
    private sealed class RecordingLogger(LogLevel minimum = LogLevel.Trace) : ILogger
    {
        public List<Entry> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            Entries.Add(new Entry(logLevel, eventId, formatter(state, exception), properties.ToList()));
        }
    }

    private static TrainingUpdate Update(long updates, bool isFinal = false, double? meanReturn = 21.5) =>
        new("ppo", Steps: updates * 256, Episodes: updates * 3, Updates: updates, StepsPerSecond: 1234.56,
            MeanReturn: meanReturn, MeanLength: meanReturn, Losses: new Dictionary<string, double> { ["policy"] = -0.0125, ["value"] = 3.5 },
            LearningRate: 3e-4, Elapsed: TimeSpan.FromSeconds(1.5), IsFinal: isFinal);

    private static object? Property(Entry entry, string name) => entry.Properties.Single(p => p.Key == name).Value;

    [Test]
    public void Each_update_is_one_structured_information_entry()
    {
        var logger = new RecordingLogger();
        var progress = new LoggingProgress(logger);
        progress.Report(Update(1));
        progress.Report(Update(2));

        Assert.That(logger.Entries, Has.Count.EqualTo(2));
        var entry = logger.Entries[1];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Information));
            Assert.That(entry.EventId, Is.EqualTo(LoggingProgress.UpdateEvent));
            Assert.That(Property(entry, "Algorithm"), Is.EqualTo("ppo"));
            Assert.That(Property(entry, "Steps"), Is.EqualTo(512L));
            Assert.That(Property(entry, "Episodes"), Is.EqualTo(6L));
            Assert.That(Property(entry, "Updates"), Is.EqualTo(2L));
            Assert.That(Property(entry, "StepsPerSecond"), Is.EqualTo(1234.6));
            Assert.That(Property(entry, "MeanReturn"), Is.EqualTo(21.5));
            Assert.That(Property(entry, "LearningRate"), Is.EqualTo(3e-4));
            Assert.That(Property(entry, "Loss.policy"), Is.EqualTo(-0.0125));
            Assert.That(Property(entry, "Loss.value"), Is.EqualTo(3.5));
            Assert.That(Property(entry, "IsFinal"), Is.EqualTo(false));
            Assert.That(Property(entry, "{OriginalFormat}"), Is.EqualTo(TrainingLogEntry.UpdateTemplate));
            Assert.That(entry.Message, Is.EqualTo("ppo step 512: episodes 6, updates 2, 1234.6 steps/s, mean return 21.5, mean length 21.5, lr 0.0003, policy -0.0125, value 3.5"));
        });
    }

    [Test]
    public void The_final_report_is_an_information_entry_with_its_own_event()
    {
        var logger = new RecordingLogger();
        new LoggingProgress(logger, everyUpdates: 1000).Report(Update(7, isFinal: true, meanReturn: null) with { EnvironmentSeed = 11 });
        var entry = logger.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Information));
            Assert.That(entry.EventId, Is.EqualTo(LoggingProgress.FinishedEvent));
            Assert.That(Property(entry, "IsFinal"), Is.EqualTo(true));
            Assert.That(Property(entry, "MeanReturn"), Is.Null);
            Assert.That(Property(entry, "EnvironmentSeed"), Is.EqualTo(11UL));
            Assert.That(entry.Message, Is.EqualTo("ppo finished at step 1792 after 1.5 s: episodes 21, updates 7, 1234.6 steps/s, mean return n/a, mean length n/a, environment seed 11"));
        });
    }

    [Test]
    public void Messages_are_culture_invariant()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE");
            var logger = new RecordingLogger();
            new LoggingProgress(logger).Report(Update(1));
            Assert.That(logger.Entries.Single().Message, Does.Contain("1234.6 steps/s").And.Contain("lr 0.0003"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Test]
    public void Every_n_updates_thins_the_updates_but_not_the_final_entry()
    {
        var logger = new RecordingLogger();
        var progress = new LoggingProgress(logger, everyUpdates: 3);
        for (int i = 1; i <= 7; i++) progress.Report(Update(i));
        progress.Report(Update(7, isFinal: true));
        Assert.That(logger.Entries.Select(e => Property(e, "Updates")), Is.EqualTo(new object[] { 3L, 6L, 7L }));
    }

    [Test]
    public void Nothing_is_built_when_information_is_disabled()
    {
        var logger = new RecordingLogger(LogLevel.Warning);
        new LoggingProgress(logger).Report(Update(1));
        Assert.That(logger.Entries, Is.Empty);
    }

    [Test]
    public void Invalid_arguments_are_rejected_by_name()
    {
        Assert.That(() => new LoggingProgress(null!), Throws.ArgumentNullException);
        Assert.That(() => new LoggingProgress(new RecordingLogger(), 0),
                    Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("everyUpdates"));
    }

    [Test]
    public void It_reports_a_monitor_driven_run_from_first_update_to_final()
    {
        var logger = new RecordingLogger();
        var monitor = new TrainingMonitor("dial", Budget.Steps(8), envCount: 2, progress: new LoggingProgress(logger));
        var agent = new ScriptedAgent(new RLKit.Spaces.Discrete(2));
        while (!monitor.ShouldStop)
        {
            monitor.RecordStep([1f, 1f], [false, false], [false, false]);
            monitor.Report(agent, new Dictionary<string, double>(), 0.01);
        }
        monitor.Finish(agent, new Dictionary<string, double>(), 0.01);
        Assert.That(logger.Entries.Select(e => e.EventId.Id), Is.EqualTo(new[] { 4001, 4001, 4001, 4001, 4002 }));
    }
}

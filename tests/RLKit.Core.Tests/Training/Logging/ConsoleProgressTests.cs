using RLKit.Training;
using RLKit.Training.Logging;

namespace RLKit.Core.Tests.Training.Logging;

[TestFixture]
public sealed class ConsoleProgressTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan time) => _ticks += time.Ticks;
    }

    private const long Budget = 100_000;

    /// <summary>An update of a 100,000-step budget at <paramref name="steps"/>, at 25,000 steps/s.</summary>
    private static TrainingUpdate At(long steps, bool isFinal = false, double? meanReturn = 50) =>
        new("ppo", Steps: steps, Episodes: steps / 100, Updates: steps / 256, StepsPerSecond: 25_000, MeanReturn: meanReturn,
            MeanLength: 100, Losses: new Dictionary<string, double>(), LearningRate: 1e-3, Elapsed: TimeSpan.FromSeconds(steps / 25_000.0), IsFinal: isFinal)
        {
            BudgetUsed = steps / (double)Budget,
            StepLimit = Budget,
            EnvironmentSeed = 1234,
        };

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split(writer.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void Redirected_output_gets_one_plain_line_per_tenth_of_the_budget()
    {
        var writer = new StringWriter();
        var clock = new ManualClock();
        var progress = new ConsoleProgress(writer, interactive: false, clock);
        // One report every 2,048 steps, 20 ms apart: 48 reports, never 30 s between two lines.
        for (long steps = 2048; steps < Budget; steps += 2048)
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            progress.Report(At(steps));
        }
        progress.Report(At(Budget, isFinal: true, meanReturn: 500));

        var lines = Lines(writer);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("ppo: training, environment seed 1234"));
            Assert.That(lines, Has.Length.EqualTo(1 + 9 + 1), "a header, a line at 10%, 20%, ..., 90%, and the summary");
            Assert.That(lines[1], Is.EqualTo("ppo  10% | 10,240/100,000 steps | 25,000 steps/s | ETA 0:04 | mean return 50.0 | 102 episodes"));
            Assert.That(lines[9], Does.StartWith("ppo  90% | 90,112/100,000 steps"));
            Assert.That(lines[^1], Is.EqualTo("ppo: done, 100,000 steps in 4.0 s (25,000 steps/s), 1,000 episodes, mean return 500.0"));
            Assert.That(writer.ToString(), Does.Not.Contain("\r"), "plain output never redraws");
        });
    }

    [Test]
    public void Redirected_output_also_writes_a_line_when_the_interval_passes_without_a_tenth()
    {
        var writer = new StringWriter();
        var clock = new ManualClock();
        var progress = new ConsoleProgress(writer, interactive: false, clock) { LineInterval = TimeSpan.FromSeconds(30) };
        progress.Report(At(1000));
        clock.Advance(TimeSpan.FromSeconds(29));
        progress.Report(At(2000));
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(At(3000));
        clock.Advance(TimeSpan.FromSeconds(10));
        progress.Report(At(4000));

        var lines = Lines(writer);
        Assert.That(lines, Has.Length.EqualTo(2), string.Join("\n", lines));
        Assert.That(lines[1], Does.StartWith("ppo   3% | 3,000/100,000 steps"), "the line 30 s after the first report");
    }

    [Test]
    public void Interactive_output_redraws_one_line_in_place_at_most_every_redraw_interval()
    {
        var writer = new StringWriter();
        var clock = new ManualClock();
        var progress = new ConsoleProgress(writer, interactive: true, clock) { RedrawInterval = TimeSpan.FromMilliseconds(100) };
        progress.Report(At(10_000));                        // drawn: the first report
        clock.Advance(TimeSpan.FromMilliseconds(50));
        progress.Report(At(20_000));                        // skipped: 50 ms after the last draw
        clock.Advance(TimeSpan.FromMilliseconds(50));
        progress.Report(At(50_000, meanReturn: null));      // drawn
        clock.Advance(TimeSpan.FromMilliseconds(10));
        progress.Report(At(Budget, isFinal: true, meanReturn: 487.25)); // always drawn

        string text = writer.ToString();
        var lines = text.Split(writer.NewLine);
        Assert.That(lines, Has.Length.EqualTo(4), "header, the bar line, the summary, and the empty rest");
        var draws = lines[1].Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("ppo: training, environment seed 1234"));
            Assert.That(draws, Has.Length.EqualTo(3), "three draws of the same line");
            Assert.That(draws[0], Is.EqualTo("ppo [##------------------]  10%  10,000/100,000 steps  25,000 steps/s  ETA 0:04  return 50.0"));
            Assert.That(draws[1].TrimEnd(), Is.EqualTo("ppo [##########----------]  50%  50,000/100,000 steps  25,000 steps/s  ETA 0:02  return n/a"));
            Assert.That(draws[2], Is.EqualTo("ppo [####################] 100%  100,000/100,000 steps  25,000 steps/s  ETA 0:00  return 487.3"));
            Assert.That(lines[2], Is.EqualTo("ppo: done, 100,000 steps in 4.0 s (25,000 steps/s), 1,000 episodes, mean return 487.3"));
        });
    }

    [Test]
    public void A_shorter_redraw_blanks_what_the_longer_line_before_it_left()
    {
        var writer = new StringWriter();
        var clock = new ManualClock();
        var progress = new ConsoleProgress(writer, interactive: true, clock);
        progress.Report(At(10_000, meanReturn: 123456.5));
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(At(20_000, meanReturn: 1));

        var draws = writer.ToString().Split(writer.NewLine)[1].Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(draws[1], Has.Length.EqualTo(draws[0].Length), "padded over the previous, longer line");
        Assert.That(draws[1].TrimEnd(), Does.EndWith("return 1.0"));
    }

    [Test]
    public void Without_a_step_budget_the_eta_comes_from_the_share_of_the_budget_used()
    {
        var update = new TrainingUpdate("dqn", 500, 20, 10, 100, null, null, new Dictionary<string, double>(), 1e-3, TimeSpan.FromSeconds(10))
        {
            BudgetUsed = 0.25, // e.g. 10 s of a 40 s time budget
        };
        Assert.That(ConsoleProgress.Line(update), Is.EqualTo("dqn  25% | 500 steps | 100 steps/s | ETA 0:30 | mean return n/a | 20 episodes"));
        Assert.That(ConsoleProgress.Header(update), Is.EqualTo("dqn: training"));
    }

    [Test]
    public void Intervals_out_of_range_are_refused_naming_the_property()
    {
        var redraw = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ConsoleProgress(TextWriter.Null) { RedrawInterval = TimeSpan.FromSeconds(-1) });
        var line = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ConsoleProgress(TextWriter.Null) { LineInterval = TimeSpan.Zero });
        Assert.Multiple(() =>
        {
            Assert.That(redraw!.ParamName, Is.EqualTo("RedrawInterval"));
            Assert.That(line!.ParamName, Is.EqualTo("LineInterval"));
        });
    }

    [Test]
    public void A_writer_given_without_interactive_gets_plain_lines()
    {
        Assert.That(new ConsoleProgress(new StringWriter()).IsInteractive, Is.False);
    }
}

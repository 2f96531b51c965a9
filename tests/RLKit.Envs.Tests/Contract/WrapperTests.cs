using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Spaces;

namespace RLKit.Envs.Tests.Contract;

public class TimeLimitTests
{
    [Test]
    public void TruncatesAtTheLimitWithoutTerminating()
    {
        using var env = new TimeLimit(new CounterEnv(), 3);
        env.Reset(0);
        for (int t = 1; t <= 2; t++)
        {
            var r = env.Step(0);
            Assert.That((r.Terminated, r.Truncated, env.ElapsedSteps), Is.EqualTo((false, false, t)));
        }
        var last = env.Step(0);
        Assert.That((last.Terminated, last.Truncated, last.Observation[0]), Is.EqualTo((false, true, 3f)));
        Assert.That(last.Info, Is.SameAs(EnvInfo.Empty), "TimeLimit adds nothing to info");
        Assert.Throws<InvalidOperationException>(() => env.Step(0));

        env.Reset();
        Assert.That(env.ElapsedSteps, Is.Zero);
        Assert.That(env.Step(0).Truncated, Is.False);
    }

    [Test]
    public void TerminationBeforeTheLimitPassesThrough()
    {
        using var env = new TimeLimit(new CounterEnv(terminateAfter: 2), 5);
        env.Reset(0);
        env.Step(0);
        var r = env.Step(0);
        Assert.That((r.Terminated, r.Truncated), Is.EqualTo((true, false)));
        Assert.That(r.Info, Is.SameAs(CounterEnv.FinalInfo));
    }

    [Test]
    public void TerminationOnTheLastAllowedStepKeepsBothFlags()
    {
        using var env = new TimeLimit(new CounterEnv(terminateAfter: 2), 2);
        env.Reset(0);
        env.Step(1);
        var r = env.Step(1);
        Assert.That((r.Terminated, r.Truncated, r.Reward), Is.EqualTo((true, true, 102.0)));
    }

    [Test]
    public void RejectsANonPositiveLimitAndForwardsSpacesAndDisposal()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeLimit(new CounterEnv(), 0));
        var inner = new DisposalProbe();
        var env = new TimeLimit(inner, 4);
        Assert.That(env.ObservationSpace, Is.SameAs(inner.ObservationSpace));
        Assert.That(env.Id, Is.EqualTo(inner.Id));
        Assert.That(env.Unwrapped, Is.SameAs(inner));
        env.Dispose();
        env.Dispose();
        Assert.That(inner.DisposeCount, Is.EqualTo(1));
    }

    private sealed class DisposalProbe() : EnvironmentBase(new Box(0, 1, 1), new Discrete(2))
    {
        public int DisposeCount { get; private set; }
        public override string Id => "Probe-v0";
        protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options) => null;
        public override void Dispose() => DisposeCount++;
    }
}

public class EpisodeStatisticsTests
{
    [Test]
    public void RecordsReturnAndLengthOnTheFinalStepOnly()
    {
        using var env = new EpisodeStatistics(new CounterEnv(terminateAfter: 3), bufferLength: 2);
        env.Reset(0);
        var first = env.Step(0);
        Assert.That(first.Info.ContainsKey(EpisodeStatistics.InfoKey), Is.False);
        Assert.That(env.Step(1).Info.ContainsKey(EpisodeStatistics.InfoKey), Is.False);
        var last = env.Step(0);
        var record = (EpisodeRecord)last.Info[EpisodeStatistics.InfoKey];
        Assert.That((record.Return, record.Length), Is.EqualTo((1 + 102 + 3.0, 3)));
        Assert.That(record.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.Zero));
        Assert.That(last.Info["phase"], Is.EqualTo("final"), "the inner info is kept");

        for (int episode = 0; episode < 2; episode++)
        {
            env.Reset();
            env.Step(0); env.Step(0); env.Step(0);
        }
        Assert.That(env.RecentReturns, Is.EqualTo(new[] { 6.0, 6.0 }), "the oldest episode (106) left the buffer of 2");
        Assert.That(env.RecentLengths, Is.EqualTo(new[] { 3, 3 }));
        Assert.That((env.EpisodeCount, env.TotalSteps), Is.EqualTo((3L, 9L)));
    }

    [Test]
    public void TruncatedEpisodesAreRecordedToo()
    {
        using var env = new EpisodeStatistics(new TimeLimit(new CounterEnv(), 2));
        env.Reset(0);
        env.Step(0);
        var r = env.Step(0);
        Assert.That(r.Truncated, Is.True);
        Assert.That(((EpisodeRecord)r.Info[EpisodeStatistics.InfoKey]).Return, Is.EqualTo(3.0));
    }

    [Test]
    public void NonFinalStepsAllocateNothing()
    {
        using var env = new EpisodeStatistics(new CounterEnv());
        env.Reset(0);
        env.Step(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) env.Step(0);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}

public class ObservationNormalizationTests
{
    private static readonly float[][] Observations =
    [
        [1f, -2f], [3f, 0f], [-5f, 4f], [2f, 2f], [10f, -7f], [0.5f, 0.25f],
    ];

    private static ScriptedEnv Scripted() => new(Observations, [0, 0, 0, 0, 0], 2);

    [Test]
    public void StatisticsMatchADirectComputationAndNormalize()
    {
        using var env = new ObservationNormalization(Scripted());
        var first = env.Reset(0);
        Assert.That(first.Observation.ToArray(), Is.EqualTo(new[] { 0f, 0f }), "one sample: x − mean = 0");
        ReadOnlySpan<float> last = default;
        for (int t = 0; t < 5; t++) last = env.Step(0).Observation;

        Assert.That(env.Count, Is.EqualTo(6));
        for (int j = 0; j < 2; j++)
        {
            double mean = Observations.Average(o => (double)o[j]);
            double variance = Observations.Average(o => (o[j] - mean) * (o[j] - mean));
            Assert.That(env.Mean[j], Is.EqualTo(mean).Within(1e-12));
            Assert.That(env.Variance[j], Is.EqualTo(variance).Within(1e-12));
            double expected = (Observations[5][j] - mean) / Math.Sqrt(variance + 1e-8);
            Assert.That(last[j], Is.EqualTo((float)expected).Within(1e-6));
        }
    }

    [Test]
    public void ClipsAndDescribesTheClippedSpace()
    {
        using var env = new ObservationNormalization(Scripted(), clip: 0.5);
        env.Reset(0);
        env.Step(0);
        var r = env.Step(0); // [-5, 4] is far from the mean of three samples
        Assert.That(r.Observation[0], Is.EqualTo(-0.5f));
        Assert.That(r.Observation[1], Is.EqualTo(0.5f));
        Assert.That(((Box)env.ObservationSpace).Contains(r.Observation), Is.True);
        Assert.That(env.ObservationSpace.Description, Is.EqualTo("Box(-0.5, 0.5, [2])"));
    }

    [Test]
    public void FrozenStatisticsAndStateRoundTrip()
    {
        using var trained = new ObservationNormalization(Scripted());
        trained.Reset(0);
        for (int t = 0; t < 4; t++) trained.Step(0);
        var state = trained.GetState();
        Assert.That(state.Count, Is.EqualTo(5));

        using var restored = new ObservationNormalization(Scripted()) { Update = false };
        restored.SetState(state);
        trained.Update = false;
        var a = trained.Step(0).Observation.ToArray();
        restored.Reset(0);
        for (int t = 0; t < 4; t++) restored.Step(0);
        var b = restored.Step(0).Observation.ToArray();
        Assert.That(b, Is.EqualTo(a));
        Assert.That(restored.Count, Is.EqualTo(5), "frozen statistics do not count new observations");
        Assert.That(restored.GetState().Mean, Is.EqualTo(state.Mean));

        state.Mean[0] = 123; // the state is a copy
        Assert.That(trained.Mean[0], Is.Not.EqualTo(123));
        Assert.Throws<ArgumentException>(() => restored.SetState(new RunningStatistics(1, [0.0], [1.0])));
        Assert.Throws<ArgumentException>(() => restored.SetState(new RunningStatistics(1, [0.0, 0.0], [1.0, -1.0])));
    }
}

public class RewardScalingTests
{
    [Test]
    public void DividesByTheStdOfTheDiscountedReturnAndRestartsItAtEpisodeEnds()
    {
        double[] rewards = [1, 2, -1];
        const double gamma = 0.5;
        var obs = Enumerable.Repeat(new float[] { 0f }, 4).ToArray();
        using var env = new RewardScaling(new ScriptedEnv(obs, rewards, 1), gamma);

        var returns = new List<double>();
        for (int episode = 0; episode < 2; episode++)
        {
            env.Reset(0);
            double g = 0;
            foreach (double r in rewards)
            {
                g = gamma * g + r;
                returns.Add(g);
                double mean = returns.Average();
                double variance = returns.Average(x => (x - mean) * (x - mean));
                double expected = Math.Clamp(r / Math.Sqrt(variance + 1e-8), -10, 10);
                Assert.That(env.Step(0).Reward, Is.EqualTo(expected).Within(1e-12));
            }
        }
        Assert.That(returns, Is.EqualTo(new[] { 1.0, 2.5, 0.25, 1.0, 2.5, 0.25 }));
        Assert.That(env.ReturnVariance, Is.GreaterThan(0));
    }

    [Test]
    public void RejectsInvalidOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardScaling(new CounterEnv(), gamma: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RewardScaling(new CounterEnv(), clip: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ObservationNormalization(new CounterEnv(), epsilon: -1));
    }
}

public class ActionWrapperTests
{
    [Test]
    public void ClipActionClipsIntoTheInnerBox()
    {
        using var env = new ClipAction(new EchoActionEnv());
        env.Reset(0);
        var r = env.Step([5f, -0.5f]);
        Assert.That(r.Observation.ToArray(), Is.EqualTo(new[] { 2f, -0.5f }));
        Assert.That(((Box)env.ActionSpace).IsBounded, Is.False);
        Assert.Throws<ArgumentException>(() => env.Step([1f]));
        Assert.Throws<ArgumentException>(() => new ClipAction(new CounterEnv()));
    }

    [Test]
    public void RescaleActionMapsTheNewBoundsOntoTheInnerOnes()
    {
        using var env = new RescaleAction(new EchoActionEnv(), -1f, 1f);
        env.Reset(0);
        Assert.That(env.Step([-1f, 1f]).Observation.ToArray(), Is.EqualTo(new[] { -2f, 2f }));
        Assert.That(env.Step([0.5f, 0f]).Observation.ToArray(), Is.EqualTo(new[] { 1f, 0f }));
        Assert.That(env.ActionSpace.Description, Is.EqualTo("Box(-1, 1, [2])"));

        using var perDimension = new RescaleAction(new EchoActionEnv(), [0f, 10f], [1f, 20f]);
        perDimension.Reset(0);
        Assert.That(perDimension.Step([0.25f, 20f]).Observation.ToArray(), Is.EqualTo(new[] { -1f, 2f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RescaleAction(new EchoActionEnv(), 1f, 1f));
        Assert.Throws<ArgumentException>(() => new RescaleAction(new CounterEnv(), -1f, 1f));
    }
}

public class NanInfCheckerTests
{
    [Test]
    public void NamesTheEnvironmentAndWhatWasNotFinite()
    {
        var raw = new RawEnv();
        using var env = new NanInfChecker(raw);
        env.Reset(0);
        raw.ObservationValue = float.NaN;
        var obs = Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.That(obs!.Message, Does.Contain("Raw-v0").And.Contain("observation").And.Contain("NaN"));

        raw.ObservationValue = 1f;
        env.Reset(0);
        raw.RewardValue = double.PositiveInfinity;
        var reward = Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.That(reward!.Message, Does.Contain("Raw-v0").And.Contain("reward"));

        raw.ObservationValue = float.NegativeInfinity;
        var reset = Assert.Throws<InvalidOperationException>(() => env.Reset(0));
        Assert.That(reset!.Message, Does.Contain("Reset").And.Contain("observation"));
    }

    [Test]
    public void RejectsNonFiniteActionsBeforeTheEnvironmentSeesThem()
    {
        using var env = new NanInfChecker(new ClipAction(new EchoActionEnv()));
        env.Reset(0);
        var e = Assert.Throws<ArgumentException>(() => env.Step([0f, float.NaN]));
        Assert.That(e!.Message, Does.Contain("EchoAction-v0").And.Contain("action").And.Contain("index 1"));
        Assert.That(env.Step([1f, 1f]).Observation.ToArray(), Is.EqualTo(new[] { 1f, 1f }));
    }
}

public class AvailabilityObservationTests
{
    [Test]
    public void AppendsTheActionSetsAvailabilityAfterEveryResetAndStep()
    {
        using var env = new AvailabilityObservation(new RotatingActionSetEnv());
        var space = (Box)env.ObservationSpace;
        Assert.That(space.Shape, Is.EqualTo(new[] { 5 }), "1 inner value + 4 actions");
        Assert.That(space.Low.ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f, 0f, 0f }));
        Assert.That(space.High.ToArray(), Is.EqualTo(new[] { 3f, 1f, 1f, 1f, 1f }));
        Assert.That(env.ActionSpace, Is.SameAs(env.Inner.ActionSpace));

        var seen = new HashSet<int>();
        for (ulong seed = 0; seed < 12; seed++)
        {
            var observation = env.Reset(seed).Observation.ToArray();
            int unavailable = (int)observation[0];
            seen.Add(unavailable);
            Assert.That(observation[1..], Is.EqualTo(Enumerable.Range(0, 4).Select(a => a == unavailable ? 0f : 1f)), $"seed {seed}");
            Assert.That(space.Contains(observation), Is.True);
            var step = env.Step((unavailable + 1) % 4).Observation.ToArray();
            Assert.That(step[1..], Is.EqualTo(observation[1..]));
        }
        Assert.That(seen, Has.Count.GreaterThan(1), "the availability changed between episodes");
    }

    [Test]
    public void AppendsAnActionListsItemAvailabilityAndForwardsLists()
    {
        var inner = new RotatingActionListEnv();
        using var env = new AvailabilityObservation(inner);
        Assert.That(env.ObservationSpace.Shape, Is.EqualTo(new[] { 8 }), "3 inner values + 5 items, not + the list length");
        var observation = env.Reset(9).Observation.ToArray();
        int unavailable = (int)observation[0];
        Assert.That(observation[..3], Is.EqualTo(new[] { unavailable, -1f, -1f }));
        Assert.That(observation[3..], Is.EqualTo(Enumerable.Range(0, 5).Select(a => a == unavailable ? 0f : 1f)));
        int a = (unavailable + 1) % 5, b = (unavailable + 4) % 5;
        var step = env.Step([a, b]);
        Assert.That(step.Reward, Is.EqualTo(10 * a + b));
        Assert.That(step.Observation[..3].ToArray(), Is.EqualTo(new float[] { unavailable, a, b }));
        Assert.That(step.Observation[3..].ToArray(), Is.EqualTo(observation[3..]));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([a, unavailable]));
    }

    [Test]
    public void RejectsEnvironmentsWithoutAvailability()
    {
        var discrete = Assert.Throws<ArgumentException>(() => new AvailabilityObservation(new CounterEnv()));
        Assert.That(discrete!.ParamName, Is.EqualTo("env"));
        Assert.That(discrete.Message, Does.Contain("Counter-v0").And.Contain("Discrete(2)").And.Contain("an ActionSet or ActionList is needed"));
        var box = Assert.Throws<ArgumentException>(() => new AvailabilityObservation(new EchoActionEnv()));
        Assert.That(box!.Message, Does.Contain("Box(-2, 2, [2])"));
    }

    [Test]
    public void PassesTheContractCheckAndStepsWithoutAllocating()
    {
        Assert.DoesNotThrow(() => CheckEnv.Check(new AvailabilityObservation(new RotatingActionListEnv())));
        Assert.DoesNotThrow(() => CheckEnv.Check(new AvailabilityObservation(new RotatingActionSetEnv())));

        using var env = new AvailabilityObservation(new TimeLimit(new RotatingActionSetEnv(), 1000));
        env.Reset(0);
        for (int t = 0; t < 10; t++) env.Step(((int)env.Reset().Observation[0] + 1) % 4);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 100; t++)
        {
            var observation = env.Reset().Observation;
            env.Step(((int)observation[0] + 1) % 4);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}

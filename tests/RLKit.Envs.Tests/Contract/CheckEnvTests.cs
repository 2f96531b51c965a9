using RLKit.Environments;
using RLKit.Environments.Wrappers;

namespace RLKit.Envs.Tests.Contract;

public class CheckEnvTests
{
    [Test]
    public void PassesEnvironmentsThatKeepTheContract()
    {
        Assert.DoesNotThrow(() => CheckEnv.Check(new RawEnv()));
        Assert.DoesNotThrow(() => CheckEnv.Check(new TimeLimit(new RandomWalkEnv(), 50)));
        Assert.DoesNotThrow(() => CheckEnv.Check(new RescaleAction(new RandomWalkEnv(continuous: true), -2f, 2f), seed: 3));
        Assert.DoesNotThrow(() => CheckEnv.Check(new RotatingActionSetEnv()));
        Assert.DoesNotThrow(() => CheckEnv.Check(new RotatingActionListEnv()));
        Assert.DoesNotThrow(() => CheckEnv.Check(new RotatingActionListEnv(length: 1)));
    }

    [Test]
    public void ReportsAnActionListEnvironmentThatAcceptsInvalidLists()
    {
        var e = Assert.Throws<EnvironmentCheckException>(() => CheckEnv.Check(new AcceptAnyListEnv(), steps: 20));
        Assert.That(e!.Failures, Has.Some.StartsWith("[actions]").And.Contains("with an id outside"), e.Message);
        Assert.That(e.Failures, Has.Some.StartsWith("[actions]").And.Contains("a list of 1 ids"), e.Message);
        Assert.That(e.Failures, Has.Some.StartsWith("[actions]").And.Contains("with a repeated id"), e.Message);
        Assert.That(e.Failures, Has.Some.StartsWith("[actions]").And.Contains("with the unavailable id 2"), e.Message);
        // Random lists are drawn from the available actions only: the seeded runs themselves pass.
        Assert.That(e.Failures, Has.None.StartsWith("[step]"), e.Message);
    }

    private static IEnumerable<TestCaseData> BrokenEnvironments()
    {
        yield return new TestCaseData(new RawEnv { NonDeterministic = true }, "[determinism]").SetName("NonDeterministic");
        yield return new TestCaseData(new RawEnv { ObservationOutOfSpace = true }, "[reset]").SetName("ObservationOutOfSpace");
        yield return new TestCaseData(new RawEnv { WrongObservationSize = true }, "3 observation values").SetName("WrongObservationSize");
        yield return new TestCaseData(new RawEnv { StepsAfterDone = true }, "[done]").SetName("StepsAfterDone");
        yield return new TestCaseData(new RawEnv { AcceptsInvalidActions = true }, "[actions]").SetName("AcceptsInvalidActions");
        yield return new TestCaseData(new RawEnv { RewardValue = double.NaN }, "non-finite reward").SetName("NaNReward");
    }

    [TestCaseSource(nameof(BrokenEnvironments))]
    public void ReportsEachBrokenRule(IEnvironment env, string expected)
    {
        var e = Assert.Throws<EnvironmentCheckException>(() => CheckEnv.Check(env, steps: 20));
        Assert.That(e!.Failures, Has.Some.Contains(expected), e.Message);
        Assert.That(e.EnvironmentId, Is.EqualTo("Raw-v0"));
        Assert.That(e.Message, Does.Contain("Raw-v0").And.Contain(expected));
    }

    [Test]
    public void ListsEveryFailedRuleAtOnce()
    {
        var env = new RawEnv { NonDeterministic = true, StepsAfterDone = true, AcceptsInvalidActions = true };
        var e = Assert.Throws<EnvironmentCheckException>(() => CheckEnv.Check(env, steps: 20));
        Assert.That(e!.Failures.Count(f => f.StartsWith("[determinism]")), Is.EqualTo(1));
        Assert.That(e.Failures, Has.Some.StartsWith("[done]"));
        Assert.That(e.Failures, Has.Some.StartsWith("[actions]"));
    }

    [Test]
    public void RedrawsMultiDiscreteActionsTheEnvironmentRejectsAsConstrained()
    {
        Assert.DoesNotThrow(() => CheckEnv.Check(new DistinctPairEnv(), steps: 50));
        var e = Assert.Throws<EnvironmentCheckException>(() => CheckEnv.Check(new DistinctPairEnv(rejectEverything: true), steps: 5));
        Assert.That(e!.Failures, Has.Some.StartsWith("[step]").And.Contains("must differ"));
    }

    [Test]
    public void RejectsANonPositiveStepCount() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckEnv.Check(new RawEnv(), steps: 0));
}

using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Environments.Wrappers;
using RLKit.Tensors;

namespace RLKit.Envs.Tests.Contract;

public class VectorEnvironmentTests
{
    /// <summary>Sub-env 0 terminates after 2 steps; sub-env 1 is truncated by a TimeLimit after 3.</summary>
    private static IEnvironment[] TwoCounters() => [new CounterEnv(terminateAfter: 2), new TimeLimit(new CounterEnv(), 3)];

    private static IVectorEnvironment Make(bool parallel, AutoresetMode mode) => parallel
        ? new ParallelVectorEnvironment(TwoCounters(), mode, workerCount: 2)
        : new SyncVectorEnvironment(TwoCounters(), mode);

    // Each row: observations [env0 steps, env0 resets, env1 steps, env1 resets], rewards, (terminated, truncated) per env.
    private static readonly (float[] Obs, float[] Rewards, bool[] Terminated, bool[] Truncated)[] NextStepExpected =
    [
        ([1, 1, 1, 1], [1, 1], [false, false], [false, false]),
        ([2, 1, 2, 1], [2, 2], [true, false], [false, false]),
        ([0, 2, 3, 1], [0, 3], [false, false], [false, true]),   // env0 autoresets (its action is ignored)
        ([1, 2, 0, 2], [1, 0], [false, false], [false, false]),  // env1 autoresets
        ([2, 2, 1, 2], [2, 1], [true, false], [false, false]),
        ([0, 3, 2, 2], [0, 2], [false, false], [false, false]),
        ([1, 3, 3, 2], [1, 3], [false, false], [false, true]),
        ([2, 3, 0, 3], [2, 0], [true, false], [false, false]),
    ];

    // SameStep: observations are already reset where an episode ended; final observations hold the last ones.
    private static readonly (float[] Obs, float[] Rewards, bool[] Terminated, bool[] Truncated, float[]?[] Final)[] SameStepExpected =
    [
        ([1, 1, 1, 1], [1, 1], [false, false], [false, false], [null, null]),
        ([0, 2, 2, 1], [2, 2], [true, false], [false, false], [[2, 1], null]),
        ([1, 2, 0, 2], [1, 3], [false, false], [false, true], [null, [3, 1]]),
        ([0, 3, 1, 2], [2, 1], [true, false], [false, false], [[2, 2], null]),
        ([1, 3, 2, 2], [1, 2], [false, false], [false, false], [null, null]),
        ([0, 4, 0, 3], [2, 3], [true, false], [false, true], [[2, 3], [3, 2]]),
        ([1, 4, 1, 3], [1, 1], [false, false], [false, false], [null, null]),
        ([0, 5, 2, 3], [2, 2], [true, false], [false, false], [[2, 4], null]),
    ];

    [TestCase(false)]
    [TestCase(true)]
    public void NextStepAutoresetGivesTheHandWrittenTrajectory(bool parallel)
    {
        using var vec = Make(parallel, AutoresetMode.NextStep);
        var reset = vec.Reset(seed: 0);
        Assert.That(reset.Observations.ToArray(), Is.EqualTo(new float[] { 0, 1, 0, 1 }));
        Assert.That(reset.Infos, Has.All.SameAs(CounterEnv.ResetInfo));
        Assert.That(vec.Observations.ShapeArray(), Is.EqualTo(new[] { 2, 2 }));

        bool[] pendingReset = [false, false];
        for (int t = 0; t < NextStepExpected.Length; t++)
        {
            var expected = NextStepExpected[t];
            // An invalid action where a sub-env autoresets proves the action is ignored there.
            int[] actions = [pendingReset[0] ? 7 : 0, pendingReset[1] ? 7 : 0];
            var r = vec.Step(actions);
            Assert.That(r.Observations, Is.SameAs(vec.Observations), "one persistent tensor");
            Assert.That(r.Observations.ToArray(), Is.EqualTo(expected.Obs), $"observations at step {t + 1}");
            Assert.That(r.Rewards.ToArray(), Is.EqualTo(expected.Rewards), $"rewards at step {t + 1}");
            Assert.That(r.Terminated.ToArray(), Is.EqualTo(expected.Terminated), $"terminated at step {t + 1}");
            Assert.That(r.Truncated.ToArray(), Is.EqualTo(expected.Truncated), $"truncated at step {t + 1}");
            Assert.That(r.NextObservations, Is.SameAs(r.Observations), "under NextStep the observation after a step is s′");
            Assert.That(r.FinalInfos, Is.Null);
            for (int i = 0; i < 2; i++)
            {
                var expectedInfo = pendingReset[i] ? CounterEnv.ResetInfo : expected.Terminated[i] ? CounterEnv.FinalInfo : EnvInfo.Empty;
                Assert.That(r.Infos[i], Is.SameAs(expectedInfo), $"info of env {i} at step {t + 1}");
                pendingReset[i] = r.Done(i);
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SameStepAutoresetGivesTheHandWrittenTrajectoryWithFinalObservations(bool parallel)
    {
        using var vec = Make(parallel, AutoresetMode.SameStep);
        vec.Reset(seed: 0);
        for (int t = 0; t < SameStepExpected.Length; t++)
        {
            var expected = SameStepExpected[t];
            var r = vec.Step([0, 0]);
            Assert.That(r.Observations.ToArray(), Is.EqualTo(expected.Obs), $"observations at step {t + 1}");
            Assert.That(r.Rewards.ToArray(), Is.EqualTo(expected.Rewards), $"rewards at step {t + 1}");
            Assert.That(r.Terminated.ToArray(), Is.EqualTo(expected.Terminated), $"terminated at step {t + 1}");
            Assert.That(r.Truncated.ToArray(), Is.EqualTo(expected.Truncated), $"truncated at step {t + 1}");
            var final = r.NextObservations.ToArray();
            for (int i = 0; i < 2; i++)
            {
                if (expected.Final[i] is { } last)
                {
                    Assert.That(final.AsSpan(2 * i, 2).ToArray(), Is.EqualTo(last), $"final observation of env {i} at step {t + 1}");
                    Assert.That(r.Infos[i], Is.SameAs(CounterEnv.ResetInfo), "the info is the reset info");
                    Assert.That(r.FinalInfos![i], Is.SameAs(i == 0 ? CounterEnv.FinalInfo : EnvInfo.Empty), "the final info is the last step's");
                }
                else
                {
                    Assert.That(r.Done(i), Is.False);
                    Assert.That(final.AsSpan(2 * i, 2).ToArray(), Is.EqualTo(expected.Obs.AsSpan(2 * i, 2).ToArray()), "a running episode's s′ is its observation");
                    Assert.That(r.FinalInfos![i], Is.SameAs(EnvInfo.Empty));
                }
            }
        }
    }

    [TestCase(AutoresetMode.NextStep)]
    [TestCase(AutoresetMode.SameStep)]
    public void ParallelMatchesSyncBitForBit(AutoresetMode mode)
    {
        const int count = 5, steps = 300;
        static IEnvironment[] Walks(bool continuous) => Enumerable.Range(0, count).Select(_ => (IEnvironment)new RandomWalkEnv(continuous)).ToArray();
        foreach (bool continuous in new[] { false, true })
        {
            using var sync = new SyncVectorEnvironment(Walks(continuous), mode);
            using var parallel = new ParallelVectorEnvironment(Walks(continuous), mode, workerCount: 3);
            Assert.That(parallel.WorkerCount, Is.EqualTo(3));
            sync.Reset(seed: 42);
            parallel.Reset(seed: 42);
            Assert.That(Bits(parallel.Observations), Is.EqualTo(Bits(sync.Observations)));
            var rng = new RandomGenerator(7);
            var intActions = new int[count];
            var floatActions = new float[count * 2];
            int episodesEnded = 0;
            for (int t = 0; t < steps; t++)
            {
                for (int i = 0; i < count; i++) intActions[i] = rng.NextInt(3);
                rng.FillUniform(floatActions, -1, 1);
                var a = continuous ? sync.Step(floatActions) : sync.Step(intActions);
                var b = continuous ? parallel.Step(floatActions) : parallel.Step(intActions);
                Assert.That(Bits(b.Observations), Is.EqualTo(Bits(a.Observations)), $"observations at step {t}");
                Assert.That(b.Rewards.ToArray(), Is.EqualTo(a.Rewards.ToArray()), $"rewards at step {t}");
                Assert.That(b.Terminated.ToArray(), Is.EqualTo(a.Terminated.ToArray()));
                Assert.That(b.Truncated.ToArray(), Is.EqualTo(a.Truncated.ToArray()));
                if (mode == AutoresetMode.SameStep)
                    for (int i = 0; i < count; i++)
                        if (a.Done(i))
                            Assert.That(Bits(b.NextObservations).AsSpan(3 * i, 3).ToArray(), Is.EqualTo(Bits(a.NextObservations).AsSpan(3 * i, 3).ToArray()));
                for (int i = 0; i < count; i++) episodesEnded += a.Done(i) ? 1 : 0;
            }
            Assert.That(episodesEnded, Is.GreaterThan(50), "the comparison covered many autoresets");
        }
    }

    private static int[] Bits(Tensor t) => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    [Test]
    public void VectorEnvironmentsDefaultToTheAutoresetModeTrainingNeeds()
    {
        using var sync = new SyncVectorEnvironment(TwoCounters());
        using var parallel = new ParallelVectorEnvironment(TwoCounters());
        Assert.That(sync.AutoresetMode, Is.EqualTo(AutoresetMode.SameStep));
        Assert.That(parallel.AutoresetMode, Is.EqualTo(AutoresetMode.SameStep));
    }

    [Test]
    public void ResetCancelsAPendingNextStepAutoreset()
    {
        using var vec = new SyncVectorEnvironment([new CounterEnv(terminateAfter: 1)], AutoresetMode.NextStep);
        vec.Reset(0);
        Assert.That(vec.Step([0]).Terminated[0], Is.True);
        vec.Reset();
        var r = vec.Step([1]);
        Assert.That((r.Observations.ToArray()[0], r.Rewards[0], r.Terminated[0]), Is.EqualTo((1f, 101f, true)), "a real step, not an autoreset");
    }

    [Test]
    public void SubEnvironmentIIsSeededWithSeedPlusI()
    {
        using var vec = new SyncVectorEnvironment([new RandomWalkEnv(), new RandomWalkEnv(), new RandomWalkEnv()]);
        vec.Reset(seed: 10);
        using var single = new RandomWalkEnv();
        for (int i = 0; i < 3; i++)
        {
            var expected = single.Reset((ulong)(10 + i)).Observation.ToArray();
            Assert.That(vec.Observations.ToArray().AsSpan(3 * i, 3).ToArray(), Is.EqualTo(expected), $"sub-env {i}");
        }
    }

    [Test]
    public void SyncStepsAllocateNothingAfterWarmUp([Values] AutoresetMode mode)
    {
        using var vec = new SyncVectorEnvironment(
            [new CounterEnv(terminateAfter: 3), new TimeLimit(new CounterEnv(), 5), new EpisodeStatistics(new CounterEnv()), new CounterEnv(terminateAfter: 7)], mode);
        vec.Reset(seed: 1);
        int[] actions = [1, 0, 1, 0];
        for (int t = 0; t < 50; t++) vec.Step(actions);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 2000; t++) vec.Step(actions);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void ClearErrors()
    {
        using var vec = new SyncVectorEnvironment([new CounterEnv(), new CounterEnv()]);
        var early = Assert.Throws<InvalidOperationException>(() => vec.Step([0, 0]));
        Assert.That(early!.Message, Does.Contain("before Reset"));
        vec.Reset();
        var count = Assert.Throws<ArgumentException>(() => vec.Step([0, 0, 0]));
        Assert.That(count!.Message, Does.Contain("need 2 int actions, got 3"));
        Assert.Throws<NotSupportedException>(() => vec.Step([0f, 0f]));

        var mismatch = Assert.Throws<ArgumentException>(() => new SyncVectorEnvironment([new CounterEnv(), new RandomWalkEnv()]));
        Assert.That(mismatch!.Message, Does.Contain("environment 1").And.Contain("space"));
        var same = new CounterEnv();
        Assert.Throws<ArgumentException>(() => new ParallelVectorEnvironment([same, same]));
        Assert.Throws<ArgumentException>(() => new SyncVectorEnvironment(Array.Empty<IEnvironment>()));

        using var continuous = new ParallelVectorEnvironment([new RandomWalkEnv(true), new RandomWalkEnv(true)], workerCount: 2);
        continuous.Reset(0);
        var floats = Assert.Throws<ArgumentException>(() => continuous.Step(new float[3]));
        Assert.That(floats!.Message, Does.Contain("2 × 2 = 4"));
    }

    [Test]
    public void ASubEnvironmentFailureSurfacesOnTheCallerAndRequiresReset()
    {
        using var vec = new ParallelVectorEnvironment([new CounterEnv(), new CounterEnv()], workerCount: 2);
        vec.Reset(0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => vec.Step([0, 5]));
        Assert.That(e!.Message, Does.Contain("Counter-v0"));
        Assert.Throws<InvalidOperationException>(() => vec.Step([0, 0]));
        vec.Reset(0);
        Assert.That(vec.Step([0, 1]).Rewards.ToArray(), Is.EqualTo(new float[] { 1, 101 }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AnActionErrorNamesTheSubEnvironmentIndexAndId(bool parallel)
    {
        IEnvironment[] discrete = [new CounterEnv(id: "CounterA-v0"), new CounterEnv(id: "CounterB-v0"), new CounterEnv(id: "CounterC-v0")];
        using var vec = parallel ? new ParallelVectorEnvironment(discrete, workerCount: 2) : (IVectorEnvironment)new SyncVectorEnvironment(discrete);
        string owner = parallel ? nameof(ParallelVectorEnvironment) : nameof(SyncVectorEnvironment);
        vec.Reset(0);
        var outOfRange = Assert.Throws<ArgumentOutOfRangeException>(() => vec.Step([0, 1, 7]));
        Assert.That(outOfRange!.Message, Does.StartWith($"{owner}: sub-environment 2 (CounterC-v0) rejected its action 7: CounterC-v0: action 7 is not in"));
        Assert.That(outOfRange.InnerException, Is.TypeOf<ArgumentOutOfRangeException>());

        IEnvironment[] continuous = [new RandomWalkEnv(true), new RandomWalkEnv(true)];
        using var box = parallel ? new ParallelVectorEnvironment(continuous, workerCount: 2) : (IVectorEnvironment)new SyncVectorEnvironment(continuous);
        box.Reset(0);
        var nan = Assert.Throws<ArgumentException>(() => box.Step([0f, 0f, 0.5f, float.NaN]));
        Assert.That(nan!.Message, Does.StartWith($"{owner}: sub-environment 1 (RandomWalkContinuous-v0) rejected its action [0.5, NaN]:")
                                      .And.Contain("action[1] is NaN"));
    }

    [Test]
    public void ActionMasksFollowEachSubEnvironmentsActionSet()
    {
        using var vec = new SyncVectorEnvironment([new RotatingActionSetEnv(), new RotatingActionSetEnv(), new RotatingActionSetEnv()], AutoresetMode.SameStep);
        var reset = vec.Reset(0);
        Assert.That(reset.ActionMasks.ToArray(), Is.EqualTo(ExpectedMasks(vec.Observations)));
        int differing = 0;
        int[] actions = new int[3];
        for (int t = 0; t < 20; t++)
        {
            for (int i = 0; i < 3; i++) actions[i] = ((int)vec.Observations.ToArray()[i] + 1) % 4; // an available action
            var step = vec.Step(actions); // every episode ends and resets in the same step
            Assert.That(step.ActionMasks.ToArray(), Is.EqualTo(ExpectedMasks(step.Observations)), $"step {t}");
            differing += step.ActionMasks[..4].SequenceEqual(step.ActionMasks.Slice(4, 4)) ? 0 : 1;
        }
        Assert.That(differing, Is.GreaterThan(0), "sub-environments had different masks");
        Assert.That(vec.ActionMasks.Length, Is.EqualTo(12));

        using var discrete = new SyncVectorEnvironment([new CounterEnv()]);
        Assert.That(discrete.ActionMasks.Length, Is.Zero);
    }

    [TestCase(false, AutoresetMode.SameStep)]
    [TestCase(true, AutoresetMode.SameStep)]
    [TestCase(false, AutoresetMode.NextStep)]
    public void ActionListEnvironmentsStepWithLengthIdsPerCopyAndMaskTheirItems(bool parallel, AutoresetMode mode)
    {
        var envs = new[] { new RotatingActionListEnv(), new RotatingActionListEnv(), new RotatingActionListEnv() };
        using var vec = parallel ? new ParallelVectorEnvironment(envs, mode, workerCount: 2) : (IVectorEnvironment)new SyncVectorEnvironment(envs, mode);
        Assert.That(vec.SingleActionSpace, Is.TypeOf<RLKit.Spaces.ActionList>());
        var reset = vec.Reset(5);
        Assert.That(reset.ActionMasks.Length, Is.EqualTo(15), "mask width = Items.Count (5), not the list length");
        Assert.That(reset.ActionMasks.ToArray(), Is.EqualTo(ExpectedListMasks(vec.Observations)));

        int[] actions = new int[6];
        int differing = 0, received = 0, skipped = 0;
        for (int t = 0; t < 12; t++)
        {
            var observations = vec.Observations.ToArray();
            var before = envs.Select(e => e.Lists.Count).ToArray();
            for (int i = 0; i < 3; i++)
            {
                // Two ids after the unavailable one, the larger offset first: available, distinct, not in universe order.
                int unavailable = (int)observations[3 * i];
                actions[2 * i] = (unavailable + 2 + t % 2) % 5;
                actions[2 * i + 1] = (unavailable + 1) % 5;
            }
            var step = vec.Step(actions);
            for (int i = 0; i < 3; i++)
            {
                if (envs[i].Lists.Count == before[i])
                {
                    // Only a NextStep autoreset step ignores the action (reward 0).
                    Assert.That(mode, Is.EqualTo(AutoresetMode.NextStep), $"copy {i} ignored its list at step {t}");
                    Assert.That(step.Rewards[i], Is.Zero);
                    skipped++;
                    continue;
                }
                received++;
                Assert.That(envs[i].Lists[^1], Is.EqualTo(actions.AsSpan(2 * i, 2).ToArray()), $"copy {i} step {t}: its own two ids, in order");
                Assert.That(step.Rewards[i], Is.EqualTo(10 * actions[2 * i] + actions[2 * i + 1]), $"copy {i} step {t}");
            }
            Assert.That(step.ActionMasks.ToArray(), Is.EqualTo(ExpectedListMasks(step.Observations)), $"step {t}");
            differing += step.ActionMasks[..5].SequenceEqual(step.ActionMasks.Slice(5, 5)) ? 0 : 1;
        }
        Assert.That(differing, Is.GreaterThan(0), "sub-environments had different masks");
        Assert.That(received, Is.EqualTo(mode == AutoresetMode.SameStep ? 36 : 24));
        Assert.That(skipped, Is.EqualTo(mode == AutoresetMode.SameStep ? 0 : 12));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AnActionListOfOneStillStepsThroughTheSpanOverload(bool parallel)
    {
        var envs = new[] { new RotatingActionListEnv(length: 1), new RotatingActionListEnv(length: 1) };
        using var vec = parallel ? new ParallelVectorEnvironment(envs, workerCount: 2) : (IVectorEnvironment)new SyncVectorEnvironment(envs);
        vec.Reset(2);
        var obs = vec.Observations.ToArray();
        int a = ((int)obs[0] + 1) % 5, b = ((int)obs[3] + 3) % 5;
        var step = vec.Step([a, b]);
        Assert.That(step.Rewards.ToArray(), Is.EqualTo(new float[] { 10 * a, 10 * b }));
        Assert.That(envs[0].Lists.Single(), Is.EqualTo(new[] { a }));
        Assert.That(vec.ActionMasks.Length, Is.EqualTo(10));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void AnActionListErrorNamesTheCopyTheIdAndWhy(bool parallel)
    {
        var envs = new[] { new RotatingActionListEnv(), new RotatingActionListEnv() };
        using var vec = parallel ? new ParallelVectorEnvironment(envs, workerCount: 2) : (IVectorEnvironment)new SyncVectorEnvironment(envs);
        string owner = parallel ? nameof(ParallelVectorEnvironment) : nameof(SyncVectorEnvironment);
        vec.Reset(4);
        var obs = vec.Observations.ToArray();
        int u0 = (int)obs[0], u1 = (int)obs[3];
        var width = Assert.Throws<ArgumentException>(() => vec.Step([(u0 + 1) % 5, (u1 + 1) % 5]));
        Assert.That(width!.Message, Does.Contain("need 4 int actions, got 2"));

        var unavailable = Assert.Throws<ArgumentOutOfRangeException>(() => vec.Step([(u0 + 1) % 5, (u0 + 2) % 5, (u1 + 1) % 5, u1]));
        Assert.That(unavailable!.Message, Does.StartWith($"{owner}: sub-environment 1 (RotatingActionList-v0) rejected its action [{(u1 + 1) % 5}, {u1}]:")
                                               .And.Contain($"id {u1} at position 1 is not available"));
        vec.Reset(4);
        var repeated = Assert.Throws<ArgumentOutOfRangeException>(() => vec.Step([(u0 + 1) % 5, (u0 + 1) % 5, (u1 + 1) % 5, (u1 + 2) % 5]));
        Assert.That(repeated!.Message, Does.Contain("sub-environment 0").And.Contain("appears at positions 0 and 1"));
        vec.Reset(4);
        var floats = Assert.Throws<NotSupportedException>(() => vec.Step(new float[4]));
        Assert.That(floats!.Message, Does.Contain("ActionList"));
    }

    private static bool[] ExpectedListMasks(Tensor observations)
    {
        var values = observations.ToArray();
        return Enumerable.Range(0, values.Length / 3).SelectMany(i => Enumerable.Range(0, 5).Select(a => a != (int)values[3 * i])).ToArray();
    }

    private static bool[] ExpectedMasks(Tensor observations) =>
        observations.ToArray().SelectMany(unavailable => Enumerable.Range(0, 4).Select(a => a != (int)unavailable)).ToArray();
}

using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Environments.Wrappers;
using RLKit.Spaces;

namespace RLKit.Core.Tests.Environments;

[TestFixture]
public sealed class ActionSubsamplingTests
{
    /// <summary>
    /// <paramref name="count"/> actions with 1-D representations 0 … count − 1; every reset marks all of them available
    /// (so a wrapper that did nothing would be caught) and writes one draw of the env's own stream as the observation.
    /// Reward = the action id; an episode lasts <paramref name="length"/> steps.
    /// </summary>
    private sealed class AllAvailableEnv(int count = 20, int length = 2)
        : EnvironmentBase(new Box(0, 1, 1), new ActionSet(count, 1, [.. Enumerable.Range(0, count).Select(i => (float)i)]))
    {
        private int _t;

        public override string Id => "AllAvailable-v0";

        public ActionSet Actions => (ActionSet)ActionSpace;

        protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
        {
            Actions.Available.Fill(true);
            observation[0] = Random.NextSingle();
            _t = 0;
            return null;
        }

        protected override Transition StepCore(int action, Span<float> observation)
        {
            _t++;
            observation[0] = 0.5f;
            return new Transition(action, _t == length);
        }
    }

    private sealed class BoxEnv() : EnvironmentBase(new Box(0, 1, 1), new Box(-1, 1, 2))
    {
        public override string Id => "Box-v0";

        protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options) => null;
    }

    private static readonly int[] Pool = [1, 3, 4, 7, 8, 10, 12, 15, 16, 19];

    private static int[] AvailableIds(ActionSet set) => [.. Enumerable.Range(0, set.Count).Where(a => set.Available[a])];

    private static string Key(int[] ids) => string.Join(",", ids);

    [Test]
    public void EachResetOffersExactlyMActionsAllFromThePool()
    {
        var inner = new AllAvailableEnv();
        using var env = new ActionSubsampling(inner, Pool, actionsPerEpisode: 4);
        Assert.That(env.AvailablePerEpisode, Is.EqualTo(4));
        env.Reset(seed: 1);
        for (int episode = 0; episode < 50; episode++)
        {
            var ids = AvailableIds(inner.Actions);
            Assert.That(ids, Has.Length.EqualTo(4));
            Assert.That(ids, Is.SubsetOf(Pool));
            Assert.That(inner.Actions.AvailableCount, Is.EqualTo(4));
            env.Reset();
        }
    }

    [Test]
    public void TheSubsetChangesPerEpisodeAndCoversThePoolUniformly()
    {
        var inner = new AllAvailableEnv();
        using var env = new ActionSubsampling(inner, Pool, actionsPerEpisode: 3);
        var seen = new HashSet<string>();
        var frequency = new int[20];
        const int episodes = 3000;
        env.Reset(seed: 2);
        for (int episode = 0; episode < episodes; episode++)
        {
            var ids = AvailableIds(inner.Actions);
            seen.Add(Key(ids));
            foreach (int a in ids) frequency[a]++;
            env.Reset();
        }
        Assert.That(seen, Has.Count.GreaterThan(100)); // C(10, 3) = 120 possible subsets
        // Each pool action is offered with probability 3/10: 900 times in expectation (std ≈ 25).
        foreach (int a in Pool) Assert.That(frequency[a], Is.InRange(800, 1000), $"action {a}");
        Assert.That(Enumerable.Range(0, 20).Except(Pool).Sum(a => frequency[a]), Is.Zero);
    }

    [Test]
    public void TheSameSeedGivesTheSameSubsets()
    {
        static List<string> Run(ulong seed)
        {
            var inner = new AllAvailableEnv();
            using var env = new ActionSubsampling(inner, Pool, actionsPerEpisode: 5);
            var subsets = new List<string>();
            env.Reset(seed);
            for (int episode = 0; episode < 20; episode++)
            {
                subsets.Add(Key(AvailableIds(inner.Actions)));
                env.Reset();
            }
            return subsets;
        }

        var seven = Run(7);
        Assert.That(Run(7), Is.EqualTo(seven));
        Assert.That(Run(8), Is.Not.EqualTo(seven));

        // Reseeding restarts the stream.
        var inner = new AllAvailableEnv();
        using var env = new ActionSubsampling(inner, Pool, actionsPerEpisode: 5);
        env.Reset(seed: 7);
        var first = Key(AvailableIds(inner.Actions));
        env.Reset();
        env.Reset(seed: 7);
        Assert.That(Key(AvailableIds(inner.Actions)), Is.EqualTo(first));
    }

    [Test]
    public void TheInnerEnvironmentsStreamIsUntouched()
    {
        static float[] Observations(IEnvironment env)
        {
            var values = new List<float> { env.Reset(seed: 9).Observation[0] };
            for (int i = 0; i < 10; i++) values.Add(env.Reset().Observation[0]);
            return [.. values];
        }

        using var plain = new AllAvailableEnv();
        using var wrapped = new ActionSubsampling(new AllAvailableEnv(), Pool, actionsPerEpisode: 3);
        Assert.That(Observations(wrapped), Is.EqualTo(Observations(plain)));
    }

    [Test]
    public void APoolNoLargerThanMIsOfferedWhole()
    {
        var inner = new AllAvailableEnv();
        using var env = new ActionSubsampling(inner, Pool, actionsPerEpisode: 50);
        Assert.That(env.ActionsPerEpisode, Is.EqualTo(50));
        Assert.That(env.AvailablePerEpisode, Is.EqualTo(Pool.Length));
        env.Reset(seed: 3);
        Assert.That(AvailableIds(inner.Actions), Is.EqualTo(Pool));
    }

    [Test]
    public void TheInnerStepAcceptsOfferedActionsOnly()
    {
        var inner = new AllAvailableEnv(length: 100);
        using var env = new ActionSubsampling(inner, Pool, actionsPerEpisode: 2);
        Assert.That(env.ActionSpace, Is.SameAs(inner.ActionSpace));
        env.Reset(seed: 4);
        var offered = AvailableIds(inner.Actions);
        int notOffered = Pool.First(a => !offered.Contains(a));
        Assert.That(() => env.Step(notOffered), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => env.Step(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(env.Step(offered[1]).Reward, Is.EqualTo(offered[1]));
    }

    [TestCase(AutoresetMode.SameStep)]
    [TestCase(AutoresetMode.NextStep)]
    public void VectorAutoresetDrawsAFreshSubsetPerEpisode(AutoresetMode mode)
    {
        List<string> Run(AutoresetMode mode, Action<int, int[]>? check = null)
        {
            var envs = Enumerable.Range(0, 3).Select(_ => (IEnvironment)new ActionSubsampling(new AllAvailableEnv(length: 2), Pool, actionsPerEpisode: 4)).ToArray();
            using var vector = new SyncVectorEnvironment(envs, mode);
            var masks = new List<string>();
            var actions = new int[3];
            vector.Reset(seed: 11);
            for (int step = 0; step < 30; step++)
            {
                for (int i = 0; i < 3; i++)
                {
                    var row = vector.ActionMasks.Slice(i * 20, 20).ToArray();
                    var ids = Enumerable.Range(0, 20).Where(a => row[a]).ToArray();
                    check?.Invoke(i, ids);
                    masks.Add(Key(ids));
                    actions[i] = ids[step % ids.Length];
                }
                vector.Step(actions);
            }
            return masks;
        }

        var perEnv = Enumerable.Range(0, 3).Select(_ => new HashSet<string>()).ToArray();
        var masks = Run(mode, (i, ids) =>
        {
            Assert.That(ids, Has.Length.EqualTo(4));
            Assert.That(ids, Is.SubsetOf(Pool));
            perEnv[i].Add(Key(ids));
        });
        // 30 steps of 2-step episodes: about 10 to 15 episodes per sub-environment, each with its own subset.
        Assert.That(perEnv.Select(s => s.Count), Is.All.GreaterThan(5));
        Assert.That(perEnv[0].SetEquals(perEnv[1]), Is.False); // sub-environments are seeded apart
        Assert.That(Run(mode), Is.EqualTo(masks));
    }

    [Test]
    public void AResetAllocatesNothing()
    {
        using var env = new ActionSubsampling(new AllAvailableEnv(), Pool, actionsPerEpisode: 4);
        env.Reset(seed: 5);
        env.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) env.Reset();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void ThePoolIsCopied()
    {
        var pool = new List<int> { 2, 5, 6 };
        using var env = new ActionSubsampling(new AllAvailableEnv(), pool, actionsPerEpisode: 2);
        pool[0] = 9;
        Assert.That(env.Pool, Is.EqualTo(new[] { 2, 5, 6 }));
        Assert.That(env.Pool, Is.Not.InstanceOf<int[]>()); // not castable back to a mutable array
    }

    [Test]
    public void BadArgumentsGetClearErrors()
    {
        Assert.That(() => new ActionSubsampling(new BoxEnv(), [0], 1),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("env").And.Message.Contains("ActionSet"));
        Assert.That(() => new ActionSubsampling(new AllAvailableEnv(), null!, 1), Throws.ArgumentNullException);
        Assert.That(() => new ActionSubsampling(new AllAvailableEnv(), [], 1),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("pool").And.Message.Contains("[0, 19]"));
        Assert.That(() => new ActionSubsampling(new AllAvailableEnv(), [3, 20], 1),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("pool").And.Message.Contains("pool[1] = 20").And.Message.Contains("[0, 19]"));
        Assert.That(() => new ActionSubsampling(new AllAvailableEnv(), [-1], 1),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("pool"));
        Assert.That(() => new ActionSubsampling(new AllAvailableEnv(), [3, 4, 3], 1),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("pool").And.Message.Contains("pool[2] = 3"));
        Assert.That(() => new ActionSubsampling(new AllAvailableEnv(), [3], 0),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("actionsPerEpisode").And.Message.Contains("at least 1"));
        Assert.That(() => new ActionSubsampling(null!, [3], 1), Throws.ArgumentNullException);
    }
}

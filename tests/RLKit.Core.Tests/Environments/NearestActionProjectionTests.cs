using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Environments.Wrappers;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Environments;

[TestFixture]
public sealed class NearestActionProjectionTests
{
    /// <summary>
    /// An action set with the given 2-D representations, all available at reset; a step pays the action id, reports
    /// <paramref name="info"/> (if any), and never ends the episode.
    /// </summary>
    private sealed class PointsEnv(float[] representations, IReadOnlyDictionary<string, object>? info = null)
        : EnvironmentBase(new Box(0, 1, 1), new ActionSet(representations.Length / 2, 2, representations))
    {
        public override string Id => "Points-v0";

        public ActionSet Actions => (ActionSet)ActionSpace;

        public List<int> Executed { get; } = [];

        protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
        {
            Actions.Available.Fill(true);
            return null;
        }

        protected override Transition StepCore(int action, Span<float> observation)
        {
            Executed.Add(action);
            return new Transition(action, false, Info: info);
        }
    }

    private sealed class DiscreteEnv() : EnvironmentBase(new Box(0, 1, 1), new Discrete(3))
    {
        public override string Id => "Discrete-v0";

        protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options) => null;
    }

    //                                        id 0    id 1     id 2    id 3     id 4
    private static readonly float[] Square = [0, 0, 2, 0, 0, 2, 2, 2, -1, 5];

    [Test]
    public void TheActionSpaceIsTheBoxOfTheRepresentations()
    {
        using var env = new NearestActionProjection(new PointsEnv(Square));
        var box = (Box)env.ActionSpace;
        Assert.That(box.Shape, Is.EqualTo(new[] { 2 }));
        Assert.That(box.Low.ToArray(), Is.EqualTo(new[] { -1f, 0f }));
        Assert.That(box.High.ToArray(), Is.EqualTo(new[] { 2f, 5f }));
        Assert.That(env.ObservationSpace, Is.InstanceOf<Box>());

        // A coordinate every action shares gets zero width, which Box accepts.
        using var flat = new NearestActionProjection(new PointsEnv([0, 3, 1, 3, 4, 3]));
        Assert.That(((Box)flat.ActionSpace).Low.ToArray(), Is.EqualTo(new[] { 0f, 3f }));
        Assert.That(((Box)flat.ActionSpace).High.ToArray(), Is.EqualTo(new[] { 4f, 3f }));
    }

    [Test]
    public void StepExecutesTheNearestActionAndReportsIt()
    {
        var inner = new PointsEnv(Square);
        using var env = new NearestActionProjection(inner);
        env.Reset(seed: 0);
        Assert.That(env.Nearest([1.9f, 1.6f]), Is.EqualTo(3));
        var result = env.Step([1.9f, 1.6f]);
        Assert.That(result.Reward, Is.EqualTo(3));
        Assert.That(result.Info[NearestActionProjection.InfoKey], Is.EqualTo(3));
        Assert.That(inner.Executed, Is.EqualTo(new[] { 3 }));
        // Far outside the bounds still has a nearest action.
        Assert.That(env.Step([-100f, 40f]).Info["action"], Is.EqualTo(4));
        Assert.That(env.Step([0.2f, 0.1f]).Info["action"], Is.EqualTo(0));
    }

    [Test]
    public void TiesGoToTheLowestAvailableId()
    {
        var inner = new PointsEnv(Square);
        using var env = new NearestActionProjection(inner);
        env.Reset(seed: 0);
        Assert.That(env.Nearest([1f, 0f]), Is.EqualTo(0));   // 0 and 1 both at distance 1
        Assert.That(env.Nearest([1f, 1f]), Is.EqualTo(0));   // 0, 1, 2, 3 all at √2
        Assert.That(env.Nearest([2f, 1f]), Is.EqualTo(1));   // 1 and 3
        inner.Actions.Available[0] = false;
        Assert.That(env.Nearest([1f, 1f]), Is.EqualTo(1));
        inner.Actions.Available[1] = false;
        Assert.That(env.Nearest([1f, 1f]), Is.EqualTo(2));
    }

    [Test]
    public void UnavailableActionsAreNeverChosen()
    {
        var inner = new PointsEnv(Square);
        using var env = new NearestActionProjection(inner);
        env.Reset(seed: 0);
        inner.Actions.Available[3] = false;
        Assert.That(env.Nearest([2f, 2f]), Is.EqualTo(1)); // 1 and 2 tie at distance 2
        Assert.That(env.Step([2f, 2f]).Info["action"], Is.EqualTo(1));
        inner.Actions.Available.Fill(false);
        Assert.That(() => env.Nearest([0f, 0f]), Throws.InvalidOperationException.With.Message.Contains("no available action"));
    }

    [Test]
    public void NearestAgreesWithBruteForceOnRandomSets()
    {
        var rng = new RandomGenerator(3);
        for (int trial = 0; trial < 200; trial++)
        {
            int count = 1 + rng.NextInt(40);
            // Small integer coordinates make exact ties common and every squared distance exact.
            var reps = new float[count * 2];
            for (int i = 0; i < reps.Length; i++) reps[i] = rng.NextInt(-3, 4);
            var inner = new PointsEnv(reps);
            using var env = new NearestActionProjection(inner);
            env.Reset();
            for (int a = 0; a < count; a++) inner.Actions.Available[a] = rng.NextInt(3) > 0;
            inner.Actions.Available[rng.NextInt(count)] = true;
            float[] point = [rng.NextInt(-4, 5), rng.NextInt(-4, 5)];
            int expected = Enumerable.Range(0, count).Where(a => inner.Actions.Available[a])
                .OrderBy(a => Math.Pow(point[0] - reps[2 * a], 2) + Math.Pow(point[1] - reps[2 * a + 1], 2)).ThenBy(a => a).First();
            Assert.That(env.Nearest(point), Is.EqualTo(expected), $"trial {trial}");
        }
    }

    [Test]
    public void RepresentationsAreReadLiveButTheBoundsAreFixed()
    {
        var inner = new PointsEnv(Square);
        using var env = new NearestActionProjection(inner);
        env.Reset(seed: 0);
        var low = ((Box)env.ActionSpace).Low.ToArray();
        inner.Actions.Representations[8] = 10f; // id 4 moves to (10, 5)
        inner.Actions.Representations[9] = 5f;
        Assert.That(env.Nearest([9f, 5f]), Is.EqualTo(4));
        Assert.That(env.Nearest([-1f, 5f]), Is.EqualTo(2));
        Assert.That(((Box)env.ActionSpace).Low.ToArray(), Is.EqualTo(low));
    }

    [Test]
    public void TheInnerInfoIsKeptAndTheActionAdded()
    {
        var info = new Dictionary<string, object> { ["inner"] = "kept", ["action"] = "replaced" };
        using var env = new NearestActionProjection(new PointsEnv(Square, info));
        env.Reset(seed: 0);
        var result = env.Step([0f, 2f]);
        Assert.That(result.Info["inner"], Is.EqualTo("kept"));
        Assert.That(result.Info["action"], Is.EqualTo(2));
        Assert.That(info["action"], Is.EqualTo("replaced")); // the inner dictionary is not modified

        // With an empty inner info, steps share one read-only info per action and allocate nothing.
        var plainInner = new PointsEnv(Square);
        using var plain = new NearestActionProjection(plainInner);
        plain.Reset(seed: 0);
        plainInner.Executed.Capacity = 1000; // the test env's own log must not grow inside the measurement
        var first = plain.Step([0f, 2f]).Info;
        Assert.That(plain.Step([0.1f, 2f]).Info, Is.SameAs(first));
        Assert.That(() => ((IDictionary<string, object>)first)["x"] = 1, Throws.InstanceOf<NotSupportedException>());
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) plain.Step([0.1f, 2f]);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void ItRunsInsideAVectorEnvironment()
    {
        var envs = Enumerable.Range(0, 2).Select(_ => (IEnvironment)new NearestActionProjection(new PointsEnv(Square))).ToArray();
        using var vector = new SyncVectorEnvironment(envs);
        Assert.That(vector.SingleActionSpace, Is.InstanceOf<Box>());
        vector.Reset(seed: 1);
        var step = vector.Step([2f, 0.1f, -0.9f, 4f]);
        Assert.That(step.Rewards.ToArray(), Is.EqualTo(new[] { 1f, 4f }));
        Assert.That(step.Infos.Select(i => i["action"]), Is.EqualTo(new object[] { 1, 4 }));
    }

    [Test]
    public void BadInputGetsClearErrors()
    {
        Assert.That(() => new NearestActionProjection(new DiscreteEnv()),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("env").And.Message.Contains("ActionSet"));
        Assert.That(() => new NearestActionProjection(new PointsEnv([0, 0, float.NaN, 1])),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("env").And.Message.Contains("action 1"));

        using var env = new NearestActionProjection(new PointsEnv(Square));
        env.Reset(seed: 0);
        Assert.That(() => env.Step([1f]), Throws.ArgumentException.With.Property("ParamName").EqualTo("action").And.Message.Contains("2 values"));
        Assert.That(() => env.Step([1f, float.NaN]), Throws.ArgumentException.With.Property("ParamName").EqualTo("action").And.Message.Contains("action[1]"));
        Assert.That(() => env.Nearest([float.PositiveInfinity, 0f]), Throws.ArgumentException.With.Property("ParamName").EqualTo("point"));
        Assert.That(() => env.Nearest([1f, 2f, 3f]), Throws.ArgumentException.With.Property("ParamName").EqualTo("point"));
        Assert.That(() => env.Step(1), Throws.InstanceOf<NotSupportedException>().With.Message.Contains("Step(ReadOnlySpan<float>)"));
        Assert.That(() => env.Step(new int[] { 1, 2 }), Throws.InstanceOf<NotSupportedException>());
    }
}

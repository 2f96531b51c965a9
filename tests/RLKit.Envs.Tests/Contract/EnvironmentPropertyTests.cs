using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Envs.Tests.Contract;

/// <summary>
/// Property tests of the environment contract over every registered environment id and every task of every task set
/// in <see cref="StandardEnvironments.CreateCatalog"/>: FsCheck draws a seed and a script of steps (each with its own
/// action seed) and resets, occasionally "run to the end of the episode". Checked on every run:
/// <list type="bullet">
/// <item>legal actions (drawn from the action space; a slate's ids distinct and available) never throw;</item>
/// <item>every observation, after Reset and after every Step (the final one included), is finite and in the observation space;</item>
/// <item>after terminated or truncated, Step throws <see cref="InvalidOperationException"/> until Reset;</item>
/// <item>Gymnasium's flags: under a <see cref="TimeLimit"/> an episode never outlasts the limit and truncated is set
/// exactly at the step that reaches it (together with terminated when both hold); the environment itself never truncates;</item>
/// <item>the same seed and the same script give a bit-identical trajectory (observations, rewards, flags) on a fresh instance.</item>
/// </list>
/// Bounded: a few cases per environment and at most <see cref="MaxOps"/> operations each, so the whole suite stays in seconds.
/// </summary>
public class EnvironmentPropertyTests
{
    private const int MaxOps = 40;
    private const int CasesPerEnvironment = 12;
    private const int CasesPerTask = 3;

    /// <summary>One scripted operation: reset (unseeded), step with an action drawn from <see cref="ActionSeed"/>, or step to the episode's end.</summary>
    public readonly record struct Op(OpKind Kind, ulong ActionSeed)
    {
        public override string ToString() => Kind == OpKind.Step ? $"Step({ActionSeed})" : $"{Kind}({ActionSeed})";
    }

    public enum OpKind { Step, Reset, RunToEnd }

    private static Gen<Op> OpGen() =>
        from kind in Gen.Frequency((30, Gen.Constant(OpKind.Step)), (3, Gen.Constant(OpKind.Reset)), (1, Gen.Constant(OpKind.RunToEnd)))
        from seed in Gen.Choose(0, int.MaxValue)
        select new Op(kind, (ulong)seed);

    private static Arbitrary<(ulong Seed, Op[] Ops)> Scripts() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from length in Gen.Choose(1, MaxOps)
         from ops in Gen.ArrayOf(OpGen(), length)
         select ((ulong)seed, ops)).ToArbitrary();

    private static IEnumerable<TestCaseData> EnvironmentIds() => CatalogCases.Environments("Properties({0})");

    private static IEnumerable<TestCaseData> TaskSetIds() => CatalogCases.TaskSets("Properties(task set {0})");

    [TestCaseSource(nameof(EnvironmentIds))]
    public void RegisteredEnvironmentKeepsTheContractUnderRandomScripts(string id)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        Check(() => catalog.Make(id), CasesPerEnvironment);
    }

    [TestCaseSource(nameof(TaskSetIds))]
    public void EveryTaskKeepsTheContractUnderRandomScripts(string id)
    {
        var tasks = StandardEnvironments.CreateCatalog().MakeTaskSet(id);
        for (int task = 0; task < tasks.TaskCount; task++)
        {
            int t = task;
            Check(() => tasks.CreateEnvironment(t), CasesPerTask);
        }
    }

    [Test]
    public void ThePropertiesCatchBrokenEnvironments()
    {
        // More cases than for the registered ones: a broken rule must be hit by some script.
        Assert.Catch(() => Check(() => new RawEnv { StepsAfterDone = true }, 50), "steps after the end accepted");
        Assert.Catch(() => Check(() => new RawEnv { NonDeterministic = true }, 50), "non-deterministic");
        Assert.Catch(() => Check(() => new RawEnv { ObservationOutOfSpace = true }, 50), "observation out of space");
        Assert.DoesNotThrow(() => Check(() => new TimeLimit(new RawEnv(), 3), 50));
    }

    private static void Check(Func<IEnvironment> make, int cases)
    {
        Prop.ForAll(Scripts(), script =>
        {
            var first = Play(make, script.Seed, script.Ops);
            var second = Play(make, script.Seed, script.Ops);
            Assert.That(second, Is.EqualTo(first), "the same seed and script gave a different trajectory");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(cases));
    }

    /// <summary>Runs the script and returns the trajectory as text (observation bits, rewards, flags), asserting the contract as it goes.</summary>
    private static List<string> Play(Func<IEnvironment> make, ulong seed, Op[] ops)
    {
        using var env = make();
        string id = env.Id;
        var observationSpace = (Box)env.ObservationSpace;
        int? limit = TimeLimitOf(env);
        var trace = new List<string>();
        var box = env.ActionSpace is Box b ? new float[b.FlatSize] : [];
        var multi = env.ActionSpace is MultiDiscrete or ActionList ? new int[env.ActionSpace.FlatSize] : [];

        void Observe(ReadOnlySpan<float> observation, string where)
        {
            Assert.That(observation.Length, Is.EqualTo(observationSpace.FlatSize), $"{id} {where}: observation size");
            for (int i = 0; i < observation.Length; i++)
                Assert.That(float.IsFinite(observation[i]), $"{id} {where}: observation[{i}] = {observation[i]}");
            Assert.That(observationSpace.Contains(observation), $"{id} {where}: observation outside {observationSpace.Description}");
            trace.Add(string.Join(",", observation.ToArray().Select(BitConverter.SingleToInt32Bits)));
        }

        Observe(env.Reset(seed).Observation, "Reset(seed)");
        int elapsed = 0;
        bool done = false;
        foreach (var op in ops)
        {
            if (op.Kind == OpKind.Reset)
            {
                Observe(env.Reset().Observation, "Reset()");
                elapsed = 0;
                done = false;
                continue;
            }
            var rng = new RandomGenerator(op.ActionSeed);
            if (done)
            {
                // The episode is over: stepping must throw until Reset.
                Assert.Throws<InvalidOperationException>(() => TakeLegalStep(env, rng, box, multi), $"{id}: Step after the episode ended must throw");
                Observe(env.Reset().Observation, "Reset() after the end");
                elapsed = 0;
                done = false;
            }
            int steps = op.Kind == OpKind.RunToEnd ? (limit ?? 1_000) : 1;
            for (int s = 0; s < steps && !done; s++)
            {
                var (observation, reward, terminated, truncated, _) = TakeLegalStep(env, rng, box, multi);
                elapsed++;
                string where = $"step {elapsed}";
                Observe(observation, where);
                Assert.That(double.IsFinite(reward), $"{id} {where}: reward {reward}");
                if (limit is int max)
                {
                    Assert.That(elapsed, Is.LessThanOrEqualTo(max), $"{id}: the episode outlasted its {max}-step limit");
                    Assert.That(truncated, Is.EqualTo(elapsed == max), $"{id} {where}: truncated must be set exactly at the {max}-step limit");
                }
                else
                {
                    Assert.That(truncated, Is.False, $"{id} {where}: truncated without a time limit");
                }
                trace.Add($"{BitConverter.DoubleToInt64Bits(reward)} {terminated} {truncated}");
                done = terminated || truncated;
            }
        }
        return trace;
    }

    private static StepResult TakeLegalStep(IEnvironment env, RandomGenerator rng, float[] box, int[] multi)
    {
        switch (env.ActionSpace)
        {
            case Discrete d:
                return env.Step(d.Sample(rng));
            case ActionSet set:
                return env.Step(set.Sample(rng));
            case Box b:
                b.Sample(rng, box);
                return env.Step(box);
            case MultiDiscrete md:
                SampleDistinct(md, rng, multi);
                return env.Step((ReadOnlySpan<int>)multi);
            case ActionList list:
                list.Sample(rng, multi);
                return env.Step((ReadOnlySpan<int>)multi);
            default:
                throw new UnreachableException($"{env.Id}: unexpected action space {env.ActionSpace.Description}");
        }
    }

    /// <summary>A MultiDiscrete sample whose slots are distinct when all slots share one range (a slate), so it is legal for slates too.</summary>
    private static void SampleDistinct(MultiDiscrete space, RandomGenerator rng, int[] destination)
    {
        var nvec = space.Nvec;
        int n = nvec[0];
        bool slate = nvec.Length <= n && nvec.IndexOfAnyExcept(n) < 0;
        if (!slate)
        {
            space.Sample(rng, destination);
            return;
        }
        for (int i = 0; i < destination.Length; i++)
        {
            int candidate;
            do candidate = rng.NextInt(n);
            while (destination.AsSpan(0, i).Contains(candidate));
            destination[i] = candidate;
        }
    }

    private static int? TimeLimitOf(IEnvironment env)
    {
        for (var e = env; e is Wrapper w; e = w.Inner)
            if (w is TimeLimit t) return t.MaxEpisodeSteps;
        return null;
    }
}

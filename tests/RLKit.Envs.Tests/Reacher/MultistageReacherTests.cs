using System.Xml.Linq;
using RLKit.Environments;
using RLKit.Envs.Reacher;
using RLKit.Tensors;

namespace RLKit.Envs.Tests.Reacher;

public class MultistageReacherTests
{
    private static readonly Dictionary<char, (double X, double Y)> Subgoals = new()
    {
        ['A'] = (0.2, 0.3), ['B'] = (0.3, 0.0), ['C'] = (0.4, -0.3), ['D'] = (0.4, 0.3),
    };

    private static EnvironmentCatalog Catalog()
    {
        var catalog = new EnvironmentCatalog();
        ReacherEnvironments.Register(catalog);
        return catalog;
    }

    private static MultistageReacher ResetReacher(int task, ulong seed = 1)
    {
        var env = new MultistageReacher(new MultistageReacherOptions { Task = task });
        env.Reset(seed);
        return env;
    }

    // Inverse kinematics with the wrist straight: links 2 and 3 act as one link of length 0.35.
    private static (double, double, double) Reach((double X, double Y) target)
    {
        const double l1 = 0.25, l2 = 0.35;
        double r2 = target.X * target.X + target.Y * target.Y;
        double q1 = Math.Acos((r2 - l1 * l1 - l2 * l2) / (2 * l1 * l2));
        double q0 = Math.Atan2(target.Y, target.X) - Math.Atan2(l2 * Math.Sin(q1), l1 + l2 * Math.Cos(q1));
        return (q0, q1, 0);
    }

    private static void MoveTo(MultistageReacher env, char subgoal)
    {
        var (q0, q1, q2) = Reach(Subgoals[subgoal]);
        env.SetJointAngles(q0, q1, q2);
    }

    private static int StageOf(ReadOnlySpan<float> observation)
    {
        int hot = -1;
        for (int s = 0; s < 4; s++)
        {
            Assert.That(observation[8 + s], Is.EqualTo(0f).Or.EqualTo(1f));
            if (observation[8 + s] == 1f)
            {
                Assert.That(hot, Is.EqualTo(-1), "exactly one stage entry is hot");
                hot = s;
            }
        }
        return hot;
    }

    [Test]
    public void SubgoalsAndTasksAreTheReferenceOnes()
    {
        Assert.That(MultistageReacherTask.SubgoalPositions, Is.EquivalentTo(Subgoals));
        Assert.That(MultistageReacherTask.Tasks.Select(t => t.Subgoals), Is.EqualTo(new[] { "ABC", "ABD", "BDC", "BCA", "" }));
        Assert.That(MultistageReacherTask.Tasks[3].Reward, Is.EqualTo(ReacherReward.Sparse));
        Assert.That(MultistageReacherTask.Tasks[4].Reward, Is.EqualTo(ReacherReward.StayStill));
    }

    [Test]
    public void ObservationHoldsAnglesVelocitiesFingertipAndStageButNoGoal()
    {
        var env = ResetReacher(0);
        var result = env.Step([0.5f, -0.25f, 1f]);
        var obs = result.Observation;
        Assert.That(obs.Length, Is.EqualTo(12));
        var (q0, q1, q2) = env.JointAngles;
        Assert.That(new double[] { obs[0], obs[1], obs[2] }, Is.EqualTo(new[] { q0, q1, q2 }).Within(1e-6));
        Assert.That(new double[] { obs[3], obs[4], obs[5] }, Is.EqualTo(new[] { 1.0, -0.5, 2.0 }).Within(1e-5));
        var tip = PlanarArm.Fingertip(q0, q1, q2);
        Assert.That(new double[] { obs[6], obs[7] }, Is.EqualTo(new[] { tip.X, tip.Y }).Within(1e-6));
        Assert.That(StageOf(obs), Is.EqualTo(0));
    }

    [Test]
    public void StartsNearTheNominalPoseFarFromEverySubgoal()
    {
        var env = ResetReacher(2, seed: 5);
        var (q0, q1, q2) = env.JointAngles;
        Assert.That(Math.Abs(q0 - Math.PI / 2), Is.LessThanOrEqualTo(0.01));
        Assert.That(Math.Abs(q1 - Math.PI / 2), Is.LessThanOrEqualTo(0.01));
        Assert.That(Math.Abs(q2), Is.LessThanOrEqualTo(0.01));
        foreach (var goal in Subgoals.Values)
            Assert.That(Math.Sqrt(Math.Pow(env.Fingertip.X - goal.X, 2) + Math.Pow(env.Fingertip.Y - goal.Y, 2)), Is.GreaterThan(0.5));
    }

    [Test]
    public void ReachingEachSubgoalInOrderAdvancesTheStageAndTheLastTerminates()
    {
        var env = ResetReacher(0);
        Assert.That(env.Stage, Is.Zero);

        MoveTo(env, 'B');
        var wrongOrder = env.Step([0f, 0f, 0f]);
        Assert.That(StageOf(wrongOrder.Observation), Is.EqualTo(0), "B is not T0's first subgoal");

        int expectedStage = 0;
        foreach (char subgoal in "ABC")
        {
            MoveTo(env, subgoal);
            var result = env.Step([0f, 0f, 0f]);
            expectedStage++;
            Assert.That(StageOf(result.Observation), Is.EqualTo(expectedStage));
            Assert.That(result.Info["stage"], Is.EqualTo(expectedStage));
            Assert.That(result.Reward, Is.EqualTo(1.0).Within(1e-9), "bonus 1 at distance 0, no control");
            Assert.That(result.Terminated, Is.EqualTo(expectedStage == 3));
            Assert.That(result.Info["success"], Is.EqualTo(expectedStage == 3));
        }
    }

    [Test]
    public void SubgoalNeedsTheFingertipWithinTheRadius()
    {
        var env = ResetReacher(2);
        var (q0, q1, q2) = Reach((0.3 - 0.06, 0.0));
        env.SetJointAngles(q0, q1, q2);
        var outside = env.Step([0f, 0f, 0f]);
        Assert.That(env.Stage, Is.Zero);
        Assert.That(outside.Reward, Is.EqualTo(-0.06).Within(1e-9));

        (q0, q1, q2) = Reach((0.3 - 0.04, 0.0));
        env.SetJointAngles(q0, q1, q2);
        var inside = env.Step([0f, 0f, 0f]);
        Assert.That(env.Stage, Is.EqualTo(1));
        Assert.That(inside.Reward, Is.EqualTo(-0.04 + 1).Within(1e-9));
    }

    [Test]
    public void DenseRewardIsMinusDistanceMinusControlCostPlusShift()
    {
        foreach (var (task, shift) in new[] { (0, 0.0), (1, -2.0), (2, 0.0) })
        {
            var env = ResetReacher(task, seed: 3);
            var rng = new RandomGenerator(7);
            char first = MultistageReacherTask.Tasks[task].Subgoals[0];
            for (int i = 0; i < 20; i++)
            {
                float[] action = [rng.Uniform(-1, 1), rng.Uniform(-1, 1), rng.Uniform(-1, 1)];
                var result = env.Step(action);
                var tip = env.Fingertip;
                double distance = Math.Sqrt(Math.Pow(tip.X - Subgoals[first].X, 2) + Math.Pow(tip.Y - Subgoals[first].Y, 2));
                double control = 0.1 * action.Sum(a => (double)a * a);
                Assert.That(result.Reward, Is.EqualTo(-distance - control + shift).Within(1e-9), $"task {task} step {i}");
            }
        }
    }

    [Test]
    public void Task3IsSparse()
    {
        var env = ResetReacher(3);
        var rng = new RandomGenerator(2);
        for (int i = 0; i < 30; i++)
        {
            var result = env.Step([rng.Uniform(-1, 1), rng.Uniform(-1, 1), rng.Uniform(-1, 1)]);
            Assert.That(result.Reward, Is.EqualTo(0.0), "no dense signal and no control cost");
        }
        MoveTo(env, 'A');
        Assert.That(env.Step([1f, 1f, 1f]).Reward, Is.EqualTo(0.0), "A is T3's last subgoal, not its first");
        MoveTo(env, 'B');
        var reached = env.Step([0f, 0f, 0f]);
        Assert.That(reached.Reward, Is.EqualTo(1.0));
        Assert.That(env.Stage, Is.EqualTo(1));
        Assert.That(env.Step([0.3f, 0f, 0f]).Reward, Is.EqualTo(0.0));
    }

    [Test]
    public void Task4RewardsStayingStillAndNeverAdvances()
    {
        var env = ResetReacher(4);
        for (int i = 0; i < 10; i++)
        {
            var still = env.Step([0f, 0f, 0f]);
            Assert.That(still.Reward, Is.EqualTo(0.0));
            Assert.That(still.Terminated, Is.False);
            Assert.That(still.Info["success"], Is.EqualTo(true));
        }
        double slow = env.Step([0.1f, 0f, 0f]).Reward;
        double fast = env.Step([1f, 0f, 0f]).Reward;
        Assert.That(slow, Is.LessThan(0));
        Assert.That(fast, Is.LessThan(slow));

        MoveTo(env, 'A');
        var atA = env.Step([0f, 0f, 0f]);
        Assert.That(StageOf(atA.Observation), Is.EqualTo(0));
        Assert.That(atA.Info["success"], Is.EqualTo(false));
        Assert.That(atA.Terminated, Is.False);
    }

    [Test]
    public void JointLimitsStopTheArmAndZeroTheVelocity()
    {
        var env = ResetReacher(0);
        for (int i = 0; i < 60; i++) env.Step([0f, 1f, 0f]);
        var result = env.Step([0f, 1f, 0f]);
        Assert.That(env.JointAngles.Q1, Is.EqualTo(2.8));
        Assert.That(result.Observation[4], Is.EqualTo(0f));
    }

    [Test]
    public void CatalogTruncatesAt200Steps()
    {
        using var env = Catalog().Make("MultistageReacher-Task0");
        env.Reset(1);
        for (int step = 1; step <= 200; step++)
        {
            var result = env.Step([0f, 0f, 0f]);
            Assert.That(result.Terminated, Is.False);
            Assert.That(result.Truncated, Is.EqualTo(step == 200), $"step {step}");
        }
    }

    [Test]
    public void TaskSetHasFiveTasksWithSharedSpaces()
    {
        var set = Catalog().MakeTaskSet("multistage-reacher");
        Assert.That(set.TaskIds, Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"MultistageReacher-Task{i}")));
        Assert.That(set.ObservationSpace.Shape, Is.EqualTo(new[] { 12 }));
        Assert.That(set.ActionSpace.Shape, Is.EqualTo(new[] { 3 }));
        using var env = set.CreateEnvironment(3);
        Assert.That(env.Id, Is.EqualTo("MultistageReacher-Task3"));
    }

    [Test]
    public void SameSeedSameTrajectory()
    {
        float[] Run(ulong seed)
        {
            var env = new MultistageReacher(new MultistageReacherOptions { Task = 1 });
            var trace = new List<float>(env.Reset(seed).Observation.ToArray());
            for (int i = 0; i < 20; i++) trace.AddRange(env.Step([0.2f, -0.1f, 0.4f]).Observation.ToArray());
            return [.. trace];
        }
        float[] first = Run(4), again = Run(4), other = Run(5);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void EveryRegisteredTaskPassesCheckEnv()
    {
        var catalog = Catalog();
        for (int task = 0; task < 5; task++)
        {
            using var env = catalog.Make($"MultistageReacher-Task{task}");
            Assert.DoesNotThrow(() => CheckEnv.Check(env, seed: (ulong)task), env.Id);
        }
    }

    [Test]
    public void InvalidOptionsNameTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MultistageReacher(new MultistageReacherOptions { Task = 5 }));
        Assert.That(ex!.ParamName, Is.EqualTo("Task"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MultistageReacher(new MultistageReacherOptions { SubgoalRadius = -1 }));
        Assert.That(ex!.ParamName, Is.EqualTo("SubgoalRadius"));
    }

    [Test]
    public void SvgIsWellFormedWithSubgoalsPathAndArm()
    {
        var env = ResetReacher(0);
        var poses = new List<(double, double, double)> { env.JointAngles };
        for (int i = 0; i < 15; i++)
        {
            env.Step([-1f, -0.5f, 0f]);
            poses.Add(env.JointAngles);
        }
        var doc = XDocument.Parse(env.RenderSvg(poses));
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.That(doc.Root!.Name, Is.EqualTo(svg + "svg"));
        Assert.That(doc.Descendants(svg + "circle").Count(c => (string?)c.Attribute("class") == "subgoal"), Is.EqualTo(4));
        Assert.That(doc.Descendants(svg + "text").Select(t => t.Value), Is.EquivalentTo(new[] { "A1", "B2", "C3", "D" }));
        var classes = doc.Descendants(svg + "polyline").Select(p => (string?)p.Attribute("class")).ToList();
        Assert.That(classes, Is.EquivalentTo(new[] { "fingertip-path", "arm-start", "arm-end" }));
    }
}

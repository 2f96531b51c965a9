using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Data;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Dnc;

/// <summary>DnC's distillation into the central policy, the reset of the task policies to it, and when it happens.</summary>
public class DncDistillationTests
{
    private const int Stored = 256;

    private static MultiTaskSacModel Model(ulong seed = 2) =>
        new(3, new Box(-2f, 2f, [2]), 2, new DncOptions { HiddenSizes = [16], BatchSize = 64, PolicyLearningRate = 3e-3f }, new RandomGenerator(seed));

    /// <summary>
    /// Two tasks' buffers whose actions (in the box [−2, 2]², i.e. 2·tanh(u)) depend on the state and the task:
    /// u = 0.8·s₀ ± 0.5 + 0.1·noise, + for task 0 and − for task 1 in the first dimension, and 0.5·s₁ in the second. Also
    /// returns every stored observation [2·256, 3] and its action in [−1, 1] (u squashed) for measuring the likelihood.
    /// </summary>
    private static (MultiTaskReplayBuffer Buffers, Tensor Observations, Tensor Squashed) Data()
    {
        var rng = new RandomGenerator(17);
        var buffers = new MultiTaskReplayBuffer(2, 3, ActionLayout.Continuous(2), new ReplayBufferOptions { Capacity = Stored });
        var observations = new float[2 * Stored * 3];
        var squashed = new float[2 * Stored * 2];
        for (int task = 0; task < 2; task++)
            for (int row = 0; row < Stored; row++)
            {
                int r = task * Stored + row;
                var s = observations.AsSpan(r * 3, 3);
                for (int k = 0; k < 3; k++) s[k] = (float)(rng.NextDouble() * 2 - 1);
                squashed[r * 2] = MathF.Tanh(0.8f * s[0] + (task == 0 ? 0.5f : -0.5f) + 0.1f * (float)(rng.NextDouble() * 2 - 1));
                squashed[r * 2 + 1] = MathF.Tanh(0.5f * s[1]);
                float[] action = [2f * squashed[r * 2], 2f * squashed[r * 2 + 1]];
                buffers[task].Add(s, action, 0f, s, terminated: false, truncated: false);
            }
        return (buffers, Tensor.FromArray(observations, 2 * Stored, 3), Tensor.FromArray(squashed, 2 * Stored, 2));
    }

    [Test]
    public void DistillationRaisesTheCentralPolicysLikelihoodOfEveryTasksStoredActions()
    {
        var model = Model();
        var distillation = new DncDistillation(model);
        var (buffers, observations, squashed) = Data();
        double before = distillation.NegativeLogLikelihood(observations, squashed).Item();
        var loss = distillation.Train(buffers, steps: 300, new RandomGenerator(4), () => false);
        double after = distillation.NegativeLogLikelihood(observations, squashed).Item();
        TestContext.Out.WriteLine($"−log-likelihood of the stored actions: {before:0.000} before, {after:0.000} after 300 steps (mean loss over the steps {loss:0.000})");
        Assert.Multiple(() =>
        {
            Assert.That(distillation.PerTask, Is.EqualTo(32), "⌊B/T⌋ transitions per task and step, as the reference");
            Assert.That(after, Is.LessThan(before - 1.0));
            Assert.That(loss, Is.LessThan(before).And.GreaterThan(after));
        });
    }

    [Test]
    public void DistillationStopsBeforeTheNextStepWhenCancelled()
    {
        var model = Model();
        var centralBefore = model.Central!.Parameters().Select(p => p.ToArray()).ToArray();
        int checks = 0;
        var loss = new DncDistillation(model).Train(Data().Buffers, steps: 10, new RandomGenerator(4), () => ++checks > 3);
        Assert.Multiple(() =>
        {
            Assert.That(loss, Is.Null);
            Assert.That(checks, Is.EqualTo(4));
            Assert.That(model.Central!.Parameters().Select(p => p.ToArray()), Is.Not.EqualTo(centralBefore), "three steps were taken");
        });
    }

    [Test]
    public void ResetCopiesTheCentralPolicyIntoEveryTaskPolicyAndLeavesTheCriticsAlone()
    {
        var model = Model();
        var distillation = new DncDistillation(model);
        distillation.Train(Data().Buffers, steps: 5, new RandomGenerator(4), () => false);
        var critics = model.Q1.Parameters().Concat(model.Q2.Parameters()).Select(p => p.ToArray()).ToArray();
        var central = model.Central!.Parameters().Select(p => p.ToArray()).ToArray();
        var observations = GradCheck.Input(new RandomGenerator(6), [5, 3]);
        var taskOutputs = model.Actor.Forward(observations).ToArray();
        var centralOutput = model.Central.Forward(observations).ToArray();
        Assert.That(taskOutputs.Take(20), Is.Not.EqualTo(centralOutput));

        distillation.ResetTaskPolicies();
        taskOutputs = model.Actor.Forward(observations).ToArray();
        Assert.Multiple(() =>
        {
            for (int task = 0; task < 2; task++)
                Assert.That(taskOutputs.Skip(task * 20).Take(20), Is.EqualTo(centralOutput), $"task {task}");
            Assert.That(model.Q1.Parameters().Concat(model.Q2.Parameters()).Select(p => p.ToArray()), Is.EqualTo(critics));
            Assert.That(model.Central.Parameters().Select(p => p.ToArray()), Is.EqualTo(central));
        });
    }

    [Test]
    public void CopyMemberCopiesOneTaskPolicyIntoTheCentralPolicy()
    {
        var model = Model();
        DncDistillation.CopyMember(model.Actor, 1, model.Central!, 0);
        var observations = GradCheck.Input(new RandomGenerator(6), [5, 3]);
        Assert.That(model.Central!.Forward(observations).ToArray(), Is.EqualTo(model.Actor.Forward(observations).ToArray().Skip(20)));
    }

    [Test]
    public void CopyMemberRefusesNetworksThatDoNotCorrespond()
    {
        var model = Model();
        var other = new MultiTaskSacModel(4, new Box(-2f, 2f, [2]), 2, new DncOptions { HiddenSizes = [16] }, new RandomGenerator(1));
        Assert.Throws<ArgumentException>(() => DncDistillation.CopyMember(other.Actor, 0, model.Central!, 0));
    }

    [Test]
    public void TenDistillationsAreEvenlySpacedOverTheBudgetWithTrainingAfterTheLast()
    {
        var schedule = new DistillationSchedule(10, startProgress: 0);
        var due = Enumerable.Range(1, 100).Where(step => schedule.Due(step / 100.0)).ToArray();
        Assert.That(due, Is.EqualTo(new[] { 10, 19, 28, 37, 46, 55, 64, 73, 82, 91 }), "the first update at or past k/11 of the budget");
    }

    [Test]
    public void AnUpdatePassingSeveralPointsDistilsOnceAndAResumedRunSkipsPassedPoints()
    {
        var schedule = new DistillationSchedule(3, startProgress: 0);
        Assert.Multiple(() =>
        {
            Assert.That(schedule.Due(0.2), Is.False);
            Assert.That(schedule.Due(0.6), Is.True, "past 1/4 and 2/4");
            Assert.That(schedule.Due(0.7), Is.False);
            Assert.That(schedule.Due(0.75), Is.True);
            Assert.That(schedule.Due(1.0), Is.False, "no distillation at the end of training");
        });
        var resumed = new DistillationSchedule(3, startProgress: 0.5);
        Assert.That(resumed.Due(0.6), Is.False);
        Assert.That(resumed.Due(0.8), Is.True);
    }
}

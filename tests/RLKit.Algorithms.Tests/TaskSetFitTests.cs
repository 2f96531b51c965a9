using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Envs;
using RLKit.Envs.Classic;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests;

/// <summary>Fitting a task set trains one shared policy on a vector environment holding every task.</summary>
public class TaskSetFitTests
{
    [Test]
    public void SharedPolicyLearnsEveryTaskOfATaskSet()
    {
        // Two CartPole tasks that differ in their physics: a heavier pole in the second.
        var tasks = new TaskSet("two-cartpoles", ["CartPole-light", "CartPole-heavy"], task =>
            new RLKit.Environments.Wrappers.TimeLimit(
                new CartPole(new CartPoleOptions { PoleMass = task == 0 ? 0.1 : 0.3 }), 500));
        var estimator = new PpoEstimator(PpoOptions.CartPole with { Seed = 3 });

        var agent = estimator.Fit(tasks, Budget.Steps(60_000), environmentsPerTask: 4);

        for (int task = 0; task < tasks.TaskCount; task++)
        {
            double mean = GreedyMeanReturn(agent, tasks.CreateEnvironment(task), episodes: 5);
            TestContext.Out.WriteLine($"task {tasks.TaskIds[task]}: greedy mean {mean:F1}");
            Assert.That(mean, Is.GreaterThanOrEqualTo(195), tasks.TaskIds[task]);
        }
    }

    [Test]
    public void ATaskSetRefusesTasksWhoseSpacesDifferFromTaskZero()
    {
        var e = Assert.Throws<ArgumentException>(() => new TaskSet("mixed", ["grid", "cartpole"], task =>
            task == 0 ? new RLKit.Envs.Grid.DistralGrid(4) : new CartPole()));
        Assert.That(e!.Message, Does.Contain("task 1 (cartpole) has observation space").And.Contain("but task 0 has"));
    }

    [Test]
    public void EnvironmentsPerTaskMustBePositive()
    {
        var tasks = new TaskSet("one", ["CartPole-v1"], _ => StandardEnvironments.CreateCatalog().Make("CartPole-v1"));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator().Fit(tasks, Budget.Steps(10), environmentsPerTask: 0));
        Assert.That(ex!.ParamName, Is.EqualTo("environmentsPerTask"));
    }

    private static double GreedyMeanReturn(IAgent agent, IEnvironment env, int episodes)
    {
        using (env)
        {
            var observation = Tensor.Zeros(1, env.ObservationSpace.FlatSize);
            var action = new int[1];
            double total = 0;
            for (int episode = 0; episode < episodes; episode++)
            {
                var reset = env.Reset(seed: (ulong)(100 + episode));
                reset.Observation.CopyTo(observation.AsSpan());
                while (true)
                {
                    agent.Act(observation, action, deterministic: true);
                    var step = env.Step(action[0]);
                    total += step.Reward;
                    if (step.Done) break;
                    step.Observation.CopyTo(observation.AsSpan());
                }
            }
            return total / episodes;
        }
    }
}

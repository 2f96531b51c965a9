using System.Diagnostics;
using RLKit.Algorithms.Distral;
using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Distral;

/// <summary>Seeded learning tests: Distral's task policies reach the goals of the two-room grids.</summary>
public class DistralLearningTests
{
    /// <summary>Grids 4 and 5 as a two-task set, with the thesis's step limit cut to 100.</summary>
    internal static TaskSet Grids(params int[] layouts) =>
        new($"distral-grids-{string.Join("-", layouts)}", layouts.Select(n => $"DistralGrid{n}-v0").ToArray(),
            task => new TimeLimit(new DistralGrid(layouts[task]), 100));

    /// <summary>
    /// 2-col soft Q-learning (the thesis's defaults) on grids 4 and 5, and 2-col actor-critic on grids 5 and 6: every
    /// task's greedy policy reaches its goal, by a short path, within a small budget.
    /// </summary>
    [TestCase(DistralFramework.SoftQLearning, new[] { 4, 5 }, 16_000, 2UL, 30)]
    [TestCase(DistralFramework.ActorCritic, new[] { 5, 6 }, 30_000, 1UL, 15)]
    public void TwoColumnPoliciesReachTheirGoals(DistralFramework framework, int[] layouts, int steps, ulong seed, int maxLength)
    {
        var tasks = Grids(layouts);
        var options = (framework == DistralFramework.SoftQLearning ? DistralOptions.ThesisSql : DistralOptions.ThesisActorCritic) with { Seed = seed };
        var clock = Stopwatch.StartNew();
        var agent = new DistralEstimator(options).Fit(tasks, Budget.Steps(steps));
        double seconds = clock.Elapsed.TotalSeconds;
        for (int task = 0; task < tasks.TaskCount; task++)
        {
            int length = GreedyEpisodeLength(agent, task, tasks.CreateEnvironment(task), out bool reached);
            TestContext.Out.WriteLine($"{framework} {tasks.TaskIds[task]}: greedy episode {length} steps, goal reached {reached} ({seconds:0.0} s of training)");
            Assert.That(reached, Is.True, $"{tasks.TaskIds[task]} never reached its goal");
            Assert.That(length, Is.LessThanOrEqualTo(maxLength), tasks.TaskIds[task]);
        }
    }

    /// <summary>Runs task <paramref name="task"/>'s greedy policy for one episode; returns its length.</summary>
    internal static int GreedyEpisodeLength(DistralAgent agent, int task, IEnvironment env, out bool reachedGoal)
    {
        using (env)
        {
            var observation = env.Reset(seed: 0).Observation.ToArray();
            var action = new int[1];
            for (int t = 1; ; t++)
            {
                agent.Act(task, Tensor.FromSpan(observation, 1, observation.Length), action, deterministic: true);
                var step = env.Step(action[0]);
                step.Observation.CopyTo(observation);
                if (step.Terminated || step.Truncated)
                {
                    reachedGoal = step.Terminated;
                    return t;
                }
            }
        }
    }
}

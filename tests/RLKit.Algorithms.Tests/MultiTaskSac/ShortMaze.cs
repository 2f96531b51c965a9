using System.Diagnostics;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Envs.Navigation;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.MultiTaskSac;

/// <summary>
/// What the multi-task SAC and QMP learning tests share: two tasks of QMP's large maze made short, small networks, and
/// the deterministic success rate of each task policy.
/// </summary>
internal static class ShortMaze
{
    /// <summary>
    /// Tasks 1 and 6 of the large maze with a 5-cell success radius and a 100-step limit: task 1 runs left along the top
    /// corridor (about a cell and a half), task 6 down its column (about two cells). A random policy reaches the goal in
    /// 7% and 21% of episodes, so SAC finds it within a few thousand steps; the full tasks (radius 0.5, 600 steps) take
    /// hundreds of thousands.
    /// </summary>
    public static TaskSet Tasks() =>
        new("point-maze-short", [PointMaze.TaskId(1), PointMaze.TaskId(6)],
            task => new TimeLimit(new PointMaze(new PointMazeOptions { Task = task == 0 ? 1 : 6, SuccessRadius = 5 }), 100));

    /// <summary>
    /// <paramref name="options"/> scaled down to the short tasks: [64, 64] networks, batch 128, 400 transitions before
    /// learning, 200 environment and 200 gradient steps per update, Adam 1e-3, and α starting at e⁻² rather than 1 (the
    /// paper's α = 1 learns the same, a few thousand steps later).
    /// </summary>
    public static TOptions Small<TOptions>(TOptions options) where TOptions : MultiTaskSacOptions =>
        (TOptions)(options with
        {
            HiddenSizes = [64, 64], BatchSize = 128, MinBufferSize = 400, EnvStepsPerUpdate = 200, GradientStepsPerUpdate = 200,
            PolicyLearningRate = 1e-3f, QLearningRate = 1e-3f, AlphaLearningRate = 1e-3f, BufferCapacity = 20_000, InitialLogAlpha = -2f,
        });

    /// <summary>An untrained agent with <paramref name="options"/>' networks for <paramref name="tasks"/>.</summary>
    public static MultiTaskSacAgent Untrained(ITaskSet tasks, MultiTaskSacOptions options, string algorithm = MultiTaskSacEstimator.Name) =>
        MultiTaskSacAgent.Create(algorithm, tasks.ObservationSpace, (Box)tasks.ActionSpace, tasks.TaskIds, options, new RandomGenerator(options.Seed));

    /// <summary>
    /// Fits <paramref name="estimator"/> (built with <paramref name="options"/>) on <see cref="Tasks"/> for
    /// <paramref name="steps"/> steps and checks that it learned: the untrained policies of the same seed reach neither
    /// goal in more than half of their episodes (so the test can fail), and every trained task policy reaches its goal in
    /// at least 9 of 10 deterministic episodes.
    /// </summary>
    public static MultiTaskSacAgent AssertLearns(AgentEstimator<MultiTaskSacAgent> estimator, MultiTaskSacOptions options, int steps,
                                                 IProgress<TrainingUpdate>? progress = null)
    {
        var tasks = Tasks();
        var untrained = SuccessRates(Untrained(tasks, options, estimator.Algorithm), tasks);
        var clock = Stopwatch.StartNew();
        var agent = estimator.Fit(tasks, Budget.Steps(steps), progress);
        double seconds = clock.Elapsed.TotalSeconds;
        var trained = SuccessRates(agent, tasks);
        TestContext.Out.WriteLine($"{estimator.Algorithm}: success untrained [{string.Join(", ", untrained)}], after {steps} steps [{string.Join(", ", trained)}] ({seconds:0.0} s)");
        Assert.That(untrained, Has.All.LessThanOrEqualTo(0.5), "the untrained policies already reach the goals; the test would show nothing");
        Assert.That(trained, Has.All.GreaterThanOrEqualTo(0.9));
        return agent;
    }

    /// <summary>The fraction of <paramref name="episodes"/> deterministic episodes of each task that reach its goal.</summary>
    public static double[] SuccessRates(IMultiTaskAgent agent, ITaskSet tasks, int episodes = 10)
    {
        var rates = new double[tasks.TaskCount];
        for (int task = 0; task < tasks.TaskCount; task++)
        {
            using var env = tasks.CreateEnvironment(task);
            var observation = Tensor.Zeros(1, env.ObservationSpace.FlatSize);
            var action = new float[env.ActionSpace.FlatSize];
            int successes = 0;
            for (int episode = 0; episode < episodes; episode++)
            {
                env.Reset(seed: 1_000UL + (ulong)episode).Observation.CopyTo(observation.AsSpan());
                while (true)
                {
                    agent.Act(task, observation, action, deterministic: true);
                    var step = env.Step(action);
                    if (step.Terminated) successes++;
                    if (step.Done) break;
                    step.Observation.CopyTo(observation.AsSpan());
                }
            }
            rates[task] = successes / (double)episodes;
        }
        return rates;
    }
}

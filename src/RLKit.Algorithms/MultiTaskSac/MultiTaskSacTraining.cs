using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// The multi-task off-policy loop every method of the QMP paper shares (reference: <c>learning/algorithms/dnc_sac.py</c>
/// and <c>mop_dnc.py</c>). Each update ("iteration") has two halves:
/// <list type="number">
/// <item>Collect: every task steps <see cref="MultiTaskSacOptions.EnvStepsPerUpdate"/> times (the first update: until every
/// buffer holds <see cref="MultiTaskSacOptions.MinBufferSize"/>), acting with the behaviour policy — π_t for task t by
/// default, QMP's mixture for QMP — from the very first step: the reference collects its first buffers with the
/// untrained policies, not with uniform random actions. Each transition goes to its own task's buffer.</item>
/// <item>Learn: <see cref="MultiTaskSacLearner.GradientStepsPerUpdate"/> batched gradient steps, then the hooks'
/// after-iteration work, then one report ("critic", "actor", "alpha", "entropy", "alpha_value", and what the behaviour
/// policy and hooks add).</item>
/// </list>
/// Episodes run on across updates (an update boundary does not reset the environments). An update whose collection the
/// budget cuts short takes no gradient steps; cancellation stops before the next gradient step and skips the report.
/// </summary>
internal static class MultiTaskSacTraining
{
    public static MultiTaskSacAgent Fit(IVectorEnvironment environment, TaskAssignment tasks, TrainingMonitor monitor, MultiTaskSacAgent agent,
                                        MultiTaskSacAgent? initialAgent, BehaviorPolicy behavior, MultiTaskSacHooks hooks, RandomGenerator rng)
    {
        var o = agent.Options;
        var model = agent.Model;
        int taskCount = tasks.TaskCount, perTask = tasks.EnvironmentsPerTask, envCount = environment.Count;
        int observationSize = model.ObservationSize, actionSize = model.ActionSize;

        var learner = new MultiTaskSacLearner(model, hooks, rng);
        OptimizerStates.Restore(initialAgent?.OptimizerState, learner.Optimizers);
        agent.OptimizerState = null;
        var buffers = new MultiTaskReplayBuffer(taskCount, observationSize, ActionLayout.Continuous(actionSize), new ReplayBufferOptions
        {
            Capacity = Math.Max(o.BufferCapacity, perTask), EnvCount = perTask, Gamma = o.Gamma,
        });
        var actions = new float[envCount * actionSize];
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();

        monitor.ResetEnvironment(environment, o.Seed);
        for (int iteration = 0; !monitor.ShouldStop; iteration++)
        {
            // Collect: the first update fills every buffer to the minimum; later ones add EnvStepsPerUpdate per task.
            int stored = buffers[0].Count;
            int perTaskSteps = stored < o.MinBufferSize ? o.MinBufferSize - stored : o.EnvStepsPerUpdate;
            int vectorSteps = (perTaskSteps + perTask - 1) / perTask;
            bool collected = true;
            for (int s = 0; s < vectorSteps; s++)
            {
                if (monitor.ShouldStop)
                {
                    collected = false;
                    break;
                }
                using (TensorScope.Begin())
                using (GradMode.NoGrad())
                    behavior.Act(model, AgentActing.Flat(environment.Observations), tasks, iteration, actions, rng);
                StepAndStore(environment, tasks, buffers, actions, monitor);
            }
            if (!collected) break;

            // Learn: every task at once, GradientStepsPerUpdate times (T times that for shared networks).
            bool cancelled = false;
            for (int g = 0; g < learner.GradientStepsPerUpdate && !cancelled; g++)
            {
                cancelled = monitor.IsCancellationRequested;
                if (!cancelled) learner.Step(buffers);
            }
            if (cancelled) break; // an interrupted update is not reported

            var report = learner.TakeLosses() ?? new Dictionary<string, double>();
            behavior.Report(report);
            hooks.AfterIteration(new MultiTaskSacIteration(iteration, model, buffers, monitor, rng, report));
            losses = report;
            monitor.Report(agent, losses, o.PolicyLearningRate);
        }

        agent.OptimizerState = OptimizerStates.Capture(learner.Optimizers);
        monitor.Finish(agent, losses, o.PolicyLearningRate);
        return agent;
    }

    /// <summary>Steps every sub-environment and stores each task's rows in that task's buffer.</summary>
    private static void StepAndStore(IVectorEnvironment environment, TaskAssignment tasks, MultiTaskReplayBuffer buffers, float[] actions, TrainingMonitor monitor)
    {
        int perTask = tasks.EnvironmentsPerTask;
        int observationSize = buffers[0].ObservationSize, actionSize = buffers[0].Actions.Size;
        var observed = environment.Observations.AsReadOnlySpan();
        for (int task = 0; task < tasks.TaskCount; task++)
            buffers[task].AddObservations(observed.Slice(tasks.FirstEnvironmentOf(task) * observationSize, perTask * observationSize));
        var step = environment.Step(actions);
        var next = step.NextObservations.AsReadOnlySpan();
        for (int task = 0; task < tasks.TaskCount; task++)
        {
            int first = tasks.FirstEnvironmentOf(task);
            buffers[task].CompleteStep(actions.AsSpan(first * actionSize, perTask * actionSize), step.Rewards.Slice(first, perTask),
                next.Slice(first * observationSize, perTask * observationSize), step.Terminated.Slice(first, perTask), step.Truncated.Slice(first, perTask));
        }
        monitor.RecordStep(step.Rewards, step.Terminated, step.Truncated);
    }
}

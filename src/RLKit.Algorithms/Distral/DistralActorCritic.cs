using System.Runtime.InteropServices;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Distral;

/// <summary>
/// Distral in the regularised actor-critic framework (thesis Alg. 2, eq. 2.74). Every sub-environment samples its
/// task's π_i and records its episode; when an episode ends (goal or step limit) its task takes one A2C step on the
/// regularised reward with the soft value as critic, and keeps the episode with its advantages. Once every task has
/// finished an episode since π0's last step, π0 takes one policy-gradient step on all the kept episodes. The thesis
/// runs the tasks one after another; here they run side by side, so a task that finishes early starts its next
/// episode rather than waiting, and that episode joins π0's next step.
/// </summary>
internal static class DistralActorCritic
{
    public static DistralAgent Fit(IVectorEnvironment environment, TaskAssignment tasks, TrainingMonitor monitor, DistralAgent agent,
                                   DistralAgent? initialAgent, RandomGenerator rng)
    {
        var o = agent.Options;
        var model = agent.Model;
        int taskCount = tasks.TaskCount, envCount = environment.Count, observationSize = model.ObservationSize;

        var optimizers = new DistralOptimizers(model);
        var (taskOptimizers, distilledOptimizer) = (optimizers.Tasks, optimizers.Distilled);
        OptimizerStates.Restore(initialAgent?.OptimizerState, optimizers.Named);
        agent.OptimizerState = null;

        var running = new Episode[envCount];
        for (int e = 0; e < envCount; e++) running[e] = new Episode(observationSize);
        var finished = new List<(int Task, Episode Episode)>();
        var taskFinished = new bool[taskCount];
        var actions = new int[envCount];
        var losses = new Dictionary<string, double>();
        double taskLossSum = 0;
        int taskSteps = 0;

        monitor.ResetEnvironment(environment, o.Seed);
        while (!monitor.ShouldStop)
        {
            // Act: a sample of each task's π_i.
            var observations = environment.Observations;
            using (var scope = TensorScope.Begin())
            using (Autograd.GradMode.NoGrad())
            {
                var distilledLogits = model.TaskPolicyUsesDistilled ? model.Distilled.Forward(observations) : null;
                for (int task = 0; task < taskCount; task++)
                {
                    int first = tasks.FirstEnvironmentOf(task);
                    var rows = observations.Narrow(0, first, tasks.EnvironmentsPerTask);
                    var logits = model.PolicyLogits(task, rows, distilledLogits?.Narrow(0, first, tasks.EnvironmentsPerTask));
                    DistralAgent.ChooseActions(logits, actions.AsSpan(first, tasks.EnvironmentsPerTask), deterministic: false, rng);
                }
            }
            var observed = observations.AsReadOnlySpan();
            for (int e = 0; e < envCount; e++) running[e].Add(observed.Slice(e * observationSize, observationSize), actions[e]);
            var step = environment.Step(actions);
            monitor.RecordStep(step.Rewards, step.Terminated, step.Truncated);

            // Each finished episode: its task's A2C step, then the episode waits for π0's step.
            var next = step.NextObservations.AsReadOnlySpan();
            bool cancelled = false;
            for (int e = 0; e < envCount; e++)
            {
                running[e].Rewards.Add(step.Rewards[e]);
                if (!step.Done(e)) continue;
                var episode = running[e];
                running[e] = new Episode(observationSize);
                episode.Finish(next.Slice(e * observationSize, observationSize), step.Terminated[e]);
                if (monitor.IsCancellationRequested) { cancelled = true; break; }
                int task = tasks.TaskOf(e);
                using var scope = TensorScope.Begin();
                var states = episode.States(withFinal: true);
                var targets = new float[episode.Actions.Length];
                DistralLosses.ActorCriticTargets(model, task, states, episode.Actions, episode.RewardSpan, episode.Terminated, targets, episode.Advantages);
                var loss = DistralLosses.ActorCriticTask(model, task, states, episode.Actions, targets, episode.Advantages);
                taskOptimizers[task].ZeroGrad();
                loss.Backward();
                taskOptimizers[task].Step();
                taskLossSum += loss.Item();
                taskSteps++;
                if (o.TrainsDistilledPolicy)
                {
                    finished.Add((task, episode));
                    taskFinished[task] = true;
                }
            }
            if (cancelled) break;

            // π0: once every task has an episode since its last step (at once, when π0 does not learn).
            bool round = o.TrainsDistilledPolicy ? Array.TrueForAll(taskFinished, done => done) : taskSteps > 0;
            if (!round) continue;
            double? distillationLoss = null;
            if (o.TrainsDistilledPolicy)
            {
                if (monitor.IsCancellationRequested) break;
                using var scope = TensorScope.Begin();
                Tensor? total = null;
                foreach (var (task, episode) in finished)
                {
                    var states = episode.States(withFinal: false);
                    var loss = DistralLosses.ActorCriticDistilled(model, task, states, episode.Actions, episode.Advantages, episode.Discounts(o.Gamma),
                                                                  DistralLosses.TaskProbabilities(model, task, states));
                    total = total is null ? loss : total + loss;
                }
                distilledOptimizer.ZeroGrad();
                total!.Backward();
                distilledOptimizer.Step();
                distillationLoss = total.Item();
                finished.Clear();
                Array.Clear(taskFinished);
            }
            losses = new Dictionary<string, double> { ["task"] = taskLossSum / taskSteps };
            if (distillationLoss is { } d) losses["distillation"] = d;
            taskLossSum = 0;
            taskSteps = 0;
            monitor.Report(agent, losses, o.LearningRate);
        }
        agent.OptimizerState = OptimizerStates.Capture(optimizers.Named);
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
    }

    /// <summary>One episode of one sub-environment: its states, actions and rewards, then its final state and advantages.</summary>
    private sealed class Episode(int observationSize)
    {
        private readonly List<float> _states = [];
        private readonly List<int> _actions = [];

        public List<float> Rewards { get; } = [];

        public ReadOnlySpan<float> RewardSpan => CollectionsMarshal.AsSpan(Rewards);

        public ReadOnlySpan<int> Actions => CollectionsMarshal.AsSpan(_actions);

        public bool Terminated { get; private set; }

        public float[] Advantages { get; private set; } = [];

        public void Add(ReadOnlySpan<float> state, int action)
        {
            _states.AddRange(state);
            _actions.Add(action);
        }

        public void Finish(ReadOnlySpan<float> finalState, bool terminated)
        {
            _states.AddRange(finalState);
            Terminated = terminated;
            Advantages = new float[_actions.Count];
        }

        /// <summary>The states [L, obs], or [L + 1, obs] with the final one.</summary>
        public Tensor States(bool withFinal)
        {
            int rows = _actions.Count + (withFinal ? 1 : 0);
            return Tensor.FromSpan(CollectionsMarshal.AsSpan(_states)[..(rows * observationSize)], rows, observationSize);
        }

        /// <summary>γ^t for t = 0 … L − 1.</summary>
        public float[] Discounts(float gamma)
        {
            var discounts = new float[_actions.Count];
            float discount = 1f;
            for (int t = 0; t < discounts.Length; t++, discount *= gamma) discounts[t] = discount;
            return discounts;
        }
    }
}

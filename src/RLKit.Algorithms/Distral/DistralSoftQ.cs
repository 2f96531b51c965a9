using RLKit.Data;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Distral;

/// <summary>
/// Distral in the soft Q-learning framework (thesis Alg. 1), one vector step at a time: every task acts (ε-greedy
/// around a sample of π_i, ε decaying with the task's episodes), each task's transitions go to its own replay buffer
/// and to its short memory of recent actions, then each task takes one soft-Q regression step and π0 one
/// maximum-likelihood step on all tasks' recent actions. The reference code has no target network, and neither
/// does this: the soft value bootstraps from the current f_i and π0, as the thesis assumes.
/// </summary>
internal static class DistralSoftQ
{
    public static DistralAgent Fit(IVectorEnvironment environment, TaskAssignment tasks, TrainingMonitor monitor, DistralAgent agent,
                                   DistralAgent? initialAgent, RandomGenerator rng)
    {
        var o = agent.Options;
        var model = agent.Model;
        int taskCount = tasks.TaskCount, perTask = tasks.EnvironmentsPerTask, envCount = environment.Count;
        int observationSize = model.ObservationSize, actionCount = model.ActionCount;

        var learner = new Learner(model, perTask, rng);
        OptimizerStates.Restore(initialAgent?.OptimizerState, learner.Optimizers.Named);
        agent.OptimizerState = null;
        var replays = learner.Replays;
        var recent = learner.Recent;

        var actions = new int[envCount];
        var regularisation = new float[envCount];
        var storedRewards = new float[envCount];
        var stepInEpisode = new int[envCount];
        bool regulariseAtCollection = learner.RegulariseAtCollection;
        var losses = new Dictionary<string, double>();
        Func<bool> cancelled = () => monitor.IsCancellationRequested;

        monitor.ResetEnvironment(environment, o.Seed);
        while (!monitor.ShouldStop)
        {
            // Act: with probability ε uniformly, else a sample of π_i. For n-step returns the regularisation of each
            // collected step is fixed now, from the networks that chose the action.
            var observations = environment.Observations;
            using (var scope = TensorScope.Begin())
            using (Autograd.GradMode.NoGrad())
            {
                var distilledLogits = model.TaskPolicyUsesDistilled || (regulariseAtCollection && o.Alpha > 0f)
                    ? model.Distilled.Forward(observations) : null;
                for (int task = 0; task < taskCount; task++)
                {
                    int first = tasks.FirstEnvironmentOf(task);
                    var rows = observations.Narrow(0, first, perTask);
                    var rowsDistilled = distilledLogits?.Narrow(0, first, perTask);
                    var logits = model.PolicyLogits(task, rows, rowsDistilled);
                    float epsilon = o.ExplorationEnd + (o.ExplorationStart - o.ExplorationEnd) * MathF.Exp(-monitor.EpisodesOfTask(task) / o.ExplorationDecayEpisodes);
                    var chosen = actions.AsSpan(first, perTask);
                    DistralAgent.ChooseActions(logits, chosen, deterministic: false, rng);
                    for (int row = 0; row < perTask; row++)
                        if (rng.NextDouble() < epsilon) chosen[row] = rng.NextInt(actionCount);
                    if (regulariseAtCollection)
                    {
                        var taskTaken = logits.LogSoftmax(1).Gather(1, chosen).AsReadOnlySpan();
                        var distilledTaken = rowsDistilled is null ? new float[perTask] : rowsDistilled.LogSoftmax(1).Gather(1, chosen).AsReadOnlySpan().ToArray();
                        var pieces = regularisation.AsSpan(first, perTask);
                        pieces.Clear();
                        DistralModel.Regularise(pieces, distilledTaken, taskTaken, o.Alpha, o.Beta);
                    }
                }
            }

            // Step every task, store each task's rows in its own buffer and memory.
            var observed = observations.AsReadOnlySpan();
            for (int task = 0; task < taskCount; task++)
                replays[task].AddObservations(observed.Slice(tasks.FirstEnvironmentOf(task) * observationSize, perTask * observationSize));
            for (int e = 0; e < envCount; e++)
                recent[tasks.TaskOf(e)].Add(observed.Slice(e * observationSize, observationSize), actions[e], MathF.Pow(o.Gamma, stepInEpisode[e]));
            var step = environment.Step(actions);
            for (int e = 0; e < envCount; e++) storedRewards[e] = step.Rewards[e] + regularisation[e];
            var next = step.NextObservations.AsReadOnlySpan();
            for (int task = 0; task < taskCount; task++)
            {
                int first = tasks.FirstEnvironmentOf(task);
                replays[task].CompleteStep(actions.AsSpan(first, perTask), storedRewards.AsSpan(first, perTask),
                    next.Slice(first * observationSize, perTask * observationSize), step.Terminated.Slice(first, perTask), step.Truncated.Slice(first, perTask));
            }
            monitor.RecordStep(step.Rewards, step.Terminated, step.Truncated);
            for (int e = 0; e < envCount; e++) stepInEpisode[e] = step.Done(e) ? 0 : stepInEpisode[e] + 1;

            // Learn: one soft-Q step per task whose buffer holds a batch, then one π0 step.
            if (learner.Update(cancelled) is { } result)
            {
                losses = new Dictionary<string, double> { ["q"] = result.TaskLoss };
                if (result.DistillationLoss is { } d) losses["distillation"] = d;
                monitor.Report(agent, losses, o.LearningRate);
            }
        }
        agent.OptimizerState = OptimizerStates.Capture(learner.Optimizers.Named);
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
    }

    /// <summary>
    /// The learning half of Alg. 1: per task a replay buffer, a memory of recent actions and Adam over f_i, and Adam over
    /// h0; <see cref="Update"/> runs one soft-Q regression per task whose buffer holds a batch, then π0's
    /// maximum-likelihood step (when α &gt; 0).
    /// </summary>
    internal sealed class Learner
    {
        private readonly DistralModel _model;
        private readonly RandomGenerator _rng;
        private readonly float[][] _bootstrap, _targets;
        private readonly ReplayBatch?[] _batches;
        private readonly double[] _taskLosses;
        private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };
        private readonly DistillationBatch _distillation;

        public Learner(DistralModel model, int environmentsPerTask, RandomGenerator rng)
        {
            var o = model.Options;
            _model = model;
            _rng = rng;
            int taskCount = model.Tasks.Length;
            Replays = new ReplayBuffer[taskCount];
            Recent = new RecentActions[taskCount];
            for (int task = 0; task < taskCount; task++)
            {
                Replays[task] = new ReplayBuffer(model.ObservationSize, ActionLayout.Discrete(model.ActionCount), new ReplayBufferOptions
                {
                    Capacity = Math.Max(o.ReplayCapacity, environmentsPerTask), EnvCount = environmentsPerTask, NStep = o.NStep, Gamma = o.Gamma,
                });
                Recent[task] = new RecentActions(o.DistillationMemory, model.ObservationSize);
            }
            Optimizers = new DistralOptimizers(model);
            _bootstrap = [.. Enumerable.Range(0, taskCount).Select(_ => new float[o.BatchSize])];
            _targets = [.. Enumerable.Range(0, taskCount).Select(_ => new float[o.BatchSize])];
            _batches = new ReplayBatch?[taskCount];
            _taskLosses = new double[taskCount];
            _distillation = new DistillationBatch(taskCount, o.BatchSize, model.ObservationSize);
        }

        public ReplayBuffer[] Replays { get; }

        public RecentActions[] Recent { get; }

        public DistralOptimizers Optimizers { get; }

        /// <summary>
        /// Whether collection stores rewards already regularised: n-step sums span states a sampled batch does not hold,
        /// so their KL and entropy terms are fixed when collected (as in the reference code); 1-step targets recompute them.
        /// </summary>
        public bool RegulariseAtCollection => _model.Options.RegulariseReward && _model.Options.NStep > 1;

        /// <summary>
        /// One soft-Q step per task whose buffer holds a batch, then one π0 step. Returns the mean task loss and π0's loss,
        /// or null when no buffer held a batch yet or <paramref name="cancelled"/> cut the update short (the steps already
        /// taken stay).
        /// </summary>
        public (double TaskLoss, double? DistillationLoss)? Update(Func<bool> cancelled)
        {
            var o = _model.Options;
            int taskCount = Replays.Length, taskSteps = 0;
            for (int task = 0; task < taskCount; task++)
            {
                _batches[task] = null;
                if (Replays[task].Count < o.BatchSize) continue;
                if (cancelled()) return null;
                _batches[task] = Replays[task].Sample(o.BatchSize, _rng);
                taskSteps++;
            }
            if (taskSteps == 0) return null;

            // The batches are drawn above, in task order, so the random stream does not depend on threads; each task's
            // step touches only its own network, optimizer and scratch arrays (h0 is only read), so the tasks run in parallel.
            if (taskCount == 1) RegressTask(0);
            else Parallel.For(0, taskCount, _parallel, RegressTask);
            double taskLoss = 0;
            for (int task = 0; task < taskCount; task++) taskLoss += _taskLosses[task];

            double? distillationLoss = null;
            if (o.TrainsDistilledPolicy)
            {
                if (cancelled()) return null;
                using var scope = TensorScope.Begin();
                _distillation.Sample(Recent, o.BatchSize, _rng);
                var loss = DistralLosses.Distillation(_model, _distillation.States(), _distillation.Actions, _distillation.Weights);
                Optimizers.Distilled.ZeroGrad();
                loss.Backward();
                Optimizers.Distilled.Step();
                distillationLoss = loss.Item();
            }
            return (taskLoss / taskSteps, distillationLoss);
        }

        private void RegressTask(int task)
        {
            _taskLosses[task] = 0;
            if (_batches[task] is not { } batch) return;
            var o = _model.Options;
            using var scope = TensorScope.Begin();
            var bootstrap = _bootstrap[task];
            var targets = _targets[task];
            var discounts = batch.Discounts.AsReadOnlySpan();
            var dones = batch.Dones.AsReadOnlySpan();
            for (int b = 0; b < bootstrap.Length; b++) bootstrap[b] = discounts[b] * (1f - dones[b]);
            var taskValues = _model.Tasks[task].Forward(batch.Observations);
            DistralLosses.SoftQTargets(_model, task, batch.Observations, taskValues, batch.ActionIndices, batch.Rewards.AsReadOnlySpan(), bootstrap,
                                       batch.NextObservations, regulariseRewards: o.RegulariseReward && !RegulariseAtCollection, targets);
            var loss = DistralLosses.SoftQTask(taskValues, batch.ActionIndices, targets);
            Optimizers.Tasks[task].ZeroGrad();
            loss.Backward();
            Optimizers.Tasks[task].Step();
            _taskLosses[task] = loss.Item();
        }
    }

    /// <summary>A task's last <c>capacity</c> (state, action, γ^t) triples, what π0's maximum-likelihood step fits.</summary>
    internal sealed class RecentActions(int capacity, int observationSize)
    {
        private readonly float[] _states = new float[capacity * observationSize];
        private readonly int[] _actions = new int[capacity];
        private readonly float[] _discounts = new float[capacity];
        private int _next;

        public int Count { get; private set; }

        public void Add(ReadOnlySpan<float> state, int action, float discount)
        {
            state.CopyTo(_states.AsSpan(_next * observationSize, observationSize));
            _actions[_next] = action;
            _discounts[_next] = discount;
            _next = (_next + 1) % capacity;
            Count = Math.Min(Count + 1, capacity);
        }

        public ReadOnlySpan<float> State(int index) => _states.AsSpan(index * observationSize, observationSize);

        public int Action(int index) => _actions[index];

        public float Discount(int index) => _discounts[index];
    }

    /// <summary>
    /// The rows of one π0 step: min(batch, count) distinct recent triples per task (as the reference's
    /// <c>random.sample</c>), weighted γ^t / (the task's row count) so every task weighs the same.
    /// </summary>
    private sealed class DistillationBatch(int taskCount, int batchSize, int observationSize)
    {
        private readonly float[] _states = new float[taskCount * batchSize * observationSize];
        private readonly int[] _actions = new int[taskCount * batchSize];
        private readonly float[] _weights = new float[taskCount * batchSize];
        private int[] _order = [];
        private int _rows;

        public ReadOnlySpan<int> Actions => _actions.AsSpan(0, _rows);

        public ReadOnlySpan<float> Weights => _weights.AsSpan(0, _rows);

        public Tensor States() => Tensor.FromSpan(_states.AsSpan(0, _rows * observationSize), _rows, observationSize);

        public void Sample(RecentActions[] memories, int batch, RandomGenerator rng)
        {
            _rows = 0;
            foreach (var memory in memories)
            {
                int count = memory.Count, take = Math.Min(batch, count);
                if (take == 0) continue;
                if (_order.Length < count) _order = new int[count];
                for (int k = 0; k < count; k++) _order[k] = k;
                for (int k = 0; k < take; k++)
                {
                    int pick = k + rng.NextInt(count - k);
                    (_order[k], _order[pick]) = (_order[pick], _order[k]);
                    int index = _order[k];
                    memory.State(index).CopyTo(_states.AsSpan(_rows * observationSize, observationSize));
                    _actions[_rows] = memory.Action(index);
                    _weights[_rows] = memory.Discount(index) / take;
                    _rows++;
                }
            }
        }
    }
}

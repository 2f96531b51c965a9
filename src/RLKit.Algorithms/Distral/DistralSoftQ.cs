using RLKit.Data;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Optim;
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

        // One replay buffer, one memory of recent actions and one optimizer per task; one optimizer for π0.
        var replays = new ReplayBuffer[taskCount];
        var recent = new RecentActions[taskCount];
        var taskOptimizers = new Adam[taskCount];
        for (int task = 0; task < taskCount; task++)
        {
            replays[task] = new ReplayBuffer(observationSize, ActionLayout.Discrete(actionCount), new ReplayBufferOptions
            {
                Capacity = Math.Max(o.ReplayCapacity, perTask), EnvCount = perTask, NStep = o.NStep, Gamma = o.Gamma,
            });
            recent[task] = new RecentActions(o.DistillationMemory, observationSize);
            taskOptimizers[task] = new Adam(model.Tasks[task].Parameters(), o.LearningRate);
        }
        var distilledOptimizer = new Adam(model.Distilled.Parameters(), o.LearningRate);
        var optimizers = DistralOptimizers.Named(distilledOptimizer, taskOptimizers);
        OptimizerStates.Restore(initialAgent?.OptimizerState, optimizers);
        agent.OptimizerState = null;

        var actions = new int[envCount];
        var regularisation = new float[envCount];
        var storedRewards = new float[envCount];
        var stepInEpisode = new int[envCount];
        var episodesPerTask = new long[taskCount];
        var bootstrap = new float[o.BatchSize];
        var targets = new float[o.BatchSize];
        var distillation = new DistillationBatch(taskCount, o.BatchSize, observationSize);
        bool regulariseAtCollection = o.RegulariseReward && o.NStep > 1;
        var losses = new Dictionary<string, double>();

        environment.Reset(o.Seed);
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
                    var logits = model.TaskLogits(model.Tasks[task].Forward(rows), model.TaskPolicyUsesDistilled ? rowsDistilled : null);
                    float epsilon = o.ExplorationEnd + (o.ExplorationStart - o.ExplorationEnd) * MathF.Exp(-episodesPerTask[task] / o.ExplorationDecayEpisodes);
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
            for (int e = 0; e < envCount; e++)
            {
                if (step.Done(e))
                {
                    episodesPerTask[tasks.TaskOf(e)]++;
                    stepInEpisode[e] = 0;
                }
                else
                {
                    stepInEpisode[e]++;
                }
            }

            // Learn: one soft-Q step per task whose buffer holds a batch, then one π0 step.
            double taskLoss = 0;
            int taskSteps = 0;
            bool cancelled = false;
            for (int task = 0; task < taskCount && !cancelled; task++)
            {
                if (replays[task].Count < o.BatchSize) continue;
                if (monitor.IsCancellationRequested) { cancelled = true; break; }
                var batch = replays[task].Sample(o.BatchSize, rng);
                using var scope = TensorScope.Begin();
                var discounts = batch.Discounts.AsReadOnlySpan();
                var dones = batch.Dones.AsReadOnlySpan();
                for (int b = 0; b < bootstrap.Length; b++) bootstrap[b] = discounts[b] * (1f - dones[b]);
                var taskValues = model.Tasks[task].Forward(batch.Observations);
                DistralLosses.SoftQTargets(model, task, batch.Observations, taskValues, batch.ActionIndices, batch.Rewards.AsReadOnlySpan(), bootstrap,
                                           batch.NextObservations, regulariseRewards: o.RegulariseReward && !regulariseAtCollection, targets);
                var loss = DistralLosses.SoftQTask(taskValues, batch.ActionIndices, targets);
                taskOptimizers[task].ZeroGrad();
                loss.Backward();
                taskOptimizers[task].Step();
                taskLoss += loss.Item();
                taskSteps++;
            }
            double? distillationLoss = null;
            if (!cancelled && o.TrainsDistilledPolicy && taskSteps > 0)
            {
                if (monitor.IsCancellationRequested)
                {
                    cancelled = true;
                }
                else
                {
                    using var scope = TensorScope.Begin();
                    distillation.Sample(recent, o.BatchSize, rng);
                    var loss = DistralLosses.Distillation(model, distillation.States(), distillation.Actions, distillation.Weights);
                    distilledOptimizer.ZeroGrad();
                    loss.Backward();
                    distilledOptimizer.Step();
                    distillationLoss = loss.Item();
                }
            }
            if (!cancelled && taskSteps > 0)
            {
                losses = new Dictionary<string, double> { ["q"] = taskLoss / taskSteps };
                if (distillationLoss is { } d) losses["distillation"] = d;
                monitor.Report(agent, losses, o.LearningRate);
            }
        }
        agent.OptimizerState = OptimizerStates.Capture(optimizers);
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
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

/// <summary>The names Distral's optimizers save their state under: "distilled" and "task{i}".</summary>
internal static class DistralOptimizers
{
    public static (string Name, Optimizer Optimizer)[] Named(Optimizer distilled, IReadOnlyList<Optimizer> tasks) =>
        [("distilled", distilled), .. tasks.Select((optimizer, task) => ($"task{task}", optimizer))];
}

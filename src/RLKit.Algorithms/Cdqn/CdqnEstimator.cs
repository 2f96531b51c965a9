using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Cdqn;

/// <summary>
/// Cascaded DQN (Chen et al. 2019) as list-wise AGILE trains it (seed 003, Algorithm 5, C.2): a slate of N distinct
/// items is built position by position, each position's Q-function scoring the remaining candidates given the state and
/// the items already chosen, with one AGILE utility pathway (<see cref="CdqnOptions.Relations"/>) shared over the
/// positions. Training is DQN's: ε-greedy collection into a replay buffer, MSE regressions onto targets from a target
/// network copied every <see cref="CdqnOptions.TargetSyncInterval"/> gradient steps, Adam.
/// </summary>
/// <remarks>
/// <para>Targets, literally as Algorithm 5: for positions n &lt; N, y_n = r + γ max_a Q_{n+1}(s, a, A ∖ a_{1:n}) (same
/// state, one more item in the list); for the last, y_N = r + γ (1 − terminated) max_a Q_1(s̃, a, A) (truncated
/// episodes bootstrap). The loss is Σ_n mean_batch (Q_n(s, a_n, A ∖ a_{1:n−1}) − y_n)². A is the set of items available
/// in s; Algorithm 5 scores s̃ over the same set (a RecSim episode keeps its candidates).</para>
/// <para>Simple DQN (<see cref="CdqnOptions.Cascade"/> false): one Q(s, a) per item, the list is its top N, and every
/// chosen item's Q(s, a_n) regresses onto r + γ (1 − terminated) max_a Q(s̃, a, A).</para>
/// <para>A warm start continues from the initial agent's weights and optimizer state; the replay buffer, ε schedule and
/// target network start afresh (the agent keeps no replay).</para>
/// </remarks>
public sealed class CdqnEstimator : AlgorithmEstimator<CdqnOptions, CdqnAgent>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "cdqn".</summary>
    public const string Name = "cdqn";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here (defaults: <see cref="CdqnOptions.RecSim"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public CdqnEstimator(CdqnOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new CdqnOptions(), callbacks) { }

    /// <inheritdoc/>
    protected override AgentEstimator<CdqnAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new CdqnEstimator(Options, callbacks);

    /// <summary>ε at training progress p ∈ [0, 1]: linear from EpsilonStart to EpsilonEnd over the first ExplorationFraction of the budget.</summary>
    internal static float Epsilon(CdqnOptions options, double progress)
    {
        double fraction = Math.Min(1.0, progress / options.ExplorationFraction);
        return (float)(options.EpsilonStart + (options.EpsilonEnd - options.EpsilonStart) * fraction);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// If the action space is not an ActionList or ActionSet, or the initial agent was trained on other spaces
    /// (another representation width, list length or observation size).
    /// </exception>
    protected override CdqnAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, CdqnAgent? initialAgent)
    {
        var o = Options;
        var (items, listLength) = CdqnAgent.ListOf(environment.SingleActionSpace, Name);
        int observationSize = environment.SingleObservationSpace.FlatSize, envs = environment.Count, itemCount = items.Count;
        var rng = new RandomGenerator(o.Seed);

        // Networks: the online Q-network (warm-started from the initial agent), its lagging target copy, Adam.
        var online = new CdqnNetwork(observationSize, items.RepresentationSize, listLength, o, rng);
        if (initialAgent is not null)
        {
            var initial = initialAgent.Network;
            if (initial.RepresentationSize != items.RepresentationSize || initial.ListLength != listLength || initial.StateSize != observationSize)
                throw new ArgumentException(
                    $"{Name}: the initial agent was trained with observations of {initial.StateSize} floats, item representations {initial.RepresentationSize} wide and lists of {initial.ListLength}; " +
                    $"this environment has {observationSize}, {items.RepresentationSize} and {listLength}.", "initialAgent");
            online.LoadStateDict(initial.StateDict());
        }
        var target = online.CloneArchitecture(rng);
        var onlineParameters = online.Parameters().ToList();
        var targetParameters = target.Parameters().ToList();
        Polyak.HardUpdate(targetParameters, onlineParameters);
        var optimizer = new Adam(onlineParameters, o.LearningRate);
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("q", optimizer));
        var agent = new CdqnAgent(online, environment.SingleObservationSpace, environment.SingleActionSpace, o);

        // Replay and the per-step scratch: s and A are copied before the step rewrites them.
        var replay = new CdqnReplayBuffer(Math.Max(o.BufferSize, envs), observationSize, listLength, itemCount);
        var batch = new CdqnBatch(o.BatchSize, observationSize, listLength, itemCount);
        var actions = new int[envs * listLength];
        var observations = new float[envs * observationSize];
        var availability = new bool[envs * itemCount];

        monitor.ResetEnvironment(environment, o.Seed);
        long vectorSteps = 0, gradientSteps = 0;
        var losses = new Dictionary<string, double>();
        while (!monitor.ShouldStop)
        {
            // Act: the cascade, ε-greedy per position over the remaining candidates; store (s, A, a_1…a_N, r, s̃, terminated).
            float epsilon = Epsilon(o, monitor.Progress);
            environment.Observations.AsReadOnlySpan().CopyTo(observations);
            Availability(environment, items, availability);
            agent.ActEpsilonGreedy(environment.Observations, items.Representations, availability, actions, epsilon, rng);
            var step = environment.Step(actions);
            monitor.RecordStep(step.Rewards, step.Terminated, step.Truncated);
            var next = step.NextObservations.AsReadOnlySpan();
            for (int e = 0; e < envs; e++)
                replay.Add(observations.AsSpan(e * observationSize, observationSize), availability.AsSpan(e * itemCount, itemCount),
                           actions.AsSpan(e * listLength, listLength), step.Rewards[e], next.Slice(e * observationSize, observationSize), step.Terminated[e]);
            vectorSteps++;

            // Learn: MSE regressions onto Algorithm 5's targets; copy the online network into the target every TargetSyncInterval gradient steps.
            if (monitor.Steps <= o.LearningStarts || vectorSteps % o.TrainFrequency != 0) continue;
            double lossSum = 0, meanQSum = 0;
            int done = 0;
            for (int g = 0; g < o.GradientSteps && !monitor.IsCancellationRequested; g++, done++)
            {
                replay.Sample(batch, rng);
                var (loss, meanQ) = GradientStep(online, target, optimizer, batch, items.Representations, o);
                lossSum += loss;
                meanQSum += meanQ;
                if (++gradientSteps % o.TargetSyncInterval == 0) Polyak.HardUpdate(targetParameters, onlineParameters);
            }
            if (done < o.GradientSteps) continue; // cancelled mid-round: unreported, and the loop ends
            losses = new Dictionary<string, double> { ["q"] = lossSum / done, ["epsilon"] = epsilon, ["mean_q"] = meanQSum / done };
            monitor.Report(agent, losses, o.LearningRate);
        }
        agent.OptimizerState = OptimizerStates.Capture(("q", optimizer));
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
    }

    /// <summary>
    /// Which items each sub-environment offers now: its action masks (a vector environment without masks and with one
    /// sub-environment: the action set's own availability, which is that sub-environment's).
    /// </summary>
    /// <exception cref="InvalidOperationException">If several sub-environments report no masks.</exception>
    private static void Availability(IVectorEnvironment environment, Spaces.ActionSet items, bool[] destination)
    {
        var masks = environment.ActionMasks;
        if (masks.Length == destination.Length) masks.CopyTo(destination);
        else if (environment.Count == 1) items.Available.CopyTo(destination);
        else
            throw new InvalidOperationException(
                $"{Name}: the vector environment reports {masks.Length} action-mask values; {environment.Count} sub-environments over {items.Count} items need {destination.Length}.");
    }

    /// <summary>One MSE regression of every position's Q-value onto its target; returns the loss and the mean Q(s, a_n).</summary>
    internal static (double Loss, double MeanQ) GradientStep(CdqnNetwork online, CdqnNetwork target, Optimizer optimizer, CdqnBatch batch,
                                                            ReadOnlySpan<float> representations, CdqnOptions o)
    {
        using var scope = TensorScope.Begin();
        var (targets, rows) = Targets(online, target, batch, representations, o.Gamma);
        var q = ChosenQ(online, batch, representations, rows);
        int n = online.ListLength;
        // Σ_n mean_b (q_n − y_n)² = N · the mean over all B·N entries.
        var loss = Functional.MseLoss(q, Tensor.FromArray(targets, batch.Size, n)) * n;
        optimizer.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(optimizer.Parameters, o.MaxGradNorm);
        optimizer.Step();
        return (loss.Item(), TensorPrimitives.Sum(q.AsReadOnlySpan()) / q.Size);
    }

    /// <summary>
    /// The rows every position is scored in. Cascade: row b·N + n is transition b at position n: state s, candidates
    /// A ∖ a_{1:n}, prefix a_{1:n} (n = 0 … N−1, 0-based, so the prefix holds n items). Simple DQN: one row per transition.
    /// </summary>
    internal sealed record ScoringRows(ActionSetBatch Candidates, int[] Prefixes, float[] States, int Count);

    internal static ScoringRows Rows(CdqnNetwork network, CdqnBatch batch, ReadOnlySpan<float> representations)
    {
        int b = batch.Size, n = network.ListLength, s = network.StateSize, items = batch.Availability.Length / b;
        if (!network.Cascade)
            return new ScoringRows(ActionSetBatch.FromAvailability(representations, network.RepresentationSize, batch.Availability, b), [], batch.Observations, b);
        int rows = b * n;
        var availability = new bool[rows * items];
        var exclude = new bool[rows * items];
        var prefixes = new int[rows * n];
        prefixes.AsSpan().Fill(-1);
        var states = new float[rows * s];
        for (int t = 0; t < b; t++)
        {
            var list = batch.Lists.AsSpan(t * n, n);
            for (int p = 0; p < n; p++)
            {
                int row = t * n + p;
                batch.Availability.AsSpan(t * items, items).CopyTo(availability.AsSpan(row * items, items));
                batch.Observations.AsSpan(t * s, s).CopyTo(states.AsSpan(row * s, s));
                for (int j = 0; j < p; j++)
                {
                    exclude[row * items + list[j]] = true;
                    prefixes[row * n + j] = list[j];
                }
            }
        }
        return new ScoringRows(ActionSetBatch.FromAvailability(representations, network.RepresentationSize, availability, rows, exclude), prefixes, states, rows);
    }

    /// <summary>
    /// Algorithm 5's targets y [B, N] from the target network (no gradient), and the scoring rows they share with the
    /// online network's Q-values.
    /// </summary>
    internal static (float[] Targets, ScoringRows Rows) Targets(CdqnNetwork online, CdqnNetwork target, CdqnBatch batch,
                                                              ReadOnlySpan<float> representations, float gamma)
    {
        int b = batch.Size, n = online.ListLength, s = online.StateSize;
        var rows = Rows(online, batch, representations);
        // The target network scores the same rows, except that the first position of each transition looks at s̃:
        // Q_1(s̃, ·, A) for y_N; rows n ≥ 1 give max Q_{n+1}(s, ·, A ∖ a_{1:n}) for y_n (cascade).
        var states = (float[])rows.States.Clone();
        int stride = online.Cascade ? n : 1;
        for (int t = 0; t < b; t++) batch.NextObservations.AsSpan(t * s, s).CopyTo(states.AsSpan(t * stride * s, s));
        var y = new float[b * n];
        using (GradMode.NoGrad())
        {
            var best = target.QValues(Tensor.FromArray(states, rows.Count, s), rows.Candidates, representations, rows.Prefixes).Max(1).AsReadOnlySpan();
            for (int t = 0; t < b; t++)
            {
                float r = batch.Rewards[t];
                float last = r + gamma * (batch.Terminated[t] ? 0f : best[t * stride]);
                for (int p = 0; p < n; p++)
                    y[t * n + p] = online.Cascade && p < n - 1 ? r + gamma * best[t * n + p + 1] : last;
            }
        }
        return (y, rows);
    }

    /// <summary>The online Q_n(s, a_n, A ∖ a_{1:n−1}) of every stored list item, [B, N].</summary>
    internal static Tensor ChosenQ(CdqnNetwork online, CdqnBatch batch, ReadOnlySpan<float> representations, ScoringRows rows)
    {
        int b = batch.Size, n = online.ListLength, s = online.StateSize;
        var q = online.QValues(Tensor.FromArray(rows.States, rows.Count, s), rows.Candidates, representations, rows.Prefixes);
        if (online.Cascade)
        {
            var slots = new int[b * n];
            for (int row = 0; row < slots.Length; row++) slots[row] = rows.Candidates.SlotOf(row, batch.Lists[row]);
            return q.Gather(1, slots).Reshape(b, n);
        }
        var chosen = new int[b * n];
        for (int t = 0; t < b; t++)
            for (int p = 0; p < n; p++) chosen[t * n + p] = rows.Candidates.SlotOf(t, batch.Lists[t * n + p]);
        return q.Gather(1, chosen);
    }
}

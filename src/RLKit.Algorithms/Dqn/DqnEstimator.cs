using RLKit.Algorithms.Common;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Dqn;

/// <summary>
/// Deep Q-Network (Mnih et al. 2015) in the shape of CleanRL's dqn.py: ε-greedy collection into a replay buffer, and
/// every <see cref="QLearningOptions.TrainFrequency"/> steps a few Huber-loss regressions of Q(s, a) onto
/// r + γ^m (1 − terminated) max_a′ Q_target(s′, a′), with a periodically synced target network. Double DQN,
/// dueling heads, n-step returns and prioritized replay are switches in <see cref="DqnOptions"/>.
/// </summary>
public sealed class DqnEstimator : OffPolicyEstimator<DqnOptions, DqnAgent>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "dqn".</summary>
    public const string Name = "dqn";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public DqnEstimator(DqnOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new DqnOptions(), callbacks) { }

    /// <inheritdoc/>
    protected override AgentEstimator<DqnAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new DqnEstimator(Options, callbacks);

    /// <summary>ε at training progress p ∈ [0, 1]: linear from the initial to the final value over the first ExplorationFraction of the budget.</summary>
    internal static float Epsilon(DqnOptions options, double progress)
    {
        double fraction = Math.Min(1.0, progress / options.ExplorationFraction);
        return (float)(options.ExplorationInitialEpsilon + (options.ExplorationFinalEpsilon - options.ExplorationInitialEpsilon) * fraction);
    }

    /// <inheritdoc/>
    protected override DqnAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, DqnAgent? initialAgent)
    {
        var o = Options;
        int actionCount = QLearning.DiscreteActionCount(environment, Name);
        var rng = new RandomGenerator(o.Seed);

        // Networks, replay and schedule; a warm start continues from the initial agent's Q-network, optimizer, replay
        // buffer and training state (OffPolicyResume).
        var qNetwork = new QNetwork(environment.SingleObservationSpace.FlatSize, actionCount, o.HiddenSizes, o.Dueling, rng);
        if (initialAgent is not null) qNetwork.LoadStateDict(initialAgent.QNetwork.StateDict());
        var learning = new QLearning(environment, monitor, o, qNetwork, rng, initialAgent?.ReplayBuffer, Name, o.Prioritized);
        var agent = new DqnAgent(qNetwork, environment.SingleObservationSpace, environment.SingleActionSpace, o);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent).
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("q", learning.Optimizer));
        var resumed = initialAgent?.TrainingState;
        if (resumed is not null) learning.Resume(resumed);
        BellmanTarget target = o.DoubleDqn ? DoubleDqnTarget : DqnTarget;

        OffPolicyResume.Begin(environment, monitor, resumed, o.Seed, learning.Buffer, ("rng", rng));
        // The agent being trained drops the old state (only now, so a refused resume leaves it as it was): a checkpoint
        // taken mid-fit never pairs new weights with it.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        var losses = new Dictionary<string, double>();
        while (!monitor.ShouldStop)
        {
            // Act: ε-greedy on the online network, then store the transitions.
            float epsilon = Epsilon(o, monitor.Progress);
            agent.ActEpsilonGreedy(environment.Observations, learning.Collector.DiscreteActions, epsilon, rng);
            learning.Collector.Step();

            // Learn: Huber regressions onto r + γ^m (1 − terminated) max_a′ Q_target(s′, a′) when the schedule says so.
            if (learning.Learn(target) is { } result)
            {
                losses = new Dictionary<string, double> { ["q"] = result.Loss, ["epsilon"] = epsilon, ["mean_q"] = result.MeanQ };
                monitor.Report(agent, losses, o.LearningRate);
            }
        }
        agent.OptimizerState = OptimizerStates.Capture(("q", learning.Optimizer));
        agent.TrainingState = OffPolicyResume.Capture(monitor, environment, learning.Counters, [("rng", rng)], [(QLearning.TargetName, learning.Target)]);
        agent.ReplayBuffer = learning.Buffer;
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
    }

    /// <inheritdoc/>
    /// <remarks>The producers act ε-greedily with the ε of the schedule at each publish (ε falls over the first
    /// ExplorationFraction of the budget, counted in transitions received; a resumed run continues it from the
    /// initial agent's training state).</remarks>
    private protected override DqnAgent FitCore(ExperienceFeed feed, TrainingMonitor monitor, DqnAgent? initialAgent)
    {
        var o = Options;
        var learning = QLearning.FromSource(feed, monitor, o, o.Dueling, new RandomGenerator(o.Seed), initialAgent, Name, o.Prioritized);
        var agent = new DqnAgent(learning.Online, feed.ObservationSpace, feed.ActionSpace, o);
        BellmanTarget target = o.DoubleDqn ? DoubleDqnTarget : DqnTarget;
        var losses = feed.Run(learning.Buffer, agent, () => ExplorationBehavior.EpsilonGreedy(Epsilon(o, monitor.Progress)), () =>
            learning.Learn(target) is { } result
                ? (o.GradientSteps, new Dictionary<string, double> { ["q"] = result.Loss, ["epsilon"] = Epsilon(o, monitor.Progress), ["mean_q"] = result.MeanQ })
                : null, o.LearningRate);
        learning.KeepStateOn(agent);
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
    }

    /// <summary>y = r + γ^m (1 − terminated) max_a′ Q_target(s′, a′).</summary>
    internal static void DqnTarget(ReplayBatch batch, QNetwork online, QNetwork target, Span<float> targets) =>
        ValueTargets.Dqn(target.Forward(batch.NextObservations).AsReadOnlySpan(), default, target.ActionCount,
                         batch.Rewards.AsReadOnlySpan(), batch.Discounts.AsReadOnlySpan(), batch.Dones.AsReadOnlySpan(), targets);

    /// <summary>Double DQN: the online network picks a′ = argmax Q(s′, ·), the target network evaluates it.</summary>
    private static void DoubleDqnTarget(ReplayBatch batch, QNetwork online, QNetwork target, Span<float> targets) =>
        ValueTargets.Dqn(target.Forward(batch.NextObservations).AsReadOnlySpan(), online.Forward(batch.NextObservations).AsReadOnlySpan(),
                         target.ActionCount, batch.Rewards.AsReadOnlySpan(), batch.Discounts.AsReadOnlySpan(), batch.Dones.AsReadOnlySpan(), targets);
}

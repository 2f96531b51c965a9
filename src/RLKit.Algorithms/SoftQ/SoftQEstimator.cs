using RLKit.Algorithms.Common;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.SoftQ;

/// <summary>
/// Soft Q-learning for discrete actions: DQN's loop with the max replaced by the soft value. Actions are sampled from
/// the Boltzmann policy π(a|s) ∝ exp(β Q(s, a)), and Q(s, a) regresses (Huber loss) onto
/// r + γ^m (1 − terminated) · (1/β) log Σ_a′ exp(β Q_target(s′, a′)). The soft value adds an entropy bonus of at most
/// log|A| / β per step, so the learned policy is the maximum-entropy optimum at temperature 1/β.
/// </summary>
public sealed class SoftQEstimator : OffPolicyEstimator<SoftQOptions, SoftQAgent>
{
    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "sql".</summary>
    public const string Name = "sql";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public SoftQEstimator(SoftQOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new SoftQOptions(), callbacks) { }

    /// <inheritdoc/>
    protected override AgentEstimator<SoftQAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new SoftQEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override SoftQAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, SoftQAgent? initialAgent)
    {
        var o = Options;
        int actionCount = QLearning.DiscreteActionCount(environment, Name);
        var rng = new RandomGenerator(o.Seed);

        // Networks, replay and schedule; a warm start continues from the initial agent's Q-network, optimizer, replay
        // buffer and training state (OffPolicyResume).
        var qNetwork = new QNetwork(environment.SingleObservationSpace.FlatSize, actionCount, o.HiddenSizes, dueling: false, rng);
        if (initialAgent is not null) qNetwork.LoadStateDict(initialAgent.QNetwork.StateDict());
        var learning = new QLearning(environment, monitor, o, qNetwork, rng, initialAgent?.ReplayBuffer, Name);
        var agent = new SoftQAgent(qNetwork, environment.SingleObservationSpace, environment.SingleActionSpace, o);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent).
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("q", learning.Optimizer));
        var resumed = initialAgent?.TrainingState;
        if (resumed is not null) learning.Resume(resumed);
        BellmanTarget softTarget = SoftTarget;

        OffPolicyResume.Begin(environment, monitor, resumed, o.Seed, learning.Buffer, ("rng", rng));
        // The agent being trained drops the old state (only now, so a refused resume leaves it as it was): a checkpoint
        // taken mid-fit never pairs new weights with it.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        var losses = new Dictionary<string, double>();
        var actions = learning.Collector.DiscreteActions;
        while (!monitor.ShouldStop)
        {
            // Act: uniformly at random until learning starts (the untrained Q carries no information), then Boltzmann.
            if (monitor.Steps < o.LearningStarts)
                for (int i = 0; i < actions.Length; i++) actions[i] = rng.NextInt(actionCount);
            else
                agent.Act(environment.Observations, actions, deterministic: false, rng);
            learning.Collector.Step();

            // Learn: Huber regressions onto r + γ^m (1 − terminated) (1/β) log Σ_a′ exp(β Q_target(s′, a′)).
            if (learning.Learn(softTarget) is { } result)
            {
                losses = new Dictionary<string, double> { ["q"] = result.Loss, ["mean_q"] = result.MeanQ };
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
    /// <remarks>The producers act uniformly at random until LearningStarts transitions have arrived (counted over the
    /// whole run when resumed from a training state), then sample the Boltzmann policy.</remarks>
    private protected override SoftQAgent FitCore(ExperienceFeed feed, TrainingMonitor monitor, SoftQAgent? initialAgent)
    {
        var o = Options;
        var learning = QLearning.FromSource(feed, monitor, o, dueling: false, new RandomGenerator(o.Seed), initialAgent, Name);
        var agent = new SoftQAgent(learning.Online, feed.ObservationSpace, feed.ActionSpace, o);
        BellmanTarget softTarget = SoftTarget;
        var losses = feed.Run(learning.Buffer, agent, feed.RandomUntil(o.LearningStarts), () => learning.Learn(softTarget) is { } result
                ? (o.GradientSteps, new Dictionary<string, double> { ["q"] = result.Loss, ["mean_q"] = result.MeanQ })
                : null, o.LearningRate);
        learning.KeepStateOn(agent);
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
    }

    /// <summary>y = r + γ^m (1 − terminated) (1/β) log Σ_a′ exp(β Q_target(s′, a′)).</summary>
    private void SoftTarget(ReplayBatch batch, QNetwork online, QNetwork target, Span<float> targets) =>
        ValueTargets.Soft(target.Forward(batch.NextObservations).AsReadOnlySpan(), target.ActionCount, Options.InverseTemperature,
                          batch.Rewards.AsReadOnlySpan(), batch.Discounts.AsReadOnlySpan(), batch.Dones.AsReadOnlySpan(), targets);
}

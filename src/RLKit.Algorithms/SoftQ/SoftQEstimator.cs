using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.SoftQ;

/// <summary>
/// Soft Q-learning for discrete actions: DQN's loop with the max replaced by the soft value. Actions are sampled from
/// the Boltzmann policy π(a|s) ∝ exp(β Q(s, a)), and Q(s, a) regresses (Huber loss) onto
/// r + γ^m (1 − terminated) · (1/β) log Σ_a′ exp(β Q_target(s′, a′)). The soft value adds an entropy bonus of at most
/// log|A| / β per step, so the learned policy is the maximum-entropy optimum at temperature 1/β.
/// </summary>
public sealed class SoftQEstimator : AgentEstimator<SoftQAgent>
{
    internal const string Name = "sql";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public SoftQEstimator(SoftQOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null) : base(callbacks)
    {
        Options = options ?? new SoftQOptions();
        Options.Validate();
    }

    /// <summary>The hyperparameters.</summary>
    public SoftQOptions Options { get; }

    /// <inheritdoc/>
    public override string Algorithm => Name;

    /// <inheritdoc/>
    protected override AgentEstimator<SoftQAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new SoftQEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override SoftQAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, SoftQAgent? initialAgent)
    {
        var o = Options;
        int actionCount = QAgentGuard.DiscreteActionCount(environment, Name);
        int observationSize = environment.SingleObservationSpace.FlatSize;
        var rng = new RandomGenerator(o.Seed);

        var qNetwork = new QNetwork(observationSize, actionCount, o.HiddenSizes, dueling: false, rng);
        if (initialAgent is not null) qNetwork.LoadStateDict(initialAgent.QNetwork.StateDict());
        var targetNetwork = qNetwork.CloneArchitecture(rng);
        var onlineParameters = qNetwork.Parameters().ToList();
        var targetParameters = targetNetwork.Parameters().ToList();
        Polyak.HardUpdate(targetParameters, onlineParameters);
        var optimizer = new Adam(onlineParameters, o.LearningRate);
        var agent = new SoftQAgent(qNetwork, environment.SingleObservationSpace, environment.SingleActionSpace, o.InverseTemperature, o.Seed, o);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent); the agent
        // being trained drops the old state so a checkpoint taken mid-fit never pairs new weights with it.
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("q", optimizer));
        agent.OptimizerState = null;

        var buffer = new ReplayBuffer(observationSize, ActionLayout.Discrete(actionCount), new ReplayBufferOptions
        {
            Capacity = Math.Max(o.BufferSize, environment.Count),
            EnvCount = environment.Count,
            NStep = o.NStep,
            Gamma = o.Gamma,
        });
        var targets = new float[o.BatchSize];
        var collector = new TransitionCollector(environment, observationSize);
        collector.Reset(o.Seed);

        long vectorSteps = 0;
        long stepsSinceTargetUpdate = 0;
        var losses = new Dictionary<string, double>();
        while (!monitor.ShouldStop)
        {
            // Act: uniformly at random until learning starts (the untrained Q carries no information), then Boltzmann.
            if (monitor.Steps < o.LearningStarts)
                for (int i = 0; i < collector.Actions.Length; i++) collector.Actions[i] = rng.NextInt(actionCount);
            else
                agent.Act(environment.Observations, collector.Actions, deterministic: false, rng);
            collector.Step(buffer, monitor);
            vectorSteps++;
            stepsSinceTargetUpdate += environment.Count;

            if (monitor.Steps > o.LearningStarts && vectorSteps % o.TrainFrequency == 0)
            {
                double lossSum = 0, meanQSum = 0;
                for (int g = 0; g < o.GradientSteps; g++)
                {
                    var (loss, meanQ) = GradientStep(qNetwork, targetNetwork, optimizer, buffer, rng, targets);
                    lossSum += loss;
                    meanQSum += meanQ;
                    if (o.Tau < 1f) Polyak.SoftUpdate(targetParameters, onlineParameters, o.Tau);
                }
                losses = new Dictionary<string, double>
                {
                    ["q"] = lossSum / o.GradientSteps,
                    ["mean_q"] = meanQSum / o.GradientSteps,
                };
                monitor.Report(agent, losses, o.LearningRate);
            }

            if (o.Tau >= 1f && stepsSinceTargetUpdate >= o.TargetUpdateInterval && monitor.Steps > o.LearningStarts)
            {
                Polyak.HardUpdate(targetParameters, onlineParameters);
                stepsSinceTargetUpdate = 0;
            }
        }
        agent.OptimizerState = OptimizerStates.Capture(("q", optimizer));
        monitor.Finish(agent, losses, o.LearningRate);
        return agent;
    }

    /// <summary>One Huber-loss regression step onto the soft Bellman target; returns the loss and the mean Q(s, a).</summary>
    private (double Loss, double MeanQ) GradientStep(QNetwork qNetwork, QNetwork targetNetwork, Adam optimizer, ReplayBuffer buffer,
                                                     RandomGenerator rng, float[] targets)
    {
        var o = Options;
        var batch = buffer.Sample(o.BatchSize, rng);
        using var scope = TensorScope.Begin();
        using (GradMode.NoGrad())
        {
            var nextTargetQ = targetNetwork.Forward(batch.NextObservations).AsReadOnlySpan();
            ValueTargets.Soft(nextTargetQ, qNetwork.ActionCount, o.InverseTemperature, batch.Rewards.AsReadOnlySpan(),
                              batch.Discounts.AsReadOnlySpan(), batch.Dones.AsReadOnlySpan(), targets);
        }

        var q = qNetwork.Forward(batch.Observations).Gather(1, batch.ActionIndices).Reshape(o.BatchSize);
        var loss = Functional.SmoothL1Loss(q, Tensor.FromSpan(targets, o.BatchSize));
        optimizer.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(optimizer.Parameters, o.MaxGradNorm);
        optimizer.Step();
        return (loss.Item(), TensorPrimitives.Sum(q.AsReadOnlySpan()) / o.BatchSize);
    }
}

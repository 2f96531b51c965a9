using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Dqn;

/// <summary>
/// Deep Q-Network (Mnih et al. 2015) in the shape of CleanRL's dqn.py: ε-greedy collection into a replay buffer, and
/// every <see cref="DqnOptions.TrainFrequency"/> steps a few Huber-loss regressions of Q(s, a) onto
/// r + γ^m (1 − terminated) max_a′ Q_target(s′, a′), with a periodically synced target network. Double DQN,
/// dueling heads, n-step returns and prioritized replay are switches in <see cref="DqnOptions"/>.
/// </summary>
public sealed class DqnEstimator : AgentEstimator<DqnAgent>
{
    internal const string Name = "dqn";

    /// <summary>Creates the estimator; <paramref name="options"/> are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range (the message names it).</exception>
    public DqnEstimator(DqnOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null) : base(callbacks)
    {
        Options = options ?? new DqnOptions();
        Options.Validate();
    }

    /// <summary>The hyperparameters.</summary>
    public DqnOptions Options { get; }

    /// <inheritdoc/>
    public override string Algorithm => Name;

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
        int actionCount = QAgentGuard.DiscreteActionCount(environment, Name);
        int observationSize = environment.SingleObservationSpace.FlatSize;
        var rng = new RandomGenerator(o.Seed);

        // Networks: the online Q-network, and a target network that lags behind it so the regression target does not
        // chase its own updates.
        var qNetwork = new QNetwork(observationSize, actionCount, o.HiddenSizes, o.Dueling, rng);
        if (initialAgent is not null) qNetwork.LoadStateDict(initialAgent.QNetwork.StateDict());
        var targetNetwork = qNetwork.CloneArchitecture(rng);
        var onlineParameters = qNetwork.Parameters().ToList();
        var targetParameters = targetNetwork.Parameters().ToList();
        Polyak.HardUpdate(targetParameters, onlineParameters);
        var optimizer = new Adam(onlineParameters, o.LearningRate);
        var agent = new DqnAgent(qNetwork, environment.SingleObservationSpace, environment.SingleActionSpace, o.ExplorationFinalEpsilon, o.Seed, o);
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
            Prioritized = o.Prioritized,
        });
        var targets = new float[o.BatchSize];
        var tdErrors = new float[o.BatchSize];
        var collector = new TransitionCollector(environment, observationSize);
        collector.Reset(o.Seed);

        long vectorSteps = 0;
        long stepsSinceTargetUpdate = 0;
        var losses = new Dictionary<string, double>();
        while (!monitor.ShouldStop)
        {
            // Act: ε-greedy on the online network.
            float epsilon = Epsilon(o, monitor.Progress);
            agent.ActEpsilonGreedy(environment.Observations, collector.Actions, epsilon, rng);
            collector.Step(buffer, monitor);
            vectorSteps++;
            stepsSinceTargetUpdate += environment.Count;

            if (monitor.Steps > o.LearningStarts && vectorSteps % o.TrainFrequency == 0)
            {
                double lossSum = 0, meanQSum = 0;
                for (int g = 0; g < o.GradientSteps; g++)
                {
                    var (loss, meanQ) = GradientStep(qNetwork, targetNetwork, optimizer, buffer, rng, targets, tdErrors);
                    lossSum += loss;
                    meanQSum += meanQ;
                    if (o.Tau < 1f) Polyak.SoftUpdate(targetParameters, onlineParameters, o.Tau);
                }
                losses = new Dictionary<string, double>
                {
                    ["q"] = lossSum / o.GradientSteps,
                    ["epsilon"] = epsilon,
                    ["mean_q"] = meanQSum / o.GradientSteps,
                };
                monitor.Report(agent, losses, o.LearningRate);
            }

            // Hard target sync every TargetUpdateInterval environment steps (Polyak averaging happens per gradient step).
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

    /// <summary>One Huber-loss regression step on a sampled batch; returns the loss and the mean Q(s, a).</summary>
    internal (double Loss, double MeanQ) GradientStep(QNetwork qNetwork, QNetwork targetNetwork, Adam optimizer, ReplayBuffer buffer,
                                                     RandomGenerator rng, float[] targets, float[] tdErrors)
    {
        var o = Options;
        var batch = buffer.Sample(o.BatchSize, rng);
        int actionCount = qNetwork.ActionCount;
        using var scope = TensorScope.Begin();

        // Targets y = r + γ^m (1 − terminated) V_target(s′), outside autograd.
        using (GradMode.NoGrad())
        {
            var nextTargetQ = targetNetwork.Forward(batch.NextObservations).AsReadOnlySpan();
            var nextOnlineQ = o.DoubleDqn ? qNetwork.Forward(batch.NextObservations).AsReadOnlySpan() : default;
            ValueTargets.Dqn(nextTargetQ, nextOnlineQ, actionCount, batch.Rewards.AsReadOnlySpan(), batch.Discounts.AsReadOnlySpan(),
                             batch.Dones.AsReadOnlySpan(), targets);
        }

        var q = qNetwork.Forward(batch.Observations).Gather(1, batch.ActionIndices).Reshape(o.BatchSize);
        var target = Tensor.FromSpan(targets, o.BatchSize);
        Tensor loss;
        if (buffer.IsPrioritized)
        {
            // Importance weights undo the bias of sampling by priority; new priorities are the fresh TD errors.
            loss = (Functional.SmoothL1Loss(q, target, reduction: Reduction.None) * batch.Weights).Mean();
            var qSpan = q.AsReadOnlySpan();
            for (int b = 0; b < tdErrors.Length; b++) tdErrors[b] = targets[b] - qSpan[b];
            buffer.UpdatePriorities(batch.Indices, tdErrors);
        }
        else
        {
            loss = Functional.SmoothL1Loss(q, target);
        }

        optimizer.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(optimizer.Parameters, o.MaxGradNorm);
        optimizer.Step();
        return (loss.Item(), TensorPrimitives.Sum(q.AsReadOnlySpan()) / o.BatchSize);
    }
}

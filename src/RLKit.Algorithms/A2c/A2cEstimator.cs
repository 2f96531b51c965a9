using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.A2c;

/// <summary>
/// Synchronous advantage actor-critic (A2C), with Stable-Baselines3 / CleanRL semantics: every
/// <see cref="A2cOptions.StepsPerUpdate"/> vector steps, one gradient step on
/// −A·log π(a|s) + c_v·(V(s) − R)² − c_e·H[π(·|s)] over the whole rollout, where R and A are n-step (λ = 1) or GAE
/// returns and advantages.
/// </summary>
/// <remarks>
/// Collection uses SameStep autoreset: a truncated step (time limit) bootstraps from the critic's value of the
/// episode's true final observation, a terminated step does not bootstrap. Continuous actions are sampled from a
/// diagonal Gaussian, stored unclipped (so their log-probability is exact) and clipped to the action box only when
/// sent to the environment.
/// </remarks>
public sealed class A2cEstimator : AlgorithmEstimator<A2cOptions, A2cAgent>, ISharedFeatureEstimator<A2cEstimator>
{
    /// <summary>Creates an A2C estimator.</summary>
    /// <param name="options">Hyperparameters; null for the defaults.</param>
    /// <param name="callbacks">Callbacks run after each update.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public A2cEstimator(A2cOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new A2cOptions(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "a2c".</summary>
    public const string Name = "a2c";

    /// <inheritdoc/>
    SharedFeatureOptions? ISharedFeatureEstimator<A2cEstimator>.SharedFeatures => Options.SharedFeatures;

    /// <inheritdoc/>
    A2cEstimator ISharedFeatureEstimator<A2cEstimator>.WithSharedFeatures(SharedFeatureOptions sharedFeatures) =>
        new(Options with { SharedFeatures = sharedFeatures }, Callbacks);

    /// <inheritdoc/>
    protected override AgentEstimator<A2cAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new A2cEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override A2cAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, A2cAgent? initialAgent)
    {
        var options = Options;
        var rng = new RandomGenerator(options.Seed);
        var agent = initialAgent ?? new A2cAgent(environment.SingleObservationSpace, environment.SingleActionSpace, options, rng.Split());
        agent.RequireCompatible(environment);
        var sampling = rng.Split();

        var collector = new RolloutCollector(environment, agent.Network, monitor, sampling) { Epsilon = options.ExplorationEpsilon };
        var buffer = collector.CreateBuffer(options.StepsPerUpdate);
        var optimizer = CreateOptimizer(agent.Parameters, options);
        var objective = new SharedFeatureObjective(agent.Network);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent); the agent
        // being trained drops the old state so a checkpoint taken mid-fit never pairs new weights with it.
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("network", optimizer));
        agent.OptimizerState = null;
        var lastValues = new float[environment.Count];
        var losses = new Dictionary<string, double> { ["policy"] = 0, ["value"] = 0, ["entropy"] = 0 };

        monitor.ResetEnvironment(environment, options.Seed);
        while (!monitor.ShouldStop)
        {
            // The rate is set before collecting, as PPO does: after the rollout that spends the budget, progress is 1
            // and a linearly decayed rate would be 0, which the optimizer rightly refuses.
            if (options.LinearLearningRateDecay)
                optimizer.LearningRate = (float)(options.LearningRate * (1 - monitor.Progress));

            // 1. Collect StepsPerUpdate steps of every environment with the current policy (or up to an episode end).
            buffer.Reset();
            while (!buffer.IsFull && !monitor.ShouldStop)
            {
                var step = collector.Step(buffer);
                int finished = 0;
                for (int e = 0; e < step.Rewards.Length; e++) if (step.Done(e)) finished++;
                for (int i = 0; i < finished; i++) collector.Epsilon *= options.ExplorationEpsilonDecay;
                if (finished > 0 && options.UpdateAtEpisodeEnd) break;
            }
            // A budget spent mid-rollout still trains on the partial rollout; cancellation skips the update.
            if (buffer.Position == 0 || monitor.IsCancellationRequested) break;

            // 2. Returns and advantages, bootstrapping from V of the observation after the rollout.
            using (var scope = TensorScope.Begin())
            {
                agent.Values(environment.Observations, lastValues, environment.ActionMasks);
            }
            buffer.ComputeReturnsAndAdvantages(lastValues, options.Gamma, options.GaeLambda);

            // 3. One gradient step on the whole rollout.
            using (var scope = TensorScope.Begin())
            {
                foreach (var batch in buffer.Minibatches(buffer.Count, sampling, options.NormalizeAdvantages))
                    Update(agent, optimizer, objective, batch, options, losses);
            }
            objective.AfterUpdate();
            monitor.Report(agent, losses, optimizer.LearningRate);
        }
        agent.OptimizerState = OptimizerStates.Capture(("network", optimizer));
        monitor.Finish(agent, losses, optimizer.LearningRate);
        return agent;
    }

    /// <summary>
    /// The A2C loss on one batch and one optimizer step: policy −mean(A·log π(a|s)), value mean((V(s) − R)²) (or smooth
    /// L1), entropy mean(H); total = policy + c_v·value − c_e·entropy, plus the Mix &amp; Mask terms when the network has
    /// them (see <see cref="SharedFeatureObjective"/>). Writes the parts into <paramref name="losses"/>.
    /// </summary>
    internal static void Update(A2cAgent agent, Optimizer optimizer, SharedFeatureObjective objective, RolloutMinibatch batch, A2cOptions options,
                                Dictionary<string, double> losses)
    {
        var (logProb, entropy, value) = agent.Evaluate(batch);
        var policyLoss = -(batch.Advantages * logProb).Mean();
        var valueLoss = options.ValueLoss == ValueLossKind.SmoothL1
            ? Functional.SmoothL1Loss(value, batch.Returns)
            : Functional.MseLoss(value, batch.Returns);
        var entropyMean = entropy.Mean();

        optimizer.ZeroGrad();
        objective.Backward(policyLoss, valueLoss * options.ValueCoefficient, entropyMean * -options.EntropyCoefficient, batch.Observations, losses);
        if (float.IsFinite(options.MaxGradNorm)) GradClip.ClipGradNorm(optimizer.Parameters, options.MaxGradNorm);
        optimizer.Step();
        objective.AfterStep();

        losses["policy"] = policyLoss.Item();
        losses["value"] = valueLoss.Item();
        losses["entropy"] = entropyMean.Item();
    }

    /// <summary>The optimizer the options name, over <paramref name="parameters"/>.</summary>
    internal static Optimizer CreateOptimizer(IEnumerable<Tensor> parameters, A2cOptions options) => options.Optimizer switch
    {
        A2cOptimizer.Adam => new Adam(parameters, options.LearningRate, epsilon: 1e-5f),
        _ => new RmsProp(parameters, options.LearningRate, alpha: options.RmsPropAlpha, epsilon: options.RmsPropEpsilon),
    };
}

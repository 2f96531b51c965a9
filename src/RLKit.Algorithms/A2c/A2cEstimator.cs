using RLKit.Algorithms.MixMask;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
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
public sealed class A2cEstimator : AgentEstimator<A2cAgent>, ISharedFeatureEstimator<A2cEstimator>
{
    /// <summary>Creates an A2C estimator.</summary>
    /// <param name="options">Hyperparameters; null for the defaults.</param>
    /// <param name="callbacks">Callbacks run after each update.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public A2cEstimator(A2cOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null) : base(callbacks)
    {
        Options = options ?? new A2cOptions();
        Options.Validate();
    }

    /// <summary>The hyperparameters.</summary>
    public A2cOptions Options { get; }

    /// <inheritdoc/>
    public override string Algorithm => A2cAgent.AlgorithmName;

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

        int envCount = environment.Count;
        int observationSize = agent.ObservationSize;
        bool discrete = agent.IsDiscrete;
        int actionSize = agent.ActionSize;
        var buffer = new RolloutBuffer(options.StepsPerUpdate, envCount, observationSize,
                                       discrete ? ActionLayout.Discrete(actionSize) : ActionLayout.Continuous(actionSize));
        var optimizer = CreateOptimizer(agent.Parameters, options);
        var objective = new SharedFeatureObjective(agent.Network);
        float epsilon = options.ExplorationEpsilon;
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent); the agent
        // being trained drops the old state so a checkpoint taken mid-fit never pairs new weights with it.
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("network", optimizer));
        agent.OptimizerState = null;

        // Per-step staging, allocated once: the observation before the step (the env overwrites its tensor), the
        // chosen actions, and the critic's outputs.
        var observations = new float[envCount * observationSize];
        var discreteActions = discrete ? new int[envCount] : [];
        var continuousActions = discrete ? [] : new float[envCount * actionSize];
        var clippedActions = discrete ? [] : new float[envCount * actionSize];
        var logProbs = new float[envCount];
        var values = new float[envCount];
        var finalValues = new float[envCount];
        var lastValues = new float[envCount];
        var losses = new Dictionary<string, double> { ["policy"] = 0, ["value"] = 0, ["entropy"] = 0 };

        environment.Reset(options.Seed);
        while (!monitor.ShouldStop)
        {
            // 1. Collect StepsPerUpdate steps of every environment with the current policy.
            buffer.Reset();
            while (!buffer.IsFull && !monitor.ShouldStop)
            {
                using var scope = TensorScope.Begin();
                var current = environment.Observations;
                current.AsReadOnlySpan().CopyTo(observations);
                VectorStepResult step;
                if (discrete)
                {
                    agent.SampleDiscrete(current, discreteActions, logProbs, values, sampling, epsilon);
                    step = environment.Step(discreteActions);
                    FinalValues(agent, step, finalValues);
                    buffer.Add(observations, discreteActions, logProbs, values, step.Rewards, step.Terminated, step.Truncated, finalValues);
                }
                else
                {
                    agent.SampleContinuous(current, continuousActions, logProbs, values, sampling);
                    continuousActions.CopyTo(clippedActions, 0);
                    agent.ClipToActionSpace(clippedActions);
                    step = environment.Step(clippedActions);
                    FinalValues(agent, step, finalValues);
                    buffer.Add(observations, continuousActions, logProbs, values, step.Rewards, step.Terminated, step.Truncated, finalValues);
                }
                monitor.RecordStep(step.Rewards, step.Terminated, step.Truncated);
                int finished = 0;
                for (int e = 0; e < envCount; e++) if (step.Terminated[e] || step.Truncated[e]) finished++;
                for (int i = 0; i < finished; i++) epsilon *= options.ExplorationEpsilonDecay;
                if (finished > 0 && options.UpdateAtEpisodeEnd) break;
            }
            if (buffer.Position == 0) break;

            // 2. Returns and advantages, bootstrapping from V of the observation after the rollout.
            using (var scope = TensorScope.Begin())
            {
                agent.Values(environment.Observations, lastValues);
            }
            buffer.ComputeReturnsAndAdvantages(lastValues, options.Gamma, options.GaeLambda);

            // 3. One gradient step on the whole rollout.
            if (options.LinearLearningRateDecay)
                optimizer.LearningRate = (float)(options.LearningRate * (1 - monitor.Progress));
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

    /// <summary>V(final observation) of every environment whose episode was truncated in this step (0 elsewhere).</summary>
    internal static void FinalValues(A2cAgent agent, VectorStepResult step, Span<float> finalValues)
    {
        finalValues.Clear();
        bool anyTruncated = false;
        for (int e = 0; e < finalValues.Length; e++) anyTruncated |= step.Truncated[e] && !step.Terminated[e];
        if (!anyTruncated) return;
        // Rows of environments that did not end hold stale observations; their values are computed but never read.
        agent.Values(step.FinalObservations!, finalValues);
    }
}

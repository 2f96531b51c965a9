using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Autograd;
using RLKit.Environments.Vector;
using RLKit.Optim;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Ppo;

/// <summary>
/// Proximal policy optimisation (PPO-Clip; Schulman et al. 2017), read top to bottom like CleanRL's <c>ppo.py</c>:
/// collect a rollout of <see cref="PpoOptions.StepsPerEnvironment"/> steps from every environment, compute GAE
/// advantages (truncated episodes bootstrap from the value of their final observation), then run
/// <see cref="PpoOptions.Epochs"/> epochs of shuffled minibatches on the clipped surrogate, value and entropy losses.
/// Works with Discrete, ActionSet (masked by the environment's <c>ActionMasks</c>) and one-dimensional Box actions.
/// </summary>
/// <remarks>
/// Each update reports the losses "policy", "value", "entropy", "approx_kl" and "clip_fraction" (means over the
/// minibatches run) and the learning rate. A rollout cut short by the budget or cancellation is not trained on.
/// Cancellation is checked before every minibatch: it stops the update there, unreported, and the agent keeps the
/// minibatch steps already taken; a budget spent during the rollout lets its update finish.
/// </remarks>
public sealed class PpoEstimator : AlgorithmEstimator<PpoOptions, PpoAgent>, ISharedFeatureEstimator<PpoEstimator>
{
    /// <summary>Creates the estimator; the options are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it and its range).</exception>
    public PpoEstimator(PpoOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new PpoOptions(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "ppo".</summary>
    public const string Name = "ppo";

    /// <inheritdoc/>
    SharedFeatureOptions? ISharedFeatureEstimator<PpoEstimator>.SharedFeatures => Options.SharedFeatures;

    /// <inheritdoc/>
    PpoEstimator ISharedFeatureEstimator<PpoEstimator>.WithSharedFeatures(SharedFeatureOptions sharedFeatures) =>
        new(Options with { SharedFeatures = sharedFeatures }, Callbacks);

    /// <inheritdoc/>
    protected override AgentEstimator<PpoAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new PpoEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override PpoAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, PpoAgent? initialAgent)
    {
        var o = Options;
        var rng = new RandomGenerator(o.Seed);
        var agent = initialAgent ?? new PpoAgent(environment.SingleObservationSpace, environment.SingleActionSpace, o, rng.Split());
        agent.RequireCompatible(environment);
        var net = agent.Network;
        var collector = new RolloutCollector(environment, net, monitor, sampling: rng.Split());
        var shuffling = rng.Split();
        var buffer = collector.CreateBuffer(o.StepsPerEnvironment);
        int minibatchSize = Math.Min(o.MinibatchSize, buffer.StepCount * buffer.EnvCount);

        var optimizer = new Adam(net.Parameters(), o.LearningRate, epsilon: 1e-5f);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent); the agent
        // being trained drops the old state so a checkpoint taken mid-fit never pairs new weights with it.
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("network", optimizer));
        agent.OptimizerState = null;
        var parameters = optimizer.Parameters;
        var objective = new SharedFeatureObjective(net);
        var losses = new Dictionary<string, double>();
        float learningRate = o.LearningRate;
        monitor.ResetEnvironment(environment, o.Seed);

        while (!monitor.ShouldStop)
        {
            // 1. Anneal the learning rate (and, when asked, the clip range) linearly over the budget.
            learningRate = o.LinearLearningRateDecay ? (float)(o.LearningRate * (1 - monitor.Progress)) : o.LearningRate;
            optimizer.LearningRate = Math.Max(learningRate, 0f);
            float clipRange = o.LinearClipRangeDecay ? Math.Max((float)(o.ClipRange * (1 - monitor.Progress)), 0f) : o.ClipRange;

            // 2. Collect a rollout with the current policy.
            buffer.Reset();
            while (!buffer.IsFull && !monitor.ShouldStop) collector.Step(buffer);
            if (!buffer.IsFull) break; // the budget ran out or training was cancelled mid-rollout

            // 3. Generalised advantage estimation, bootstrapping from V(s_T).
            using (TensorScope.Begin())
            using (GradMode.NoGrad())
                buffer.ComputeReturnsAndAdvantages(net.Value(environment.Observations, environment.ActionMasks).AsSpan(), o.Gamma, o.GaeLambda);

            // 4. Optimise the clipped surrogate for some epochs of shuffled minibatches.
            double policySum = 0, valueSum = 0, entropySum = 0, klSum = 0, clipSum = 0;
            int minibatches = 0;
            bool klStop = false;
            for (int epoch = 0; epoch < o.Epochs && !klStop && !monitor.IsCancellationRequested; epoch++)
            {
                foreach (var batch in buffer.Minibatches(minibatchSize, shuffling, o.NormalizeAdvantages))
                {
                    if (monitor.IsCancellationRequested) break; // cancellation cuts the update short between minibatches
                    using var scope = TensorScope.Begin();
                    var (policy, value) = net.Forward(batch.Observations, batch.ActionMasks);
                    var newLogProbs = collector.Layout.IsDiscrete ? policy.LogProb(batch.ActionIndices) : policy.LogProb(batch.Actions);
                    var logRatio = newLogProbs - batch.OldLogProbs;
                    var (approxKl, clipFraction) = PpoLoss.Diagnostics(logRatio.AsSpan(), clipRange);
                    if (o.TargetKl is { } targetKl && approxKl > 1.5 * targetKl)
                    {
                        klStop = true; // SB3: stop before a step that would move the policy too far
                        break;
                    }

                    var policyLoss = PpoLoss.ClippedSurrogate(logRatio.Exp(), batch.Advantages, clipRange);
                    var valueLoss = PpoLoss.Value(value, batch.Returns, batch.OldValues, o.ValueClipRange);
                    var entropy = policy.Entropy().Mean();

                    optimizer.ZeroGrad();
                    objective.Backward(policyLoss, valueLoss * o.ValueCoefficient, entropy * -o.EntropyCoefficient, batch.Observations, losses);
                    if (float.IsFinite(o.MaxGradNorm)) GradClip.ClipGradNorm(parameters, o.MaxGradNorm);
                    optimizer.Step();
                    objective.AfterStep();

                    policySum += policyLoss.Item();
                    valueSum += valueLoss.Item();
                    entropySum += entropy.Item();
                    klSum += approxKl;
                    clipSum += clipFraction;
                    minibatches++;
                }
            }
            if (monitor.IsCancellationRequested) break; // an interrupted update is not reported

            objective.AfterUpdate();

            // 5. Report (the Mix & Mask terms, when present, as of the last minibatch).
            int m = Math.Max(minibatches, 1);
            losses["policy"] = policySum / m;
            losses["value"] = valueSum / m;
            losses["entropy"] = entropySum / m;
            losses["approx_kl"] = klSum / m;
            losses["clip_fraction"] = clipSum / m;
            monitor.Report(agent, losses, learningRate);
        }
        agent.OptimizerState = OptimizerStates.Capture(("network", optimizer));
        monitor.Finish(agent, losses, learningRate);
        return agent;
    }
}

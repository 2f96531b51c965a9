using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Distributions;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// Discrete-action SAC (Christodoulou 2019) in the shape of CleanRL's <c>sac_atari.py</c>. With π(·|s) known in
/// full, every expectation is exact: V(s′) = Σₐ π(a|s′)(min Q′(s′, a) − α log π(a|s′)); the actor minimises
/// Σₐ π(a|s)(α log π(a|s) − min Q(s, a)); α follows −α·Σₐ π(a|s)(log π(a|s) + H̄) with H̄ = −scale·log(1/|A|).
/// Losses reported per update: "critic", "actor", "alpha", "entropy".
/// </summary>
public sealed class DiscreteSacEstimator : AlgorithmEstimator<DiscreteSacOptions, DiscreteSacAgent>
{
    /// <summary>Creates the estimator; the options are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range (the message names it).</exception>
    public DiscreteSacEstimator(DiscreteSacOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new DiscreteSacOptions(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "sac-discrete".</summary>
    public const string Name = "sac-discrete";

    /// <inheritdoc/>
    protected override AgentEstimator<DiscreteSacAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) =>
        new DiscreteSacEstimator(Options, callbacks);

    /// <summary>The target entropy −scale·log(1/|A|) = scale·log|A|.</summary>
    internal static float TargetEntropy(int actionCount, float scale) => -scale * MathF.Log(1f / actionCount);

    /// <inheritdoc/>
    protected override DiscreteSacAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, DiscreteSacAgent? initialAgent)
    {
        var o = Options;
        var actionSpace = environment.SingleActionSpace as Discrete
            ?? throw new ArgumentException($"sac-discrete needs a Discrete action space, got {environment.SingleActionSpace.Description}.", nameof(environment));
        int envCount = environment.Count;
        int observationSize = environment.SingleObservationSpace.FlatSize;
        int actionCount = actionSpace.N;
        var rng = new RandomGenerator(o.Seed);

        var agent = initialAgent ?? DiscreteSacAgent.Create(environment.SingleObservationSpace, actionSpace, o, rng);
        int[] sizes = [observationSize, .. o.HiddenSizes, actionCount];
        var (actor, q1, q2, logAlpha) = (agent.Actor, agent.Q1, agent.Q2, agent.LogAlpha);
        var q1Target = new Mlp(sizes, rng);
        var q2Target = new Mlp(sizes, rng);
        q1Target.CopyFrom(q1);
        q2Target.CopyFrom(q2);
        var criticOptimizer = new Adam(q1.Parameters().Concat(q2.Parameters()), o.QLearningRate, epsilon: o.AdamEpsilon);
        var actorOptimizer = new Adam(actor.Parameters(), o.PolicyLearningRate, epsilon: o.AdamEpsilon);
        var alphaOptimizer = new Adam([logAlpha], o.QLearningRate, epsilon: o.AdamEpsilon);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent).
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("actor", actorOptimizer), ("critic", criticOptimizer), ("alpha", alphaOptimizer));
        // A warm start also continues the replay buffer, the counters, the generator and the targets (OffPolicyResume).
        var resumed = agent.TrainingState;
        (string, Module)[] targets = [("q1_target", q1Target), ("q2_target", q2Target)];
        long vectorSteps = resumed?.Counter("vector_steps") ?? 0;
        OffPolicyResume.LoadNetworks(resumed, targets);
        float targetEntropy = TargetEntropy(actionCount, o.TargetEntropyScale);

        var buffer = OffPolicyResume.Buffer(agent.ReplayBuffer, observationSize, ActionLayout.Discrete(actionCount),
            new ReplayBufferOptions { Capacity = o.BufferSize, EnvCount = envCount, Gamma = o.Gamma }, Name);

        var collector = new TransitionCollector(environment, buffer, monitor);
        var actionIndices = collector.DiscreteActions;
        OffPolicyResume.Begin(environment, monitor, resumed, o.Seed, buffer, ("rng", rng));
        // The agent being trained drops the old state (only now, so a refused resume leaves it as it was): a checkpoint
        // taken mid-fit never pairs new weights with it.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();

        while (!monitor.ShouldStop)
        {
            // Act: uniform random until learning starts, then sample the categorical policy.
            if (monitor.Steps < o.LearningStarts)
            {
                for (int i = 0; i < envCount; i++) actionIndices[i] = rng.NextInt(actionCount);
            }
            else
            {
                using var actScope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                new Categorical(actor.Forward(AgentActing.Flat(environment.Observations))).Sample(rng).CopyTo(actionIndices, 0);
            }
            collector.Step();
            vectorSteps++;

            if (monitor.Steps <= o.LearningStarts) continue;

            if (vectorSteps % o.UpdateFrequency == 0)
            {
                if (monitor.IsCancellationRequested) break; // no gradient step starts once cancelled
                using var scope = TensorScope.Begin();
                var batch = buffer.Sample(o.BatchSize, rng);
                float alpha = MathF.Exp(logAlpha.AsReadOnlySpan()[0]);

                // Critics: regress Q(s, a) on r + γ(1 − terminated)·Σₐ′ π(a′|s′)(min Q′(s′, a′) − α log π(a′|s′)).
                Tensor target;
                using (GradMode.NoGrad())
                {
                    var nextLogProbs = actor.Forward(batch.NextObservations).LogSoftmax(1);
                    var minNextQ = Tensor.Minimum(q1Target.Forward(batch.NextObservations), q2Target.Forward(batch.NextObservations));
                    var softValue = (nextLogProbs.Exp() * (minNextQ - nextLogProbs * alpha)).Sum(1);
                    target = batch.Rewards + batch.Discounts * (1f - batch.Dones) * softValue;
                }
                var criticLoss = Functional.MseLoss(q1.Forward(batch.Observations).Gather(1, batch.ActionIndices).Reshape(batch.Size), target)
                               + Functional.MseLoss(q2.Forward(batch.Observations).Gather(1, batch.ActionIndices).Reshape(batch.Size), target);
                criticOptimizer.ZeroGrad();
                criticLoss.Backward();
                criticOptimizer.Step();
                if (monitor.IsCancellationRequested) break; // no actor step after cancellation, and no report

                // Actor: the expectation over all actions replaces the reparameterised sample.
                var logProbs = actor.Forward(batch.Observations).LogSoftmax(1);
                var probs = logProbs.Exp();
                Tensor minQ;
                using (GradMode.NoGrad())
                    minQ = Tensor.Minimum(q1.Forward(batch.Observations), q2.Forward(batch.Observations));
                var policyLoss = (probs * (logProbs * alpha - minQ)).Sum(1).Mean();
                actorOptimizer.ZeroGrad();
                policyLoss.Backward();
                actorOptimizer.Step();
                var entropy = -(probs.Detach() * logProbs.Detach()).Sum(1);

                double alphaLossValue = double.NaN;
                if (o.AutoTuneAlpha)
                {
                    // Σₐ π log π = −H(π) per row: the temperature loss on the exact expectation.
                    var temperatureLoss = OffPolicyHelpers.TemperatureLoss(logAlpha, -entropy, targetEntropy);
                    alphaOptimizer.ZeroGrad();
                    temperatureLoss.Backward();
                    alphaOptimizer.Step();
                    alphaLossValue = temperatureLoss.Item();
                }

                losses = new Dictionary<string, double>
                {
                    ["critic"] = criticLoss.Item(), ["actor"] = policyLoss.Item(), ["alpha"] = alphaLossValue,
                    ["alpha_value"] = MathF.Exp(logAlpha.AsReadOnlySpan()[0]), ["entropy"] = entropy.Mean().Item(),
                };
                monitor.Report(agent, losses, o.PolicyLearningRate);
            }

            if (vectorSteps % o.TargetNetworkFrequency == 0)
            {
                OffPolicyHelpers.SoftUpdate(q1Target, q1, o.Tau);
                OffPolicyHelpers.SoftUpdate(q2Target, q2, o.Tau);
            }
        }

        agent.OptimizerState = OptimizerStates.Capture(("actor", actorOptimizer), ("critic", criticOptimizer), ("alpha", alphaOptimizer));
        agent.TrainingState = OffPolicyResume.Capture(monitor, environment, [("vector_steps", vectorSteps)], [("rng", rng)], targets);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, o.PolicyLearningRate);
        return agent;
    }
}

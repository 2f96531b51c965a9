using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// Soft Actor-Critic for Box actions, following CleanRL's <c>sac_continuous_action.py</c>: a squashed Gaussian actor,
/// twin Q critics with Polyak-averaged targets, automatic entropy tuning, and one gradient step per vector step once
/// <see cref="SacOptions.LearningStarts"/> random steps are stored. Truncated transitions bootstrap (the replay batch's
/// Dones mark termination only). Losses reported per update: "critic", "actor", "alpha", "entropy".
/// </summary>
public sealed class SacEstimator : AlgorithmEstimator<SacOptions, SacAgent>
{
    /// <summary>Creates the estimator; the options are validated here.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is outside its range (the message names it).</exception>
    public SacEstimator(SacOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new SacOptions(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "sac".</summary>
    public const string Name = "sac";

    /// <inheritdoc/>
    protected override AgentEstimator<SacAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new SacEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override SacAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, SacAgent? initialAgent)
    {
        var o = Options;
        var actionSpace = environment.SingleActionSpace as Box
            ?? throw new ArgumentException($"sac needs a Box action space, got {environment.SingleActionSpace.Description}.", nameof(environment));
        int envCount = environment.Count;
        int observationSize = environment.SingleObservationSpace.FlatSize;
        int actionSize = actionSpace.FlatSize;
        var rng = new RandomGenerator(o.Seed);

        // Networks: the actor, twin critics and their targets; a warm start continues from the given agent's weights,
        // optimizers, replay buffer and training state (OffPolicyResume).
        var agent = initialAgent ?? SacAgent.Create(environment.SingleObservationSpace, actionSpace, o, rng);
        var (actor, q1, q2, logAlpha) = (agent.Actor, agent.Q1, agent.Q2, agent.LogAlpha);
        var q1Target = q1.CloneAsTarget(rng);
        var q2Target = q2.CloneAsTarget(rng);
        var criticOptimizer = new Adam(q1.Parameters().Concat(q2.Parameters()), o.QLearningRate);
        var actorOptimizer = new Adam(actor.Parameters(), o.PolicyLearningRate);
        var alphaOptimizer = new Adam([logAlpha], o.QLearningRate);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent).
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("actor", actorOptimizer), ("critic", criticOptimizer), ("alpha", alphaOptimizer));
        var resumed = agent.TrainingState;
        (string, Module)[] targets = [("q1_target", q1Target), ("q2_target", q2Target)];
        long updates = resumed?.Counter("updates") ?? 0;
        OffPolicyResume.LoadNetworks(resumed, targets);
        float targetEntropy = o.TargetEntropy ?? -actionSize;

        var buffer = OffPolicyResume.Buffer(agent.ReplayBuffer, observationSize, ActionLayout.Continuous(actionSize),
            new ReplayBufferOptions { Capacity = o.BufferSize, EnvCount = envCount, Gamma = o.Gamma }, Name);

        var collector = new TransitionCollector(environment, buffer, monitor);
        var actions = collector.ContinuousActions;
        OffPolicyResume.Begin(environment, monitor, resumed, o.Seed, buffer, ("rng", rng));
        // The agent being trained drops the old state (only now, so a refused resume leaves it as it was): a checkpoint
        // taken mid-fit never pairs new weights with it.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();
        double actorLoss = double.NaN, alphaLoss = double.NaN, entropy = double.NaN;

        while (!monitor.ShouldStop)
        {
            // Act: uniform random actions until learning starts, then samples from the squashed Gaussian.
            if (monitor.Steps < o.LearningStarts)
            {
                for (int i = 0; i < envCount; i++) actionSpace.Sample(rng, actions.AsSpan(i * actionSize, actionSize));
            }
            else
            {
                using var actScope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                var (sampled, _) = actor.Sample(AgentActing.Flat(environment.Observations), Tensor.RandomNormal(rng, [envCount, actionSize]));
                sampled.AsReadOnlySpan().CopyTo(actions);
            }

            collector.Step();

            if (monitor.Steps <= o.LearningStarts) continue;
            if (monitor.IsCancellationRequested) break; // no gradient step starts once cancelled

            // Learn: one critic step per vector step.
            updates++;
            using var scope = TensorScope.Begin();
            var batch = buffer.Sample(o.BatchSize, rng);
            float alpha = MathF.Exp(logAlpha.AsReadOnlySpan()[0]);
            Tensor target;
            using (GradMode.NoGrad())
            {
                var (nextActions, nextLogProbs) = actor.Sample(batch.NextObservations, Tensor.RandomNormal(rng, [batch.Size, actionSize]));
                var softNextQ = Tensor.Minimum(q1Target.Forward(batch.NextObservations, nextActions), q2Target.Forward(batch.NextObservations, nextActions))
                                - nextLogProbs * alpha;
                target = batch.Rewards + batch.Discounts * (1f - batch.Dones) * softNextQ;
            }
            var criticLoss = Functional.MseLoss(q1.Forward(batch.Observations, batch.Actions), target)
                           + Functional.MseLoss(q2.Forward(batch.Observations, batch.Actions), target);
            criticOptimizer.ZeroGrad();
            criticLoss.Backward();
            criticOptimizer.Step();

            // Delayed actor (and α) updates, compensated by doing PolicyFrequency of them at once (CleanRL).
            if (updates % o.PolicyFrequency == 0)
            {
                for (int k = 0; k < o.PolicyFrequency && !monitor.IsCancellationRequested; k++)
                {
                    var (policyActions, logProbs) = actor.Sample(batch.Observations, Tensor.RandomNormal(rng, [batch.Size, actionSize]));
                    var minQ = Tensor.Minimum(q1.Forward(batch.Observations, policyActions), q2.Forward(batch.Observations, policyActions));
                    var policyLoss = (logProbs * alpha - minQ).Mean();
                    actorOptimizer.ZeroGrad();
                    policyLoss.Backward();
                    actorOptimizer.Step();
                    actorLoss = policyLoss.Item();
                    entropy = -logProbs.Detach().Mean().Item();

                    if (o.AutoTuneAlpha)
                    {
                        var temperatureLoss = OffPolicyHelpers.TemperatureLoss(logAlpha, logProbs, targetEntropy);
                        alphaOptimizer.ZeroGrad();
                        temperatureLoss.Backward();
                        alphaOptimizer.Step();
                        alpha = MathF.Exp(logAlpha.AsReadOnlySpan()[0]);
                        alphaLoss = temperatureLoss.Item();
                    }
                }
            }

            if (monitor.IsCancellationRequested) break; // an interrupted update is not reported

            if (updates % o.TargetNetworkFrequency == 0)
            {
                OffPolicyHelpers.SoftUpdate(q1Target, q1, o.Tau);
                OffPolicyHelpers.SoftUpdate(q2Target, q2, o.Tau);
            }

            losses = new Dictionary<string, double>
            {
                ["critic"] = criticLoss.Item(), ["actor"] = actorLoss, ["alpha"] = alphaLoss, ["alpha_value"] = alpha, ["entropy"] = entropy,
            };
            monitor.Report(agent, losses, o.PolicyLearningRate);
        }

        agent.OptimizerState = OptimizerStates.Capture(("actor", actorOptimizer), ("critic", criticOptimizer), ("alpha", alphaOptimizer));
        agent.TrainingState = OffPolicyResume.Capture(monitor, environment, [("updates", updates)], [("rng", rng)], targets);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, o.PolicyLearningRate);
        return agent;
    }
}

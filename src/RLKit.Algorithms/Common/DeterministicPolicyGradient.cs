using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The training loop TD3 and DDPG share (CleanRL's td3/ddpg_continuous_action.py): act with μ(s) plus exploration
/// noise, store transitions, regress the critic(s) on r + γ(1 − terminated)·min Q′(s′, μ′(s′) [+ clipped noise]),
/// and every <see cref="DeterministicPolicyGradientOptions.CriticUpdatesPerActorUpdate"/> critic steps ascend
/// Q1(s, μ(s)) and Polyak-average all targets. DDPG is the special case of one critic and no target smoothing.
/// </summary>
internal static class DeterministicPolicyGradient
{
    /// <summary>
    /// TD3's target policy smoothing noise clip(N(0, σ²), −c, c)·scale, [B, act] (CleanRL scales by the action half-range).
    /// </summary>
    public static Tensor ClippedTargetNoise(RandomGenerator rng, int batchSize, ActionRescaler rescaler, float std, float clip) =>
        (Tensor.RandomNormal(rng, [batchSize, rescaler.Size], 0f, std).Clamp(-clip, clip)) * rescaler.Scale;

    public static void Train<TOptions>(IVectorEnvironment environment, TrainingMonitor monitor, DeterministicActorAgent<TOptions> agent,
                                       TOptions s, string algorithm) where TOptions : DeterministicPolicyGradientOptions
    {
        var networks = agent.Networks;
        var actionSpace = (Box)environment.SingleActionSpace;
        int envCount = environment.Count;
        int observationSize = environment.SingleObservationSpace.FlatSize;
        int actionSize = actionSpace.FlatSize;
        var rng = new RandomGenerator(s.Seed + 1);

        var (actor, q1, q2) = (networks.Actor, networks.Q1, networks.Q2);
        var rescaler = actor.Rescaler;
        var actorTarget = actor.CloneAsTarget(rng);
        var q1Target = q1.CloneAsTarget(rng);
        var q2Target = q2?.CloneAsTarget(rng);
        var criticOptimizer = new Adam(q2 is null ? q1.Parameters() : q1.Parameters().Concat(q2.Parameters()), s.LearningRate);
        var actorOptimizer = new Adam(actor.Parameters(), s.LearningRate);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent).
        OptimizerStates.Restore(agent.OptimizerState, ("actor", actorOptimizer), ("critic", criticOptimizer));
        var noise = ActionNoise.Create(s.ExplorationNoise, envCount, actionSize, s.ExplorationNoiseStd, rng);
        // A warm start also continues the replay buffer, the counters, the generator, the targets and the noise process.
        var resumed = agent.TrainingState;
        List<(string, Module)> targets = [("actor_target", actorTarget), ("q1_target", q1Target)];
        if (q2Target is not null) targets.Add(("q2_target", q2Target));
        long updates = resumed?.Counter("updates") ?? 0;
        OffPolicyResume.LoadNetworks(resumed, targets);
        if (resumed is not null && noise.State.Length > 0) RestoreNoise(resumed, noise.State);

        var buffer = OffPolicyResume.Buffer(agent.ReplayBuffer, observationSize, ActionLayout.Continuous(actionSize),
            new ReplayBufferOptions { Capacity = s.BufferSize, EnvCount = envCount, Gamma = s.Gamma }, algorithm);

        var collector = new TransitionCollector(environment, buffer, monitor);
        var actions = collector.ContinuousActions;
        OffPolicyResume.Begin(environment, monitor, resumed, s.Seed, buffer, ("rng", rng));
        // The agent being trained drops the old state (only now, so a refused resume leaves it as it was): a checkpoint
        // taken mid-fit never pairs new weights with it.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        var noiseValues = new float[envCount * actionSize];
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();
        double actorLoss = double.NaN;

        while (!monitor.ShouldStop)
        {
            // Act: uniform random until learning starts, then μ(s) + noise·scale, clipped to the box.
            if (monitor.Steps < s.LearningStarts)
            {
                for (int i = 0; i < envCount; i++) actionSpace.Sample(rng, actions.AsSpan(i * actionSize, actionSize));
            }
            else
            {
                using var actScope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                actor.Forward(AgentActing.Flat(environment.Observations)).AsReadOnlySpan().CopyTo(actions);
                noise.Sample(noiseValues);
                var scale = rescaler.Scale.AsReadOnlySpan();
                for (int j = 0; j < actions.Length; j++)
                    actions[j] = Math.Clamp(actions[j] + noiseValues[j] * scale[j % actionSize], actionSpace.Low[j % actionSize], actionSpace.High[j % actionSize]);
            }

            var step = collector.Step();
            for (int i = 0; i < envCount; i++)
                if (step.Done(i)) noise.Reset(i);

            if (monitor.Steps <= s.LearningStarts) continue;
            if (monitor.IsCancellationRequested) break; // no gradient step starts once cancelled

            // Critic step(s).
            updates++;
            using var scope = TensorScope.Begin();
            var batch = buffer.Sample(s.BatchSize, rng);
            Tensor target;
            using (GradMode.NoGrad())
            {
                var nextActions = actorTarget.Forward(batch.NextObservations);
                if (s.TargetSmoothing is var (std, clip))
                {
                    nextActions = Tensor.Minimum(Tensor.Maximum(
                        nextActions + ClippedTargetNoise(rng, batch.Size, rescaler, std, clip), rescaler.Low), rescaler.High);
                }
                var nextQ = q1Target.Forward(batch.NextObservations, nextActions);
                if (q2Target is not null) nextQ = Tensor.Minimum(nextQ, q2Target.Forward(batch.NextObservations, nextActions));
                target = batch.Rewards + batch.Discounts * (1f - batch.Dones) * nextQ;
            }
            var criticLoss = Functional.MseLoss(q1.Forward(batch.Observations, batch.Actions), target);
            if (q2 is not null) criticLoss += Functional.MseLoss(q2.Forward(batch.Observations, batch.Actions), target);
            criticOptimizer.ZeroGrad();
            criticLoss.Backward();
            criticOptimizer.Step();
            if (monitor.IsCancellationRequested) break; // no actor step after cancellation, and no report

            // Delayed actor step and target updates.
            if (updates % s.CriticUpdatesPerActorUpdate == 0)
            {
                var policyLoss = -q1.Forward(batch.Observations, actor.Forward(batch.Observations)).Mean();
                actorOptimizer.ZeroGrad();
                policyLoss.Backward();
                actorOptimizer.Step();
                actorLoss = policyLoss.Item();

                OffPolicyHelpers.SoftUpdate(actorTarget, actor, s.Tau);
                OffPolicyHelpers.SoftUpdate(q1Target, q1, s.Tau);
                if (q2Target is not null) OffPolicyHelpers.SoftUpdate(q2Target, q2!, s.Tau);
            }

            losses = new Dictionary<string, double> { ["critic"] = criticLoss.Item(), ["actor"] = actorLoss };
            monitor.Report(agent, losses, s.LearningRate);
        }

        agent.OptimizerState = OptimizerStates.Capture(("actor", actorOptimizer), ("critic", criticOptimizer));
        agent.TrainingState = OffPolicyResume.Capture(monitor, environment, [("updates", updates)], [("rng", rng)], targets,
            noise.State.Length > 0 ? [(NoiseKey, Tensor.FromSpan(noise.State, noise.State.Length))] : null);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, s.LearningRate);
    }

    private const string NoiseKey = "noise";

    /// <summary>Continues a stateful noise process (Ornstein–Uhlenbeck) where the training state left it.</summary>
    /// <exception cref="InvalidOperationException">If the state has no noise of this size (other sub-environment count or noise kind).</exception>
    private static void RestoreNoise(TrainingState state, Span<float> noiseState)
    {
        var saved = state.TensorOrNull(NoiseKey);
        if (saved is null || saved.Size != noiseState.Length)
            throw new InvalidOperationException(
                $"The training state has no exploration noise of {noiseState.Length} values (it has {(saved is null ? "none" : saved.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))}): " +
                "it was written with another number of sub-environments or another noise kind. Set the agent's TrainingState to null to warm-start without resuming.");
        saved.AsReadOnlySpan().CopyTo(noiseState);
    }
}

using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Experience;

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
        var actionSpace = (Box)environment.SingleActionSpace;
        int envCount = environment.Count;
        int observationSize = environment.SingleObservationSpace.FlatSize;
        int actionSize = actionSpace.FlatSize;
        var learner = new Learner<TOptions>(agent, s);
        var (rng, resumed, rescaler, actor) = (learner.Rng, learner.Resumed, agent.Networks.Actor.Rescaler, agent.Networks.Actor);
        var noise = ActionNoise.Create(s.ExplorationNoise, envCount, actionSize, s.ExplorationNoiseStd, rng);
        // A warm start also continues the replay buffer, the counters, the generator, the targets and the noise process.
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

            if (learner.Update(buffer, monitor) is not { } updateLosses) break;
            losses = updateLosses;
            monitor.Report(agent, losses, s.LearningRate);
        }

        agent.OptimizerState = learner.CaptureOptimizers();
        agent.TrainingState = OffPolicyResume.Capture(monitor, environment, [("updates", learner.Updates)], [("rng", rng)], learner.Targets,
            noise.State.Length > 0 ? [(NoiseKey, Tensor.FromSpan(noise.State, noise.State.Length))] : null);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, s.LearningRate);
    }

    /// <summary>
    /// The same algorithm on an experience source: the producers act uniformly at random until LearningStarts
    /// transitions have arrived, then with μ(s) plus Gaussian noise of σ = ExplorationNoiseStd (the agent's stochastic
    /// acting, the same distribution as the local loop's).
    /// </summary>
    /// <exception cref="NotSupportedException">For Ornstein–Uhlenbeck noise, whose per-environment state a published policy cannot carry.</exception>
    /// <param name="feed">The source.</param>
    /// <param name="monitor">Counts transitions and decides when training stops.</param>
    /// <param name="initialAgent">The agent to continue, trained in place (see <c>OffPolicyEstimator.Fit(IExperienceSource, …)</c>), or null.</param>
    /// <param name="create">Makes the untrained agent for the source's spaces (TD3's or DDPG's).</param>
    /// <param name="s">The options (validated).</param>
    /// <param name="algorithm">The algorithm's name, for error messages.</param>
    /// <exception cref="ArgumentException">If the source's action space is not a Box, or a part of the initial agent does not fit (naming "initialAgent").</exception>
    public static TAgent Train<TOptions, TAgent>(ExperienceFeed feed, TrainingMonitor monitor, TAgent? initialAgent,
                                                 Func<Space, Box, TOptions, RandomGenerator, TAgent> create, TOptions s, string algorithm)
        where TOptions : DeterministicPolicyGradientOptions where TAgent : DeterministicActorAgent<TOptions>
    {
        var actionSpace = feed.ActionSpace as Box
            ?? throw new ArgumentException($"{algorithm} needs a Box action space, got {feed.ActionSpace.Description}.", "source");
        var agent = initialAgent ?? create(feed.ObservationSpace, actionSpace, s, new RandomGenerator(s.Seed));
        if (s.ExplorationNoise != ExplorationNoiseKind.Gaussian)
            throw new NotSupportedException(
                $"{agent.Algorithm}: learning from an experience source needs ExplorationNoise = Gaussian; {s.ExplorationNoise} noise is a process per environment that producers acting with a published policy do not reproduce.");
        var learner = OffPolicyResume.FromInitialAgent(algorithm, () => new Learner<TOptions>(agent, s));
        var buffer = feed.CreateBuffer(ActionLayout.Continuous(agent.ActionSpace.FlatSize), new ReplayBufferOptions { Capacity = s.BufferSize, Gamma = s.Gamma },
                                       agent.ReplayBuffer);
        feed.Resume(learner.Resumed, ("rng", learner.Rng));
        // As in the local loop: the agent being trained drops the old state only now, so a refused resume leaves it as it was.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        var losses = feed.RunOneUpdatePerVectorStep(buffer, agent, s.LearningStarts, () => learner.Update(buffer, monitor), s.LearningRate);
        agent.OptimizerState = learner.CaptureOptimizers();
        agent.TrainingState = OffPolicyResume.Capture(monitor, [("updates", learner.Updates)], [("rng", learner.Rng)], learner.Targets);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, s.LearningRate);
        return agent;
    }

    /// <summary>
    /// The learning half both loops share: target networks, optimizers and the generator (made in one fixed order, so a
    /// seed gives the same networks either way), and <see cref="Update"/>.
    /// </summary>
    private sealed class Learner<TOptions> where TOptions : DeterministicPolicyGradientOptions
    {
        private readonly TOptions _s;
        private readonly DeterministicNetworks _networks;
        private readonly DeterministicActor _actorTarget;
        private readonly ContinuousQNetwork _q1Target;
        private readonly ContinuousQNetwork? _q2Target;
        private readonly Adam _criticOptimizer;
        private readonly Adam _actorOptimizer;
        private double _actorLoss = double.NaN;

        public Learner(DeterministicActorAgent<TOptions> agent, TOptions s)
        {
            _s = s;
            _networks = agent.Networks;
            Rng = new RandomGenerator(s.Seed + 1);
            var (actor, q1, q2) = (_networks.Actor, _networks.Q1, _networks.Q2);
            _actorTarget = actor.CloneAsTarget(Rng);
            _q1Target = q1.CloneAsTarget(Rng);
            _q2Target = q2?.CloneAsTarget(Rng);
            _criticOptimizer = new Adam(q2 is null ? q1.Parameters() : q1.Parameters().Concat(q2.Parameters()), s.LearningRate);
            _actorOptimizer = new Adam(actor.Parameters(), s.LearningRate);
            // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent).
            OptimizerStates.Restore(agent.OptimizerState, ("actor", _actorOptimizer), ("critic", _criticOptimizer));
            Resumed = agent.TrainingState;
            Targets = [("actor_target", _actorTarget), ("q1_target", _q1Target)];
            if (_q2Target is not null) Targets.Add(("q2_target", _q2Target));
            Updates = Resumed?.Counter("updates") ?? 0;
            OffPolicyResume.LoadNetworks(Resumed, Targets);
        }

        public RandomGenerator Rng { get; }

        public TrainingState? Resumed { get; }

        public List<(string, Module)> Targets { get; }

        public long Updates { get; private set; }

        public IReadOnlyDictionary<string, Tensor> CaptureOptimizers() => OptimizerStates.Capture(("actor", _actorOptimizer), ("critic", _criticOptimizer));

        /// <summary>A critic step, and every CriticUpdatesPerActorUpdate of them an actor step and the target updates; null if cancellation cut it short.</summary>
        public IReadOnlyDictionary<string, double>? Update(ReplayBuffer buffer, TrainingMonitor monitor)
        {
            var s = _s;
            var (actor, q1, q2) = (_networks.Actor, _networks.Q1, _networks.Q2);
            var (actorTarget, q1Target, q2Target) = (_actorTarget, _q1Target, _q2Target);
            var rescaler = actor.Rescaler;
            Updates++;
            using var scope = TensorScope.Begin();
            var batch = buffer.Sample(s.BatchSize, Rng);
            Tensor target;
            using (GradMode.NoGrad())
            {
                var nextActions = actorTarget.Forward(batch.NextObservations);
                if (s.TargetSmoothing is var (std, clip))
                {
                    nextActions = Tensor.Minimum(Tensor.Maximum(
                        nextActions + ClippedTargetNoise(Rng, batch.Size, rescaler, std, clip), rescaler.Low), rescaler.High);
                }
                var nextQ = q1Target.Forward(batch.NextObservations, nextActions);
                if (q2Target is not null) nextQ = Tensor.Minimum(nextQ, q2Target.Forward(batch.NextObservations, nextActions));
                target = batch.Rewards + batch.Discounts * (1f - batch.Dones) * nextQ;
            }
            var criticLoss = Functional.MseLoss(q1.Forward(batch.Observations, batch.Actions), target);
            if (q2 is not null) criticLoss += Functional.MseLoss(q2.Forward(batch.Observations, batch.Actions), target);
            _criticOptimizer.ZeroGrad();
            criticLoss.Backward();
            _criticOptimizer.Step();
            if (monitor.IsCancellationRequested) return null; // no actor step after cancellation, and no report

            // Delayed actor step and target updates.
            if (Updates % s.CriticUpdatesPerActorUpdate == 0)
            {
                var policyLoss = -q1.Forward(batch.Observations, actor.Forward(batch.Observations)).Mean();
                _actorOptimizer.ZeroGrad();
                policyLoss.Backward();
                _actorOptimizer.Step();
                _actorLoss = policyLoss.Item();

                OffPolicyHelpers.SoftUpdate(actorTarget, actor, s.Tau);
                OffPolicyHelpers.SoftUpdate(q1Target, q1, s.Tau);
                if (q2Target is not null) OffPolicyHelpers.SoftUpdate(q2Target, q2!, s.Tau);
            }
            return new Dictionary<string, double> { ["critic"] = criticLoss.Item(), ["actor"] = _actorLoss };
        }
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

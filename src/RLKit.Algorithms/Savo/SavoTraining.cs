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

namespace RLKit.Algorithms.Savo;

/// <summary>
/// SAVO-TD3 (seed 003 Algorithm 3) with any <see cref="IActorArchitecture"/>: act with the maximizer μ_M(s) over the
/// architecture's k candidates, each carrying its own exploration noise; regress the twin critics on
/// r + γ(1 − terminated)·min Q′(s′, μ′_M(s′)), where μ′_M is the maximizer of the target actors under Q1′ (no target
/// smoothing unless asked); and every <see cref="SavoOptions.PolicyDelay"/> critic steps fit the surrogates (eq. 4.9),
/// train the actors (eq. 4.3, 4.8) and Polyak-average the targets.
/// </summary>
/// <remarks>
/// In the discrete mode (an <see cref="ActionSet"/> with representations) every candidate is projected onto the nearest
/// available action before Q1 scores it; the executed action's id steps the environment and its representation is
/// stored. Targets project onto the whole universe, since the buffer does not keep the next state's availability.
/// </remarks>
internal static class SavoTraining
{
    public static void Train(IVectorEnvironment environment, TrainingMonitor monitor, SavoAgent agent, SavoOptions s)
    {
        var (domain, actors, q1, q2) = (agent.Domain, agent.Actors, agent.Q1, agent.Q2);
        int envCount = environment.Count;
        int observationSize = environment.SingleObservationSpace.FlatSize;
        int actionSize = domain.Size;
        int k = actors.CandidateCount;
        var rng = new RandomGenerator(s.Seed + 1);

        var learner = new SavoLearner(actors, q1, q2, s, rng);
        OptimizerStates.Restore(agent.OptimizerState, [.. learner.Optimizers]);

        // One noise process per sub-environment over all k candidates: "exploration in additional actors" (§4.4.5 item 2).
        var noise = ActionNoise.Create(s.ExplorationNoise, envCount, k * actionSize, s.ExplorationNoiseStd, rng);
        var resumed = agent.TrainingState;
        var targets = learner.Targets;
        long updates = resumed?.Counter("updates") ?? 0;
        OffPolicyResume.LoadNetworks(resumed, targets);
        if (resumed is not null && noise.State.Length > 0) RestoreNoise(resumed, noise.State);

        var buffer = OffPolicyResume.Buffer(agent.ReplayBuffer, observationSize, ActionLayout.Continuous(actionSize),
            new ReplayBufferOptions { Capacity = s.BufferSize, EnvCount = envCount, Gamma = s.Gamma }, SavoEstimator.Name);
        var collector = new TransitionCollector(environment, buffer, monitor);
        OffPolicyResume.Begin(environment, monitor, resumed, s.Seed, buffer, ("rng", rng));
        agent.OptimizerState = null;
        agent.TrainingState = null;

        // Noise is drawn per sub-environment [envs, k, D]; candidates are candidate-major [k, envs, D].
        var noiseByEnvironment = new float[envCount * k * actionSize];
        var noiseByCandidate = new float[envCount * k * actionSize];
        var chosen = new int[envCount];
        var masks = new bool[environment.ActionMasks.Length];
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();
        double actorLoss = double.NaN, surrogateLoss = double.NaN;

        while (!monitor.ShouldStop)
        {
            if (monitor.Steps < s.LearningStarts)
                ActRandomly(environment, domain, collector, rng);
            else
            {
                using var actScope = TensorScope.Begin();
                noise.Sample(noiseByEnvironment);
                for (int e = 0; e < envCount; e++)
                    for (int i = 0; i < k; i++)
                        noiseByEnvironment.AsSpan((e * k + i) * actionSize, actionSize).CopyTo(noiseByCandidate.AsSpan((i * envCount + e) * actionSize));
                var observations = AgentActing.Flat(environment.Observations);
                environment.ActionMasks.CopyTo(masks);
                var candidates = actors.Candidates(new CandidateRequest(observations, masks, noiseByCandidate, q1, rng));
                var action = Maximizer.Select(q1, observations, candidates, chosen);
                action.AsReadOnlySpan().CopyTo(collector.ContinuousActions);
                if (domain.IsDiscrete) domain.Nearest(action, envCount, masks, collector.DiscreteActions, 1);
            }

            var step = collector.Step();
            for (int i = 0; i < envCount; i++)
                if (step.Done(i)) noise.Reset(i);

            if (monitor.Steps <= s.LearningStarts) continue;
            if (monitor.IsCancellationRequested) break;

            updates++;
            using var scope = TensorScope.Begin();
            var batch = buffer.Sample(s.BatchSize, rng);
            var criticLoss = learner.CriticStep(batch);
            if (monitor.IsCancellationRequested) break;
            if (updates % s.PolicyDelay == 0) (actorLoss, surrogateLoss) = learner.ActorStep(batch, actorLoss, surrogateLoss);

            losses = new Dictionary<string, double> { ["critic"] = criticLoss, ["actor"] = actorLoss, ["surrogate"] = surrogateLoss };
            monitor.Report(agent, losses, s.LearningRate);
        }

        agent.OptimizerState = OptimizerStates.Capture([.. learner.Optimizers]);
        agent.TrainingState = OffPolicyResume.Capture(monitor, environment, [("updates", updates)], [("rng", rng)], targets,
            noise.State.Length > 0 ? [(NoiseKey, Tensor.FromSpan(noise.State, noise.State.Length))] : null);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, s.LearningRate);
    }

    /// <summary>
    /// The critic target's action ã = μ′_M(s′): the target architecture's candidates (noise-free) scored by Q1′, the best
    /// kept; with TD3's smoothing (an ablation here) clipped noise is added to it and it is made a real action again.
    /// </summary>
    /// <returns>ã [B, D], and Q1′(s′, ã) [B] when the selection already computed it (no smoothing, k &gt; 1), else null.</returns>
    internal static (Tensor Actions, Tensor? Q1Values) TargetActions(ActorNetwork target, ContinuousQNetwork q1Target, Tensor nextObservations,
                                                                      (float Std, float Clip)? smoothing, RandomGenerator rng)
    {
        using var noGrad = GradMode.NoGrad();
        int batch = nextObservations.Dim(0);
        var candidates = target.Candidates(new CandidateRequest(nextObservations, default, null, q1Target, rng));
        Tensor next;
        Tensor? values = null;
        if (candidates.Dim(0) == 1)
            next = candidates.Reshape(batch, -1);
        else
        {
            var chosen = new int[batch];
            var all = Maximizer.Values(q1Target, nextObservations, candidates);
            Maximizer.Argmax(all, chosen);
            next = Maximizer.Gather(candidates, chosen);
            values = Maximizer.Gather(all.Reshape(all.Dim(0), batch, 1), chosen).Reshape(batch);
        }
        if (smoothing is var (std, clip))
            return (target.Domain.Project(next + DeterministicPolicyGradient.ClippedTargetNoise(rng, batch, target.Domain.Rescaler, std, clip), batch, default), null);
        return (next, values);
    }

    /// <summary>Uniformly random actions before learning starts: a point of the box, or a random available action (its id and representation).</summary>
    private static void ActRandomly(IVectorEnvironment environment, ActionDomain domain, TransitionCollector collector, RandomGenerator rng)
    {
        int envCount = environment.Count, size = domain.Size;
        var actions = collector.ContinuousActions;
        if (domain.Actions is not { } set)
        {
            for (int e = 0; e < envCount; e++) domain.Box.Sample(rng, actions.AsSpan(e * size, size));
            return;
        }
        var masks = environment.ActionMasks;
        ReadOnlySpan<float> representations = set.Representations;
        for (int e = 0; e < envCount; e++)
        {
            int id = masks.IsEmpty ? set.Sample(rng) : SampleAvailable(masks.Slice(e * set.Count, set.Count), rng);
            collector.DiscreteActions[e] = id;
            representations.Slice(id * size, size).CopyTo(actions.AsSpan(e * size, size));
        }
    }

    private static int SampleAvailable(ReadOnlySpan<bool> available, RandomGenerator rng)
    {
        int count = available.Count(true);
        if (count == 0) throw new InvalidOperationException("savo: a sub-environment offers no available action.");
        int pick = rng.NextInt(count);
        for (int a = 0; ; a++)
            if (available[a] && pick-- == 0) return a;
    }

    private const string NoiseKey = "noise";

    /// <exception cref="InvalidOperationException">If the state has no noise of this size (another sub-environment count, k or noise kind).</exception>
    private static void RestoreNoise(TrainingState state, Span<float> noiseState)
    {
        var saved = state.TensorOrNull(NoiseKey);
        if (saved is null || saved.Size != noiseState.Length)
            throw new InvalidOperationException(
                $"savo: the training state has no exploration noise of {noiseState.Length} values: it was written with another number of sub-environments, k or noise kind. " +
                "Set the agent's TrainingState to null to warm-start without resuming.");
        saved.AsReadOnlySpan().CopyTo(noiseState);
    }
}

/// <summary>
/// One SAVO-TD3 update (Algorithm 3's update block) on a replay batch: the networks being trained, their targets and
/// optimizers. <see cref="SavoTraining"/> calls it every step; benchmarks call it directly.
/// </summary>
internal sealed class SavoLearner
{
    private readonly ActorNetwork _actors, _actorsTarget;
    private readonly ContinuousQNetwork _q1, _q2, _q1Target, _q2Target;
    private readonly List<Tensor> _actorParameters, _actorTargetParameters, _readOnlyInActorStep;
    private readonly Adam _criticOptimizer;
    private readonly Adam? _actorOptimizer, _surrogateOptimizer;
    private readonly SavoOptions _options;
    private readonly RandomGenerator _rng;

    public SavoLearner(ActorNetwork actors, ContinuousQNetwork q1, ContinuousQNetwork q2, SavoOptions options, RandomGenerator rng)
    {
        (_actors, _q1, _q2, _options, _rng) = (actors, q1, q2, options, rng);
        _actorsTarget = actors.CloneAsTarget(rng);
        _q1Target = q1.CloneAsTarget(rng);
        _q2Target = q2.CloneAsTarget(rng);
        _actorParameters = actors.ActorParameters().ToList();
        _actorTargetParameters = _actorsTarget.ActorParameters().ToList();
        var surrogateParameters = actors.SurrogateParameters().ToList();
        _readOnlyInActorStep = [.. q1.Parameters(), .. q2.Parameters(), .. surrogateParameters];
        _criticOptimizer = new Adam(q1.Parameters().Concat(q2.Parameters()), options.LearningRate);
        _actorOptimizer = _actorParameters.Count > 0 ? new Adam(_actorParameters, options.LearningRate) : null;
        _surrogateOptimizer = surrogateParameters.Count > 0 ? new Adam(surrogateParameters, options.LearningRate) : null;
        var optimizers = new List<(string, Optimizer)> { ("critic", _criticOptimizer) };
        if (_actorOptimizer is not null) optimizers.Add(("actor", _actorOptimizer));
        if (_surrogateOptimizer is not null) optimizers.Add(("surrogate", _surrogateOptimizer));
        Optimizers = optimizers;
        Targets = [("actors_target", _actorsTarget), ("q1_target", _q1Target), ("q2_target", _q2Target)];
    }

    /// <summary>The optimizers by checkpoint name ("critic", and "actor" and "surrogate" when the architecture has them).</summary>
    public IReadOnlyList<(string Name, Optimizer Optimizer)> Optimizers { get; }

    /// <summary>The target networks by training-state name.</summary>
    public List<(string, Module)> Targets { get; }

    /// <summary>The twin critics' regression on r + γ(1 − terminated)·min Q′(s′, μ′_M(s′)); returns the loss.</summary>
    public double CriticStep(ReplayBatch batch)
    {
        Tensor target;
        using (GradMode.NoGrad())
        {
            var (nextActions, q1Next) = SavoTraining.TargetActions(_actorsTarget, _q1Target, batch.NextObservations, _options.TargetSmoothing, _rng);
            var nextQ = Tensor.Minimum(q1Next ?? _q1Target.Forward(batch.NextObservations, nextActions), _q2Target.Forward(batch.NextObservations, nextActions));
            target = batch.Rewards + batch.Discounts * (1f - batch.Dones) * nextQ;
        }
        var criticLoss = Functional.MseLoss(_q1.Forward(batch.Observations, batch.Actions), target)
                       + Functional.MseLoss(_q2.Forward(batch.Observations, batch.Actions), target);
        _criticOptimizer.ZeroGrad();
        criticLoss.Backward();
        _criticOptimizer.Step();
        return criticLoss.Item();
    }

    /// <summary>The delayed step: fit the surrogates (eq. 4.9), train the actors (eq. 4.3, 4.8), Polyak-average the targets.</summary>
    /// <returns>The actor and surrogate losses, or the previous ones when the architecture has none to train.</returns>
    public (double Actor, double Surrogate) ActorStep(ReplayBatch batch, double previousActorLoss = double.NaN, double previousSurrogateLoss = double.NaN)
    {
        var (actorLoss, surrogateLoss) = (previousActorLoss, previousSurrogateLoss);
        var inputs = new UpdateInputs(batch.Observations, batch.Actions, _q1, _q2, _rng);
        if (_surrogateOptimizer is not null && _actors.SurrogateLoss(inputs) is { } fit)
        {
            _surrogateOptimizer.ZeroGrad();
            fit.Backward();
            _surrogateOptimizer.Step();
            surrogateLoss = fit.Item();
        }
        if (_actorOptimizer is not null)
        {
            // The actor loss reads Q and Ψ̂ but trains only the actors: with their weights marked constant until the
            // backward pass is done, it computes no weight gradients for them (a third of its GEMMs).
            foreach (var parameter in _readOnlyInActorStep) parameter.RequiresGrad = false;
            try
            {
                if (_actors.ActorLoss(inputs) is { } ascent)
                {
                    _actorOptimizer.ZeroGrad();
                    ascent.Backward();
                    _actorOptimizer.Step();
                    actorLoss = ascent.Item();
                }
            }
            finally
            {
                foreach (var parameter in _readOnlyInActorStep) parameter.RequiresGrad = true;
            }
        }
        if (_actorParameters.Count > 0) Polyak.SoftUpdate(_actorTargetParameters, _actorParameters, _options.Tau);
        OffPolicyHelpers.SoftUpdate(_q1Target, _q1, _options.Tau);
        OffPolicyHelpers.SoftUpdate(_q2Target, _q2, _options.Tau);
        return (actorLoss, surrogateLoss);
    }
}

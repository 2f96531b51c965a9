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
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// Soft Actor-Critic for Box actions, following CleanRL's <c>sac_continuous_action.py</c>: a squashed Gaussian actor,
/// twin Q critics with Polyak-averaged targets, automatic entropy tuning, and one gradient step per vector step once
/// <see cref="SacOptions.LearningStarts"/> random steps are stored. Truncated transitions bootstrap (the replay batch's
/// Dones mark termination only). Losses reported per update: "critic", "actor", "alpha", "entropy".
/// </summary>
public sealed class SacEstimator : OffPolicyEstimator<SacOptions, SacAgent>
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
        var actionSpace = RequireBox(environment.SingleActionSpace, nameof(environment));
        int envCount = environment.Count;
        int actionSize = actionSpace.FlatSize;

        // Networks: the actor, twin critics and their targets; a warm start continues from the given agent's weights,
        // optimizers, replay buffer and training state (OffPolicyResume).
        var learner = new SacLearner(environment.SingleObservationSpace, actionSpace, o, initialAgent);
        var (agent, rng, resumed) = (learner.Agent, learner.Rng, learner.Resumed);
        var buffer = OffPolicyResume.Buffer(agent.ReplayBuffer, environment.SingleObservationSpace.FlatSize, ActionLayout.Continuous(actionSize),
            new ReplayBufferOptions { Capacity = o.BufferSize, EnvCount = envCount, Gamma = o.Gamma }, Name);

        var collector = new TransitionCollector(environment, buffer, monitor);
        var actions = collector.ContinuousActions;
        OffPolicyResume.Begin(environment, monitor, resumed, o.Seed, buffer, ("rng", rng));
        // The agent being trained drops the old state (only now, so a refused resume leaves it as it was): a checkpoint
        // taken mid-fit never pairs new weights with it.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();

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
                var (sampled, _) = agent.Actor.Sample(AgentActing.Flat(environment.Observations), Tensor.RandomNormal(rng, [envCount, actionSize]));
                sampled.AsReadOnlySpan().CopyTo(actions);
            }

            collector.Step();

            if (monitor.Steps <= o.LearningStarts) continue;
            if (monitor.IsCancellationRequested) break; // no gradient step starts once cancelled

            // Learn: one critic step per vector step.
            if (learner.Update(buffer, monitor) is not { } updateLosses) break;
            losses = updateLosses;
            monitor.Report(agent, losses, o.PolicyLearningRate);
        }

        agent.OptimizerState = learner.CaptureOptimizers();
        agent.TrainingState = OffPolicyResume.Capture(monitor, environment, [("updates", learner.Updates)], [("rng", rng)], learner.Targets);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, o.PolicyLearningRate);
        return agent;
    }

    /// <inheritdoc/>
    /// <remarks>The producers act uniformly at random until LearningStarts transitions have arrived (counted over the
    /// whole run when resumed from a training state), then sample the squashed Gaussian.</remarks>
    private protected override SacAgent FitCore(ExperienceFeed feed, TrainingMonitor monitor, SacAgent? initialAgent)
    {
        var o = Options;
        var actionSpace = RequireBox(feed.ActionSpace, "source");
        var learner = OffPolicyResume.FromInitialAgent(Name, () => new SacLearner(feed.ObservationSpace, actionSpace, o, initialAgent));
        var (agent, rng) = (learner.Agent, learner.Rng);
        var buffer = feed.CreateBuffer(ActionLayout.Continuous(actionSpace.FlatSize), new ReplayBufferOptions { Capacity = o.BufferSize, Gamma = o.Gamma }, agent.ReplayBuffer);
        feed.Resume(learner.Resumed, ("rng", rng));
        // As in the local loop: the agent being trained drops the old state only now, so a refused resume leaves it as it was.
        agent.OptimizerState = null;
        agent.TrainingState = null;
        var losses = feed.RunOneUpdatePerVectorStep(buffer, agent, o.LearningStarts, () => learner.Update(buffer, monitor), o.PolicyLearningRate);
        agent.OptimizerState = learner.CaptureOptimizers();
        agent.TrainingState = OffPolicyResume.Capture(monitor, [("updates", learner.Updates)], [("rng", rng)], learner.Targets);
        agent.ReplayBuffer = buffer;
        monitor.Finish(agent, losses, o.PolicyLearningRate);
        return agent;
    }

    private static Box RequireBox(Space actionSpace, string argument) =>
        actionSpace as Box ?? throw new ArgumentException($"sac needs a Box action space, got {actionSpace.Description}.", argument);
}

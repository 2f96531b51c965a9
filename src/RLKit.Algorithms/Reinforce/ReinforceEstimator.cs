using RLKit.Algorithms.Common;
using System.Runtime.InteropServices;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Reinforce;

/// <summary>
/// REINFORCE with a learned value baseline (Williams 1992; Sutton &amp; Barto 2018, §13.4): Monte-Carlo returns
/// G_t = Σ_k γ^k r_{t+k} of each completed episode, and after every <see cref="ReinforceOptions.EpisodesPerUpdate"/>
/// completed episodes one gradient step on −mean((G − V(s))·log π(a|s)) + c_v·mean((V(s) − G)²) − c_e·mean(H).
/// </summary>
/// <remarks>
/// <para>Truncated episodes (a time limit, not a terminal state) bootstrap: the return of the last step is
/// r + γ·V(final observation), with V the baseline's value of the episode's true final observation (SameStep
/// autoreset keeps it). Without this, a time-limited CartPole episode would teach the policy that balancing near the
/// limit is worth little. Terminated episodes do not bootstrap.</para>
/// <para>With several sub-environments, episodes end at different times; an episode still running at an update keeps
/// its earlier steps, which then come from a slightly older policy (the usual vectorised REINFORCE trade-off).
/// Continuous actions are sampled from a diagonal Gaussian, stored unclipped and clipped only when sent to the
/// environment.</para>
/// </remarks>
public sealed class ReinforceEstimator : AlgorithmEstimator<ReinforceOptions, ReinforceAgent>
{
    /// <summary>Creates a REINFORCE estimator.</summary>
    /// <param name="options">Hyperparameters; null for the defaults.</param>
    /// <param name="callbacks">Callbacks run after each update.</param>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public ReinforceEstimator(ReinforceOptions? options = null, IReadOnlyList<ITrainingCallback>? callbacks = null)
        : base(Name, options ?? new ReinforceOptions(), callbacks) { }

    /// <summary>The algorithm's name in registries, checkpoints and configuration files: "reinforce".</summary>
    public const string Name = "reinforce";

    /// <inheritdoc/>
    protected override AgentEstimator<ReinforceAgent> WithCallbacksCore(IReadOnlyList<ITrainingCallback> callbacks) => new ReinforceEstimator(Options, callbacks);

    /// <inheritdoc/>
    protected override ReinforceAgent FitCore(IVectorEnvironment environment, TrainingMonitor monitor, ReinforceAgent? initialAgent)
    {
        var options = Options;
        var rng = new RandomGenerator(options.Seed);
        var agent = initialAgent ?? new ReinforceAgent(environment.SingleObservationSpace, environment.SingleActionSpace, options, rng.Split());
        agent.RequireCompatible(environment);
        var sampling = rng.Split();
        var optimizer = new Adam(agent.Parameters, options.LearningRate);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent); the agent
        // being trained drops the old state so a checkpoint taken mid-fit never pairs new weights with it.
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("network", optimizer));
        agent.OptimizerState = null;

        var collector = new RolloutCollector(environment, agent.Network, monitor, sampling);
        int envCount = environment.Count;
        int observationSize = agent.ObservationSize;
        int actionWidth = agent.IsDiscrete ? 1 : agent.ActionSize;
        var running = Enumerable.Range(0, envCount).Select(_ => new EpisodeTrace()).ToArray();
        var batch = new EpisodeBatch();
        var losses = new Dictionary<string, double> { ["policy"] = 0, ["value"] = 0, ["entropy"] = 0 };

        monitor.ResetEnvironment(environment, options.Seed);
        while (!monitor.ShouldStop)
        {
            // 1. One vector step; each environment's step joins its running episode.
            var observations = environment.Observations.AsReadOnlySpan();
            for (int e = 0; e < envCount; e++) running[e].Observations.AddRange(observations.Slice(e * observationSize, observationSize));
            var step = collector.Step();
            for (int e = 0; e < envCount; e++)
            {
                if (agent.IsDiscrete) running[e].DiscreteActions.Add(collector.DiscreteActions[e]);
                else running[e].ContinuousActions.AddRange(collector.ContinuousActions.AsSpan(e * actionWidth, actionWidth));
                running[e].Rewards.Add(step.Rewards[e]);
            }

            // 2. Close the episodes that ended: Monte-Carlo returns, bootstrapped from V(final observation) on truncation.
            for (int e = 0; e < envCount; e++)
            {
                if (!step.Done(e)) continue;
                batch.Append(running[e], collector.BootstrapValues[e], options.Gamma);
                running[e].Clear();
            }

            // 3. After enough completed episodes, one gradient step on all of their steps (none once cancelled).
            if (batch.Episodes >= options.EpisodesPerUpdate && !monitor.IsCancellationRequested)
            {
                using (var scope = TensorScope.Begin())
                    Update(agent, optimizer, batch, options, losses);
                batch.Clear();
                monitor.Report(agent, losses, optimizer.LearningRate);
            }
        }
        agent.OptimizerState = OptimizerStates.Capture(("network", optimizer));
        monitor.Finish(agent, losses, optimizer.LearningRate);
        return agent;
    }

    /// <summary>
    /// The REINFORCE-with-baseline loss on the batch's steps and one optimizer step: policy −mean(A·log π(a|s)) with
    /// A = G − V(s) (the baseline does not receive policy gradients), value mean((V(s) − G)²), entropy mean(H);
    /// total = policy + c_v·value − c_e·entropy.
    /// </summary>
    internal static void Update(ReinforceAgent agent, Optimizer optimizer, EpisodeBatch batch, ReinforceOptions options, Dictionary<string, double> losses)
    {
        int steps = batch.Steps;
        var observations = Tensor.FromSpan(CollectionsMarshal.AsSpan(batch.Observations), steps, agent.ObservationSize);
        var returns = Tensor.FromSpan(CollectionsMarshal.AsSpan(batch.Returns), steps);
        var continuousActions = agent.IsDiscrete ? null
            : Tensor.FromSpan(CollectionsMarshal.AsSpan(batch.ContinuousActions), steps, agent.ActionSize);
        var (logProb, entropy, value) = agent.Evaluate(observations, CollectionsMarshal.AsSpan(batch.DiscreteActions), continuousActions);

        var advantages = returns - value.Detach();
        if (options.NormalizeAdvantages && steps > 1) Returns.Standardize(advantages.AsSpan());
        var policyLoss = -(advantages * logProb).Mean();
        var valueLoss = Functional.MseLoss(value, returns);
        var entropyMean = entropy.Mean();
        var total = policyLoss + valueLoss * options.ValueCoefficient - entropyMean * options.EntropyCoefficient;

        optimizer.ZeroGrad();
        total.Backward();
        if (float.IsFinite(options.MaxGradNorm)) GradClip.ClipGradNorm(optimizer.Parameters, options.MaxGradNorm);
        optimizer.Step();

        losses["policy"] = policyLoss.Item();
        losses["value"] = valueLoss.Item();
        losses["entropy"] = entropyMean.Item();
    }

    /// <summary>The steps of one sub-environment's running episode.</summary>
    internal sealed class EpisodeTrace
    {
        public List<float> Observations { get; } = [];
        public List<int> DiscreteActions { get; } = [];
        public List<float> ContinuousActions { get; } = [];
        public List<float> Rewards { get; } = [];

        public void Clear()
        {
            Observations.Clear();
            DiscreteActions.Clear();
            ContinuousActions.Clear();
            Rewards.Clear();
        }
    }

    /// <summary>The steps of the completed episodes since the last update, with their discounted returns.</summary>
    internal sealed class EpisodeBatch
    {
        public List<float> Observations { get; } = [];
        public List<int> DiscreteActions { get; } = [];
        public List<float> ContinuousActions { get; } = [];
        public List<float> Returns { get; } = [];

        /// <summary>Completed episodes in the batch.</summary>
        public int Episodes { get; private set; }

        /// <summary>Steps in the batch.</summary>
        public int Steps => Returns.Count;

        /// <summary>Adds a completed episode: G_t = r_t + γ·G_{t+1}, starting from <paramref name="bootstrap"/> after the last step.</summary>
        public void Append(EpisodeTrace episode, float bootstrap, float gamma)
        {
            Observations.AddRange(episode.Observations);
            DiscreteActions.AddRange(episode.DiscreteActions);
            ContinuousActions.AddRange(episode.ContinuousActions);
            int first = Returns.Count;
            var rewards = episode.Rewards;
            for (int t = 0; t < rewards.Count; t++) Returns.Add(0f);
            double g = bootstrap;
            for (int t = rewards.Count - 1; t >= 0; t--)
            {
                g = rewards[t] + gamma * g;
                Returns[first + t] = (float)g;
            }
            Episodes++;
        }

        public void Clear()
        {
            Observations.Clear();
            DiscreteActions.Clear();
            ContinuousActions.Clear();
            Returns.Clear();
            Episodes = 0;
        }
    }
}

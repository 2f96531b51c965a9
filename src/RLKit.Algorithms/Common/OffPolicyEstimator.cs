using RLKit.Training;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Common;

/// <summary>
/// An estimator that learns from a replay buffer (DQN, soft Q-learning, SAC, TD3, DDPG) and can therefore also learn
/// from experience that others collect: <see cref="Fit(IExperienceSource, Budget, IProgress{TrainingUpdate}?, CancellationToken, TAgent?, ExperienceSourceOptions?)"/>.
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
/// <typeparam name="TAgent">The agent the algorithm produces.</typeparam>
public abstract class OffPolicyEstimator<TOptions, TAgent> : AlgorithmEstimator<TOptions, TAgent>
    where TOptions : class, IAlgorithmOptions where TAgent : class, IAgent
{
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it and its allowed range).</exception>
    private protected OffPolicyEstimator(string algorithm, TOptions options, IReadOnlyList<ITrainingCallback>? callbacks)
        : base(algorithm, options, callbacks) { }

    /// <summary>
    /// Trains from <paramref name="source"/> (asynchronous off-policy learning): the producers act with the weights
    /// this learner publishes and the exploration it would use itself at this point of training, while the learner
    /// fills its replay buffer from their batches and learns with its usual schedule, a vector step being
    /// <see cref="IExperienceSource.StreamCount"/> transitions received. The weights are published before the first
    /// batch and then every <see cref="ExperienceSourceOptions.PublishInterval"/> gradient steps, and also when the
    /// exploration changes kind (uniformly random before learning starts, then the policy's).
    /// </summary>
    /// <remarks>
    /// <para><b>Resuming.</b> With <paramref name="initialAgent"/> (e.g. the last checkpoint of a learner that stopped) the
    /// run continues from it: the online networks' weights; the optimizers' state (Adam's moments and step counts) when
    /// the agent carries it; and, when it carries a <see cref="Training.Checkpoints.TrainingState"/> (what every
    /// <c>Fit</c> leaves at its end, local or from a source), the counts of transitions, episodes and updates, the
    /// schedule's counters, the target networks and the random generator. Schedules then go on from the saved count:
    /// DQN's ε, LearningStarts and the uniformly random start of the others do not restart, and, as for a local resume,
    /// the budget counts this <c>Fit</c>'s transitions while a budget-long schedule (ε) spans the saved steps plus this
    /// budget. Without a training state (a checkpoint a <see cref="Training.Callbacks.CheckpointCallback"/> took
    /// mid-fit holds the weights only), the counts start at 0, so the schedules restart (ε from its initial value,
    /// LearningStarts transitions before learning), the target networks start as copies of the online ones, and an
    /// agent without optimizer state starts Adam afresh.</para>
    /// <para>The replay buffer is the initial agent's only when it has this <c>Fit</c>'s layout, one column of the
    /// options' capacity, n and γ (one that a <c>Fit</c> from a source left, kept in memory or saved with
    /// <c>ReplayBuffer.Save</c> beside the checkpoint and set on the loaded agent); otherwise, e.g. a local
    /// <c>Fit</c>'s buffer or none (a checkpoint holds no transitions), a fresh empty buffer is filled, and gradient
    /// steps wait until it holds LearningStarts transitions (at most its capacity) while the producers keep the
    /// continued exploration. Unfinished episodes are not continued: the producers' streams are new to this learner.
    /// Async runs are not bit-reproducible, so a resume continues the run; it does not replay it.</para>
    /// </remarks>
    /// <param name="source">Where the transitions come from; its spaces must suit the algorithm.</param>
    /// <param name="budget">Counts transitions received in this <c>Fit</c> (and episodes completed); checked between batches, so the last batch may go past it.</param>
    /// <param name="progress">Receives a report after every update; its losses include "published_version" and "policy_lag" (versions between the last publish and the policy that acted in the last batch).</param>
    /// <param name="cancellationToken">Stops training promptly, including a wait for the next batch.</param>
    /// <param name="initialAgent">The agent to continue (see the remarks), or null to start from scratch. SAC, TD3 and DDPG train it in place; DQN and soft Q-learning return a new agent, as their local <c>Fit</c> does.</param>
    /// <param name="options">Publish cadence; null for the defaults.</param>
    /// <returns>
    /// The trained agent. It keeps its replay buffer (one column per stream run), its optimizer state and a training
    /// state (counts, counters, target networks, generator), so that a later <c>Fit</c> from a source, or a local one,
    /// can resume it.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// If the source's spaces do not suit the algorithm, or a batch does not fit them; or if <paramref name="initialAgent"/>
    /// does not fit (other spaces than the source's, another architecture than the options', or a training state or
    /// optimizer state written by another algorithm): then the exception names "initialAgent" and leaves the agent as it was.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range, or the source has no streams.</exception>
    /// <exception cref="NotSupportedException">If the options ask for exploration that producers cannot reproduce (TD3/DDPG's Ornstein–Uhlenbeck noise).</exception>
    public TAgent Fit(IExperienceSource source, Budget budget, IProgress<TrainingUpdate>? progress = null,
                      CancellationToken cancellationToken = default, TAgent? initialAgent = null, ExperienceSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(budget);
        options ??= new ExperienceSourceOptions();
        options.Validate();
        if (source.StreamCount < 1)
            throw new ArgumentOutOfRangeException(nameof(source), source.StreamCount, $"{Algorithm}: the experience source's StreamCount must be at least 1.");
        if (initialAgent is not null && (initialAgent.ObservationSpace.Description != source.ObservationSpace.Description
                                         || initialAgent.ActionSpace.Description != source.ActionSpace.Description))
            throw new ArgumentException(
                $"{Algorithm}: the initial agent acts on {initialAgent.ObservationSpace.Description} → {initialAgent.ActionSpace.Description}, " +
                $"but the experience source has {source.ObservationSpace.Description} → {source.ActionSpace.Description}.", nameof(initialAgent));
        var monitor = new TrainingMonitor(Algorithm, budget, source.StreamCount, progress, Callbacks, cancellationToken);
        return FitCore(new ExperienceFeed(source, monitor, options, Algorithm), monitor, initialAgent);
    }

    /// <summary>
    /// The algorithm on an experience source: build the networks, continuing <paramref name="initialAgent"/>'s
    /// (<see cref="OffPolicyResume.FromInitialAgent{T}"/>, <see cref="ExperienceFeed.Resume"/>), then
    /// <see cref="ExperienceFeed.Run"/>, then leave the state a later <c>Fit</c> resumes from
    /// (<see cref="OffPolicyResume.Capture(TrainingMonitor, IEnumerable{ValueTuple{string, long}}, IEnumerable{ValueTuple{string, Tensors.RandomGenerator}}, IEnumerable{ValueTuple{string, Nn.Module}}, IEnumerable{ValueTuple{string, Tensors.Tensor}}?)"/>)
    /// and call <see cref="TrainingMonitor.Finish"/>.
    /// </summary>
    private protected abstract TAgent FitCore(ExperienceFeed feed, TrainingMonitor monitor, TAgent? initialAgent);
}

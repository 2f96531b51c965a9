using RLKit.Training;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Common;

/// <summary>
/// An estimator that learns from a replay buffer (DQN, soft Q-learning, SAC, TD3, DDPG) and can therefore also learn
/// from experience that others collect: <see cref="Fit(IExperienceSource, Budget, IProgress{TrainingUpdate}?, CancellationToken, ExperienceSourceOptions?)"/>.
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
    /// <param name="source">Where the transitions come from; its spaces must suit the algorithm.</param>
    /// <param name="budget">Counts transitions received (and episodes completed); checked between batches, so the last batch may go past it.</param>
    /// <param name="progress">Receives a report after every update; its losses include "published_version" and "policy_lag" (versions between the last publish and the policy that acted in the last batch).</param>
    /// <param name="cancellationToken">Stops training promptly, including a wait for the next batch.</param>
    /// <param name="options">Publish cadence; null for the defaults.</param>
    /// <returns>The trained agent. It keeps its replay buffer (one column per stream run) and optimizer state, but no training state to resume.</returns>
    /// <exception cref="ArgumentException">If the source's spaces do not suit the algorithm, or a batch does not fit them.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of range, or the source has no streams.</exception>
    /// <exception cref="NotSupportedException">If the options ask for exploration that producers cannot reproduce (TD3/DDPG's Ornstein–Uhlenbeck noise).</exception>
    public TAgent Fit(IExperienceSource source, Budget budget, IProgress<TrainingUpdate>? progress = null,
                      CancellationToken cancellationToken = default, ExperienceSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(budget);
        options ??= new ExperienceSourceOptions();
        options.Validate();
        if (source.StreamCount < 1)
            throw new ArgumentOutOfRangeException(nameof(source), source.StreamCount, $"{Algorithm}: the experience source's StreamCount must be at least 1.");
        var monitor = new TrainingMonitor(Algorithm, budget, source.StreamCount, progress, Callbacks, cancellationToken);
        return FitCore(new ExperienceFeed(source, monitor, options, Algorithm), monitor);
    }

    /// <summary>The algorithm on an experience source: build the networks, then <see cref="ExperienceFeed.Run"/>, then <see cref="TrainingMonitor.Finish"/>.</summary>
    private protected abstract TAgent FitCore(ExperienceFeed feed, TrainingMonitor monitor);
}

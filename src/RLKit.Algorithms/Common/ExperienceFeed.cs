using RLKit.Data;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The off-policy loops' side of an <see cref="IExperienceSource"/>: it receives batches into the replay buffer and the
/// monitor, turns transitions received into the vector steps the algorithms' schedules count, and publishes the
/// learner's weights with its current exploration every <see cref="ExperienceSourceOptions.PublishInterval"/> gradient
/// steps.
/// </summary>
/// <remarks>
/// <para><b>Schedule.</b> A vector step is <see cref="StreamCount"/> transitions received, so an algorithm learns from a
/// source of W·E streams with the replay ratio it has on a local vector environment of W·E sub-environments. The learner
/// paces the producers: it receives the next batch only after learning from the last, and a bounded source makes
/// its producers wait. Budgets count transitions received and are checked between batches.</para>
/// <para><b>Replay layout.</b> The buffer has one column and each batch is stored stream by stream: the steps of one
/// stream stay contiguous, and the last transition of each stream's run is marked as a cut
/// (<see cref="ReplayBuffer.TruncateNewestTransitions"/>), so an n-step window never walks into another stream or across
/// a gap. Windows that reach a batch's end are shorter (m &lt; n, discounted by γ^m and bootstrapped from the true s′),
/// which is still a correct target.</para>
/// </remarks>
internal sealed class ExperienceFeed
{
    private readonly IExperienceSource _source;
    private readonly TrainingMonitor _monitor;
    private readonly ExperienceSourceOptions _options;
    private readonly string _algorithm;
    private readonly int _observationSize;
    private readonly int _actionSize;
    private readonly bool _discrete;
    private long _pendingTransitions;
    private long _gradientStepsSincePublish;
    private ExplorationKind? _publishedKind;

    /// <exception cref="ArgumentException">If the source's action space is neither Discrete nor Box, or it has no streams.</exception>
    public ExperienceFeed(IExperienceSource source, TrainingMonitor monitor, ExperienceSourceOptions options, string algorithm)
    {
        _source = source;
        _monitor = monitor;
        _options = options;
        _algorithm = algorithm;
        _observationSize = source.ObservationSpace.FlatSize;
        (_discrete, _actionSize) = source.ActionSpace switch
        {
            Discrete => (true, 1),
            Box box => (false, box.FlatSize),
            _ => throw new ArgumentException($"{algorithm}: an experience source needs a Discrete or Box action space, not {source.ActionSpace.Description}.", nameof(source)),
        };
        StreamCount = source.StreamCount;
    }

    /// <summary>The source's observation space (one stream).</summary>
    public Space ObservationSpace => _source.ObservationSpace;

    /// <summary>The source's action space (one stream).</summary>
    public Space ActionSpace => _source.ActionSpace;

    /// <summary>Streams of the source: the width of one vector step.</summary>
    public int StreamCount { get; }

    /// <summary>The version of the last publish (−1 before the first).</summary>
    public long PublishedVersion { get; private set; } = -1;

    /// <summary>The policy version of the last batch received (−1 before the first).</summary>
    public long ReceivedVersion { get; private set; } = -1;

    /// <summary>
    /// A replay buffer for the source: one column (see the remarks on the class), of <paramref name="options"/>' capacity,
    /// n and γ. It is <paramref name="kept"/> (an initial agent's) when that has exactly this layout, else a new empty one.
    /// </summary>
    public ReplayBuffer CreateBuffer(ActionLayout actions, ReplayBufferOptions options, ReplayBuffer? kept = null)
    {
        options = options with { EnvCount = 1 };
        return kept is not null && kept.ObservationSize == _observationSize && kept.Actions == actions && kept.Options == options
            ? kept
            : new ReplayBuffer(_observationSize, actions, options);
    }

    /// <summary>
    /// Continues the run <paramref name="state"/> (an initial agent's) was captured from, when there is one: restores
    /// the <paramref name="generators"/> and continues the monitor's counts of transitions, episodes and updates, so
    /// the schedules go on from there. The streams' unfinished episodes are dropped (this learner never saw them start).
    /// </summary>
    /// <exception cref="ArgumentException">If the state lacks a generator (it was written by another algorithm); names "initialAgent".</exception>
    public void Resume(TrainingState? state, params (string Name, RandomGenerator Generator)[] generators)
    {
        if (state is null) return;
        OffPolicyResume.FromInitialAgent(_algorithm, () =>
        {
            foreach (var (name, generator) in generators) state.RestoreGenerator(name, generator);
        });
        _monitor.Resume(state, continueEpisodes: false);
    }

    /// <summary>
    /// The loop every off-policy algorithm runs on a source: publish, then until the monitor stops, receive a batch and
    /// run <paramref name="learn"/> once per vector step it completes, reporting each update, and publish again when due.
    /// </summary>
    /// <param name="buffer">The replay buffer (<see cref="CreateBuffer"/>).</param>
    /// <param name="agent">The agent being trained: what is published and reported.</param>
    /// <param name="behavior">The exploration the algorithm would use itself now (read at each publish).</param>
    /// <param name="learn">The learning half of one vector step: the gradient steps it took and the losses, or null when it trained nothing or was cancelled.</param>
    /// <param name="learningRate">Reported with each update.</param>
    /// <returns>The losses of the last update.</returns>
    public IReadOnlyDictionary<string, double> Run(ReplayBuffer buffer, IAgent agent, Func<ExplorationBehavior> behavior,
                                                   Func<(int GradientSteps, IReadOnlyDictionary<string, double> Losses)?> learn, double learningRate)
    {
        IReadOnlyDictionary<string, double> losses = new Dictionary<string, double>();
        Publish(agent, behavior());
        while (!_monitor.ShouldStop)
        {
            int vectorSteps = Receive(buffer);
            for (int k = 0; k < vectorSteps && !_monitor.IsCancellationRequested; k++)
            {
                if (learn() is not var (gradientSteps, stepLosses)) continue;
                _gradientStepsSincePublish += gradientSteps;
                losses = WithVersions(stepLosses);
                _monitor.Report(agent, losses, learningRate);
            }
            if (_monitor.ShouldStop) break;   // nothing more to act for
            var now = behavior();
            if (_gradientStepsSincePublish >= _options.PublishInterval || now.Kind != _publishedKind) Publish(agent, now);
        }
        return losses;
    }

    /// <summary>
    /// <see cref="Run"/> for the actor-critic loops (SAC, TD3, DDPG): uniformly random actions until
    /// <paramref name="learningStarts"/> transitions have arrived, then the policy's own sampling, and one
    /// <paramref name="update"/> per vector step once more than <paramref name="learningStarts"/> have and the buffer
    /// holds <see cref="RefillSize"/> of them (which only a resumed run, whose buffer starts empty, waits for).
    /// </summary>
    public IReadOnlyDictionary<string, double> RunOneUpdatePerVectorStep(ReplayBuffer buffer, IAgent agent, int learningStarts,
                                                                          Func<IReadOnlyDictionary<string, double>?> update, double learningRate) =>
        Run(buffer, agent, RandomUntil(learningStarts),
            () => _monitor.Steps > learningStarts && buffer.Count >= RefillSize(learningStarts, buffer) && update() is { } losses ? (1, losses) : null,
            learningRate);

    /// <summary>
    /// The transitions the buffer must hold before gradient steps: LearningStarts (at most the capacity). A fresh run
    /// holds them as soon as more than LearningStarts have arrived; a run resumed from a checkpoint, whose counts go on
    /// but whose buffer starts empty, refills it first instead of regressing on a handful of transitions.
    /// </summary>
    public static int RefillSize(int learningStarts, ReplayBuffer buffer) => Math.Min(learningStarts, buffer.Capacity);

    /// <summary>Uniformly random actions until <paramref name="learningStarts"/> transitions have arrived (the untrained policy carries no information), then the policy's own sampling.</summary>
    public Func<ExplorationBehavior> RandomUntil(int learningStarts) =>
        () => _monitor.Steps < learningStarts ? ExplorationBehavior.UniformRandom : ExplorationBehavior.PolicySampling;

    private void Publish(IAgent agent, ExplorationBehavior behavior)
    {
        PublishedVersion = _source.Publish(agent, behavior);
        _publishedKind = behavior.Kind;
        _gradientStepsSincePublish = 0;
    }

    private IReadOnlyDictionary<string, double> WithVersions(IReadOnlyDictionary<string, double> losses) =>
        new Dictionary<string, double>(losses) { ["published_version"] = PublishedVersion, ["policy_lag"] = PublishedVersion - ReceivedVersion };

    /// <summary>Receives the next batch into the buffer and the monitor; returns the vector steps it completes, or 0 once the source has ended or training was cancelled (training then stops).</summary>
    private int Receive(ReplayBuffer buffer)
    {
        var batch = _source.Receive(_monitor.CancellationToken);
        if (batch is null)
        {
            // A wait cut short by cancellation is the monitor's "cancelled", not the source's end.
            if (!_monitor.IsCancellationRequested) _monitor.Stop("the experience source ended");
            return 0;
        }
        Validate(batch);
        ReceivedVersion = batch.PolicyVersion;
        var observations = batch.Observations.Span;
        var next = batch.NextObservations.Span;
        var discrete = batch.DiscreteActions.Span;
        var continuous = batch.ContinuousActions.Span;
        var rewards = batch.Rewards.Span;
        var terminated = batch.Terminated.Span;
        var truncated = batch.Truncated.Span;
        for (int s = 0; s < batch.Streams; s++)
        {
            int stream = batch.FirstStream + s;
            if (batch.Restarted) _monitor.AbandonEpisode(stream);
            for (int t = 0; t < batch.Steps; t++)
            {
                int i = t * batch.Streams + s;
                var observation = observations.Slice(i * _observationSize, _observationSize);
                var nextObservation = next.Slice(i * _observationSize, _observationSize);
                if (_discrete) buffer.Add(observation, discrete[i], rewards[i], nextObservation, terminated[i], truncated[i]);
                else buffer.Add(observation, continuous.Slice(i * _actionSize, _actionSize), rewards[i], nextObservation, terminated[i], truncated[i]);
                _monitor.RecordTransition(stream, rewards[i], terminated[i], truncated[i]);
            }
            // The next stored transition belongs to another stream, or to a later batch of this one: n-step windows stop here.
            buffer.TruncateNewestTransitions();
        }
        _pendingTransitions += batch.Count;
        int vectorSteps = (int)(_pendingTransitions / StreamCount);
        _pendingTransitions -= (long)vectorSteps * StreamCount;
        return vectorSteps;
    }

    /// <exception cref="ArgumentException">If the batch's streams or lengths do not fit the source's spaces.</exception>
    private void Validate(ExperienceBatch batch)
    {
        if (batch.FirstStream + batch.Streams > StreamCount)
            throw new ArgumentException(
                $"{_algorithm}: a batch covers streams [{batch.FirstStream}, {batch.FirstStream + batch.Streams - 1}], but the source has streams [0, {StreamCount - 1}].", "source");
        int n = batch.Count;
        Check(batch.Observations.Length, n * _observationSize, nameof(batch.Observations));
        Check(batch.NextObservations.Length, n * _observationSize, nameof(batch.NextObservations));
        Check(_discrete ? batch.DiscreteActions.Length : batch.ContinuousActions.Length, _discrete ? n : n * _actionSize,
              _discrete ? nameof(batch.DiscreteActions) : nameof(batch.ContinuousActions));
        Check(batch.Rewards.Length, n, nameof(batch.Rewards));
        Check(batch.Terminated.Length, n, nameof(batch.Terminated));
        Check(batch.Truncated.Length, n, nameof(batch.Truncated));

        void Check(int actual, int expected, string field)
        {
            if (actual != expected)
                throw new ArgumentException($"{_algorithm}: a batch of {batch.Steps} steps × {batch.Streams} streams has {actual} {field}; it needs {expected}.", "source");
        }
    }
}

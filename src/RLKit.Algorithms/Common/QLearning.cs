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
/// What DQN and soft Q-learning share around their Bellman target (CleanRL's dqn.py): the online Q-network and a
/// target copy that lags behind it so the regression target does not chase its own updates, Adam, the replay buffer
/// and its <see cref="TransitionCollector"/>, and the schedule. After <see cref="QLearningOptions.LearningStarts"/>
/// environment steps, every <see cref="QLearningOptions.TrainFrequency"/> vector steps run
/// <see cref="QLearningOptions.GradientSteps"/> Huber regressions of Q(s, a) onto the target; the target network is
/// Polyak-averaged after each regression (τ &lt; 1) or copied every <see cref="QLearningOptions.TargetUpdateInterval"/>
/// environment steps (τ = 1). Cancellation is checked before each regression: it ends the round there, unreported.
/// </summary>
internal sealed class QLearning
{
    private readonly TrainingMonitor _monitor;
    private readonly QLearningOptions _settings;
    private readonly IReadOnlyList<Tensor> _onlineParameters;
    private readonly IReadOnlyList<Tensor> _targetParameters;
    private readonly RandomGenerator _rng;
    private readonly float[] _targets;
    private readonly float[] _tdErrors;
    private readonly int _vectorWidth;
    /// <summary>Transitions the buffer must hold before regressions (<see cref="ExperienceFeed.RefillSize"/>); 0 locally, where a resume keeps the local semantics.</summary>
    private readonly int _refill;
    private readonly TransitionCollector? _collector;
    private long _vectorSteps;
    private long _stepsSinceTargetSync;

    /// <param name="environment">A vector environment with a Discrete(n) action space starting at 0.</param>
    /// <param name="monitor">Counts steps and decides when training stops.</param>
    /// <param name="settings">The schedule and replay settings (validated).</param>
    /// <param name="online">The online Q-network (already holding the warm-start weights, if any).</param>
    /// <param name="rng">Initialises the target network and samples replay batches.</param>
    /// <param name="keptBuffer">The initial agent's replay buffer to continue, or null for a new one.</param>
    /// <param name="algorithm">The algorithm's name, for error messages.</param>
    /// <param name="prioritized">Prioritized replay, or null for uniform replay.</param>
    /// <exception cref="ArgumentException">If <paramref name="keptBuffer"/> does not fit the options.</exception>
    public QLearning(IVectorEnvironment environment, TrainingMonitor monitor, QLearningOptions settings, QNetwork online, RandomGenerator rng,
                     ReplayBuffer? keptBuffer, string algorithm, PrioritizedReplayOptions? prioritized = null)
        : this(monitor, settings, online, rng, environment.Count,
               OffPolicyResume.Buffer(keptBuffer, environment.SingleObservationSpace.FlatSize, ActionLayout.Discrete(online.ActionCount), new ReplayBufferOptions
               {
                   Capacity = Math.Max(settings.BufferSize, environment.Count),
                   EnvCount = environment.Count,
                   NStep = settings.NStep,
                   Gamma = settings.Gamma,
                   Prioritized = prioritized,
               }, algorithm))
    {
        _collector = new TransitionCollector(environment, Buffer, monitor);
    }

    /// <summary>Learns from an experience source (<paramref name="feed"/>): no collector; a vector step is the source's <see cref="ExperienceFeed.StreamCount"/> transitions received.</summary>
    /// <param name="feed">The source, which supplies the replay buffer's layout.</param>
    /// <param name="monitor">Counts steps and decides when training stops.</param>
    /// <param name="settings">The schedule and replay settings (validated).</param>
    /// <param name="online">The online Q-network (already holding the warm-start weights, if any).</param>
    /// <param name="rng">Initialises the target network and samples replay batches.</param>
    /// <param name="keptBuffer">The initial agent's replay buffer, continued if it has the source's layout (<see cref="ExperienceFeed.CreateBuffer"/>).</param>
    /// <param name="prioritized">Prioritized replay, or null for uniform replay.</param>
    private QLearning(ExperienceFeed feed, TrainingMonitor monitor, QLearningOptions settings, QNetwork online, RandomGenerator rng,
                      ReplayBuffer? keptBuffer, PrioritizedReplayOptions? prioritized)
        : this(monitor, settings, online, rng, feed.StreamCount,
               feed.CreateBuffer(ActionLayout.Discrete(online.ActionCount),
                                 new ReplayBufferOptions { Capacity = settings.BufferSize, NStep = settings.NStep, Gamma = settings.Gamma, Prioritized = prioritized },
                                 keptBuffer))
    {
        _refill = ExperienceFeed.RefillSize(settings.LearningStarts, Buffer);
    }

    /// <summary>
    /// Q-learning from an experience source, continuing <paramref name="initialAgent"/> when given (see
    /// <c>OffPolicyEstimator.Fit(IExperienceSource, …)</c>): its Q-network's weights, Adam's state, its replay buffer if
    /// it has the source's layout, and with a training state the schedule's counters, the target network, the generator
    /// and the monitor's counts.
    /// </summary>
    /// <param name="feed">The source.</param>
    /// <param name="monitor">Counts transitions and decides when training stops.</param>
    /// <param name="settings">The schedule and replay settings (validated).</param>
    /// <param name="dueling">Whether the Q-network has dueling heads.</param>
    /// <param name="rng">Initialises the networks and samples replay batches.</param>
    /// <param name="initialAgent">The agent to continue, or null.</param>
    /// <param name="algorithm">The algorithm's name, for error messages.</param>
    /// <param name="prioritized">Prioritized replay, or null for uniform replay.</param>
    /// <exception cref="ArgumentException">If the source's action space is not Discrete(n) from 0 (naming "source"), or a part of the initial agent does not fit (naming "initialAgent").</exception>
    public static QLearning FromSource<TOptions>(ExperienceFeed feed, TrainingMonitor monitor, QLearningOptions settings, bool dueling, RandomGenerator rng,
                                                 QValueAgent<TOptions>? initialAgent, string algorithm, PrioritizedReplayOptions? prioritized = null)
        where TOptions : QLearningOptions
    {
        int actionCount = DiscreteActionCount(feed.ActionSpace, algorithm, "source");
        var online = new QNetwork(feed.ObservationSpace.FlatSize, actionCount, settings.HiddenSizes, dueling, rng);
        if (initialAgent is not null) OffPolicyResume.FromInitialAgent(algorithm, () => online.LoadStateDict(initialAgent.QNetwork.StateDict()));
        var learning = new QLearning(feed, monitor, settings, online, rng, initialAgent?.ReplayBuffer, prioritized);
        if (initialAgent is null) return learning;
        var state = initialAgent.TrainingState;
        OffPolicyResume.FromInitialAgent(algorithm, () =>
        {
            OptimizerStates.Restore(initialAgent.OptimizerState, ("q", learning.Optimizer));
            if (state is not null) learning.Resume(state);
        });
        feed.Resume(state, ("rng", rng));
        return learning;
    }

    /// <summary>
    /// Leaves on <paramref name="agent"/> what a later <c>Fit</c> resumes from, after learning from a source: Adam's
    /// state, the training state (counts, counters, generator, target network; no environment) and the replay buffer.
    /// </summary>
    public void KeepStateOn<TOptions>(QValueAgent<TOptions> agent) where TOptions : QLearningOptions
    {
        agent.OptimizerState = OptimizerStates.Capture(("q", Optimizer));
        agent.TrainingState = OffPolicyResume.Capture(_monitor, Counters, [("rng", _rng)], [(TargetName, Target)]);
        agent.ReplayBuffer = Buffer;
    }

    private QLearning(TrainingMonitor monitor, QLearningOptions settings, QNetwork online, RandomGenerator rng, int vectorWidth, ReplayBuffer buffer)
    {
        _vectorWidth = vectorWidth;
        _monitor = monitor;
        _settings = settings;
        _rng = rng;
        Online = online;
        Target = online.CloneArchitecture(rng);
        _onlineParameters = Online.Parameters().ToList();
        _targetParameters = Target.Parameters().ToList();
        Polyak.HardUpdate(_targetParameters, _onlineParameters);
        Optimizer = new Adam(_onlineParameters, settings.LearningRate);
        Buffer = buffer;
        _targets = new float[settings.BatchSize];
        _tdErrors = new float[settings.BatchSize];
    }

    /// <summary>The Q-network being trained.</summary>
    public QNetwork Online { get; }

    /// <summary>The lagging copy the Bellman targets are computed with.</summary>
    public QNetwork Target { get; }

    /// <summary>Adam over the online network's parameters (its state is what the agent saves as "q").</summary>
    public Adam Optimizer { get; }

    /// <summary>The transitions collected so far.</summary>
    public ReplayBuffer Buffer { get; }

    /// <summary>Write the next actions into its <see cref="TransitionCollector.DiscreteActions"/>, then call <see cref="TransitionCollector.Step"/>.</summary>
    /// <exception cref="InvalidOperationException">When learning from an experience source, which has no collector.</exception>
    public TransitionCollector Collector => _collector ?? throw new InvalidOperationException("QLearning: learning from an experience source, there is no collector.");

    /// <summary>The schedule's counters, for the training state.</summary>
    public IEnumerable<(string Name, long Value)> Counters =>
        [("vector_steps", _vectorSteps), ("steps_since_target_sync", _stepsSinceTargetSync)];

    /// <summary>The target network's name in the training state.</summary>
    public const string TargetName = "q_target";

    /// <summary>Continues the schedule and the target network where <paramref name="state"/> left them.</summary>
    /// <exception cref="InvalidOperationException">If the state lacks them or its target network does not fit.</exception>
    public void Resume(TrainingState state)
    {
        _vectorSteps = state.Counter("vector_steps");
        _stepsSinceTargetSync = state.Counter("steps_since_target_sync");
        state.LoadModule(TargetName, Target);
    }

    /// <summary>
    /// The learning half of one vector step, called after <see cref="TransitionCollector.Step"/>: runs the
    /// regressions when the schedule says so and keeps the target network in sync.
    /// </summary>
    /// <param name="target">Writes the Bellman targets y of a sampled batch.</param>
    /// <returns>
    /// The mean loss and mean Q(s, a) of the regressions run, or null when this step trained nothing or cancellation
    /// cut its round short (the online network keeps the regressions already run; the round is not to be reported).
    /// </returns>
    public (double Loss, double MeanQ)? Learn(BellmanTarget target)
    {
        _vectorSteps++;
        _stepsSinceTargetSync += _vectorWidth;
        bool collecting = _monitor.Steps <= _settings.LearningStarts || Buffer.Count < _refill;
        (double, double)? result = null;
        if (!collecting && _vectorSteps % _settings.TrainFrequency == 0)
        {
            double lossSum = 0, meanQSum = 0;
            for (int g = 0; g < _settings.GradientSteps; g++)
            {
                if (_monitor.IsCancellationRequested) return null;
                var (loss, meanQ) = GradientStep(target);
                lossSum += loss;
                meanQSum += meanQ;
                if (_settings.Tau < 1f) Polyak.SoftUpdate(_targetParameters, _onlineParameters, _settings.Tau);
            }
            result = (lossSum / _settings.GradientSteps, meanQSum / _settings.GradientSteps);
        }
        if (_settings.Tau >= 1f && !collecting && _stepsSinceTargetSync >= _settings.TargetUpdateInterval)
        {
            Polyak.HardUpdate(_targetParameters, _onlineParameters);
            _stepsSinceTargetSync = 0;
        }
        return result;
    }

    /// <summary>One Huber-loss regression step on a sampled batch; returns the loss and the mean Q(s, a).</summary>
    internal (double Loss, double MeanQ) GradientStep(BellmanTarget target)
    {
        int batchSize = _settings.BatchSize;
        var batch = Buffer.Sample(batchSize, _rng);
        using var scope = TensorScope.Begin();
        using (Autograd.GradMode.NoGrad())
            target(batch, Online, Target, _targets);

        var q = Online.Forward(batch.Observations).Gather(1, batch.ActionIndices).Reshape(batchSize);
        var y = Tensor.FromSpan(_targets, batchSize);
        Tensor loss;
        if (Buffer.IsPrioritized)
        {
            // Importance weights undo the bias of sampling by priority; new priorities are the fresh TD errors.
            loss = (Functional.SmoothL1Loss(q, y, reduction: Reduction.None) * batch.Weights).Mean();
            var qValues = q.AsReadOnlySpan();
            for (int b = 0; b < _tdErrors.Length; b++) _tdErrors[b] = _targets[b] - qValues[b];
            Buffer.UpdatePriorities(batch.Indices, _tdErrors);
        }
        else
        {
            loss = Functional.SmoothL1Loss(q, y);
        }

        Optimizer.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(Optimizer.Parameters, _settings.MaxGradNorm);
        Optimizer.Step();
        return (loss.Item(), TensorPrimitives.Sum(q.AsReadOnlySpan()) / batchSize);
    }

    /// <summary>The number of actions of a Discrete(n) action space starting at 0.</summary>
    /// <exception cref="ArgumentException">If the environment's action space is anything else.</exception>
    public static int DiscreteActionCount(IVectorEnvironment environment, string algorithm) =>
        DiscreteActionCount(environment.SingleActionSpace, algorithm, nameof(environment));

    /// <summary>The number of actions of <paramref name="actionSpace"/>, a Discrete(n) space starting at 0.</summary>
    /// <exception cref="ArgumentException">If the space is anything else (naming <paramref name="argument"/>).</exception>
    public static int DiscreteActionCount(Space actionSpace, string algorithm, string argument)
    {
        if (actionSpace is Discrete { Start: 0 } discrete) return discrete.N;
        string owner = argument == "environment" ? "this environment's" : $"the {argument}'s";
        throw new ArgumentException($"{algorithm} needs a Discrete(n) action space starting at 0; {owner} is {actionSpace}.", argument);
    }
}

/// <summary>Writes the regression targets y of a replay batch (outside autograd), given the online and target networks.</summary>
internal delegate void BellmanTarget(ReplayBatch batch, QNetwork online, QNetwork target, Span<float> targets);

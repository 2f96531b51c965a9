using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// SAC's learning half, shared by the local loop and learning from an experience source: the agent (fresh or warm
/// started), the target critics, the three optimizers and the generator, made in one fixed order so a seed gives the
/// same networks either way, and <see cref="Update"/>, one critic step with the delayed actor and α steps.
/// </summary>
internal sealed class SacLearner
{
    private readonly SacOptions _options;
    private readonly ContinuousQNetwork _q1Target;
    private readonly ContinuousQNetwork _q2Target;
    private readonly Adam _criticOptimizer;
    private readonly Adam _actorOptimizer;
    private readonly Adam _alphaOptimizer;
    private readonly float _targetEntropy;
    private readonly int _actionSize;
    private double _actorLoss = double.NaN, _alphaLoss = double.NaN, _entropy = double.NaN;

    /// <param name="observationSpace">One environment's observation space.</param>
    /// <param name="actionSpace">One environment's Box action space.</param>
    /// <param name="options">The options (validated).</param>
    /// <param name="initialAgent">A warm start: its weights, optimizer moments and training state continue; null for a fresh agent.</param>
    public SacLearner(Space observationSpace, Box actionSpace, SacOptions options, SacAgent? initialAgent)
    {
        _options = options;
        _actionSize = actionSpace.FlatSize;
        Rng = new RandomGenerator(options.Seed);
        Agent = initialAgent ?? SacAgent.Create(observationSpace, actionSpace, options, Rng);
        _q1Target = Agent.Q1.CloneAsTarget(Rng);
        _q2Target = Agent.Q2.CloneAsTarget(Rng);
        _criticOptimizer = new Adam(Agent.Q1.Parameters().Concat(Agent.Q2.Parameters()), options.QLearningRate);
        _actorOptimizer = new Adam(Agent.Actor.Parameters(), options.PolicyLearningRate);
        _alphaOptimizer = new Adam([Agent.LogAlpha], options.QLearningRate);
        // Warm start resumes the optimizers where the initial agent's last Fit left them (IResumableAgent).
        OptimizerStates.Restore(initialAgent?.OptimizerState, ("actor", _actorOptimizer), ("critic", _criticOptimizer), ("alpha", _alphaOptimizer));
        Resumed = Agent.TrainingState;
        Targets = [("q1_target", _q1Target), ("q2_target", _q2Target)];
        Updates = Resumed?.Counter("updates") ?? 0;
        OffPolicyResume.LoadNetworks(Resumed, Targets);
        _targetEntropy = options.TargetEntropy ?? -_actionSize;
    }

    /// <summary>The agent being trained.</summary>
    public SacAgent Agent { get; }

    /// <summary>Samples actions, replay batches and the actor's noise.</summary>
    public RandomGenerator Rng { get; }

    /// <summary>The initial agent's training state, or null.</summary>
    public TrainingState? Resumed { get; }

    /// <summary>The target critics, by their names in the training state.</summary>
    public (string, Module)[] Targets { get; }

    /// <summary>Critic steps so far (the delayed actor and target updates count them).</summary>
    public long Updates { get; private set; }

    /// <summary>The optimizers' states, for the agent.</summary>
    public IReadOnlyDictionary<string, Tensor> CaptureOptimizers() =>
        OptimizerStates.Capture(("actor", _actorOptimizer), ("critic", _criticOptimizer), ("alpha", _alphaOptimizer));

    /// <summary>
    /// One critic step on a batch from <paramref name="buffer"/>, with PolicyFrequency actor (and α) steps every
    /// PolicyFrequency critic steps (CleanRL), then the Polyak target update. Returns the losses, or null if
    /// cancellation cut the update short (it is not to be reported).
    /// </summary>
    public IReadOnlyDictionary<string, double>? Update(ReplayBuffer buffer, TrainingMonitor monitor)
    {
        var o = _options;
        var (actor, q1, q2, logAlpha) = (Agent.Actor, Agent.Q1, Agent.Q2, Agent.LogAlpha);
        Updates++;
        using var scope = TensorScope.Begin();
        var batch = buffer.Sample(o.BatchSize, Rng);
        float alpha = MathF.Exp(logAlpha.AsReadOnlySpan()[0]);
        Tensor target;
        using (GradMode.NoGrad())
        {
            var (nextActions, nextLogProbs) = actor.Sample(batch.NextObservations, Tensor.RandomNormal(Rng, [batch.Size, _actionSize]));
            var softNextQ = Tensor.Minimum(_q1Target.Forward(batch.NextObservations, nextActions), _q2Target.Forward(batch.NextObservations, nextActions))
                            - nextLogProbs * alpha;
            target = batch.Rewards + batch.Discounts * (1f - batch.Dones) * softNextQ;
        }
        var criticLoss = Functional.MseLoss(q1.Forward(batch.Observations, batch.Actions), target)
                       + Functional.MseLoss(q2.Forward(batch.Observations, batch.Actions), target);
        _criticOptimizer.ZeroGrad();
        criticLoss.Backward();
        _criticOptimizer.Step();

        // Delayed actor (and α) updates, compensated by doing PolicyFrequency of them at once (CleanRL).
        if (Updates % o.PolicyFrequency == 0)
        {
            for (int k = 0; k < o.PolicyFrequency && !monitor.IsCancellationRequested; k++)
            {
                var (policyActions, logProbs) = actor.Sample(batch.Observations, Tensor.RandomNormal(Rng, [batch.Size, _actionSize]));
                var minQ = Tensor.Minimum(q1.Forward(batch.Observations, policyActions), q2.Forward(batch.Observations, policyActions));
                var policyLoss = (logProbs * alpha - minQ).Mean();
                _actorOptimizer.ZeroGrad();
                policyLoss.Backward();
                _actorOptimizer.Step();
                _actorLoss = policyLoss.Item();
                _entropy = -logProbs.Detach().Mean().Item();

                if (o.AutoTuneAlpha)
                {
                    var temperatureLoss = OffPolicyHelpers.TemperatureLoss(logAlpha, logProbs, _targetEntropy);
                    _alphaOptimizer.ZeroGrad();
                    temperatureLoss.Backward();
                    _alphaOptimizer.Step();
                    alpha = MathF.Exp(logAlpha.AsReadOnlySpan()[0]);
                    _alphaLoss = temperatureLoss.Item();
                }
            }
        }

        if (monitor.IsCancellationRequested) return null; // an interrupted update is not reported

        if (Updates % o.TargetNetworkFrequency == 0)
        {
            OffPolicyHelpers.SoftUpdate(_q1Target, q1, o.Tau);
            OffPolicyHelpers.SoftUpdate(_q2Target, q2, o.Tau);
        }

        return new Dictionary<string, double>
        {
            ["critic"] = criticLoss.Item(), ["actor"] = _actorLoss, ["alpha"] = _alphaLoss, ["alpha_value"] = alpha, ["entropy"] = _entropy,
        };
    }
}

using RLKit.Autograd;
using RLKit.Data;
using RLKit.Optim;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// The learning half of the harness: one gradient step trains every task's SAC at once on a <see cref="MultiTaskBatch"/>
/// ([T, B, ·]), in the reference's order — critics, then actors against the updated critics, then temperatures, then
/// the Polyak update of the target critics. Each loss is the sum over tasks of that task's batch-mean SAC loss, so a
/// task's gradient reaches only its own networks (for separate networks), and one Adam over the batched parameters is T
/// Adams, Adam being elementwise. With shared networks the sum is T times the reference's mixed-batch mean, which Adam's
/// scale invariance makes the same update.
/// </summary>
internal sealed class MultiTaskSacLearner
{
    private readonly MultiTaskSacModel _model;
    private readonly MultiTaskSacHooks _hooks;
    private readonly RandomGenerator _rng;
    private readonly TaskNetworks _q1Target, _q2Target;
    private readonly Tensor[] _criticParameters, _targetParameters;
    private readonly Adam _actorOptimizer, _criticOptimizer, _alphaOptimizer;
    private double _criticSum, _actorSum, _alphaSum, _entropySum;
    private int _steps;

    public MultiTaskSacLearner(MultiTaskSacModel model, MultiTaskSacHooks hooks, RandomGenerator rng)
    {
        var o = model.Options;
        _model = model;
        _hooks = hooks;
        _rng = rng;
        _q1Target = model.Q1.CloneAsTarget(rng);
        _q2Target = model.Q2.CloneAsTarget(rng);
        _criticParameters = [.. model.Q1.Parameters(), .. model.Q2.Parameters()];
        _targetParameters = [.. _q1Target.Parameters(), .. _q2Target.Parameters()];
        _actorOptimizer = new Adam(model.Actor.Parameters(), o.PolicyLearningRate);
        _criticOptimizer = new Adam(_criticParameters, o.QLearningRate);
        _alphaOptimizer = new Adam([model.LogAlpha], o.AlphaLearningRate);
        // Shared and multi-head networks learn as the reference's multi-task SAC does: one batch of BatchSize spread over
        // the tasks per step, T times as many steps. Separate networks take a full batch per task per step.
        bool separate = o.Sharing == TaskParameterSharing.Separate;
        int perTask = separate ? o.BatchSize : (o.BatchSize + model.Tasks - 1) / model.Tasks;
        GradientStepsPerUpdate = separate ? o.GradientStepsPerUpdate : o.GradientStepsPerUpdate * model.Tasks;
        Batch = new MultiTaskBatch(model.Tasks, perTask, model.ObservationSize, model.ActionSize);
    }

    /// <summary>Gradient steps in one update (<see cref="MultiTaskSacOptions.GradientStepsPerUpdate"/>, times T for shared networks).</summary>
    public int GradientStepsPerUpdate { get; }

    /// <summary>The stacked batch each step samples into.</summary>
    public MultiTaskBatch Batch { get; }

    /// <summary>The optimizers by name, for warm starts (<see cref="OptimizerStates"/>).</summary>
    public (string, Optimizer)[] Optimizers => [("actor", _actorOptimizer), ("critic", _criticOptimizer), ("alpha", _alphaOptimizer)];

    /// <summary>One gradient step of every task on a fresh batch from <paramref name="buffers"/>.</summary>
    public void Step(MultiTaskReplayBuffer buffers)
    {
        Batch.Sample(buffers, _rng);
        Step(Batch);
    }

    /// <summary>One gradient step of every task on <paramref name="batch"/>.</summary>
    public void Step(MultiTaskBatch batch)
    {
        var model = _model;
        int tasks = model.Tasks, rows = batch.PerTask, actionSize = model.ActionSize;
        using var scope = TensorScope.Begin();
        var alpha = model.LogAlpha.Detach().Exp().Reshape(tasks, 1);

        // Critics: regress Q1 and Q2 onto r + γ(1 − terminated)(min of the targets at a′ ~ π(s′) − α log π(a′|s′)).
        Tensor target;
        using (GradMode.NoGrad())
        {
            var (nextMean, nextLogStd) = model.Gaussian(model.Actor.Forward(batch.NextObservations));
            var (nextAction, nextLogProb) = model.Sample(nextMean, nextLogStd, Tensor.RandomNormal(_rng, [tasks, rows, actionSize]));
            var nextQ = Tensor.Minimum(MultiTaskSacModel.Q(_q1Target, batch.NextObservations, nextAction),
                                       MultiTaskSacModel.Q(_q2Target, batch.NextObservations, nextAction));
            target = batch.Rewards + batch.Bootstrap * (nextQ - alpha * nextLogProb);
        }
        var q1 = MultiTaskSacModel.Q(model.Q1, batch.Observations, batch.Actions);
        var q2 = MultiTaskSacModel.Q(model.Q2, batch.Observations, batch.Actions);
        var criticLoss = ((q1 - target).Square() + (q2 - target).Square()).Mean() * tasks;
        _criticOptimizer.ZeroGrad();
        criticLoss.Backward();
        _criticOptimizer.Step();

        // Actors: minimise α log π(a|s) − min(Q1, Q2)(s, a) with a reparameterised a ~ π(s). The critics' weights are
        // frozen for this pass, so its backward computes only the gradient through their inputs.
        var (mean, logStd) = model.Gaussian(model.Actor.Forward(batch.Observations));
        var (action, logProb) = model.Sample(mean, logStd, Tensor.RandomNormal(_rng, [tasks, rows, actionSize]));
        SetCriticsTrainable(false);
        var minQ = Tensor.Minimum(MultiTaskSacModel.Q(model.Q1, batch.Observations, action), MultiTaskSacModel.Q(model.Q2, batch.Observations, action));
        var actorLoss = (alpha * logProb - minQ).Mean() * tasks;
        if (_hooks.ActorLossTerm(model, batch.Observations, mean, logStd) is { } extra) actorLoss += extra;
        _actorOptimizer.ZeroGrad();
        actorLoss.Backward();
        SetCriticsTrainable(true);
        _actorOptimizer.Step();

        // Temperatures: −α_t (log π + H̄) per task (Haarnoja et al. 2018b, eq. 18), log π held constant.
        var temperatureLoss = (model.LogAlpha.Exp().Reshape(tasks, 1) * (logProb.Detach() + model.TargetEntropy)).Mean() * -tasks;
        _alphaOptimizer.ZeroGrad();
        temperatureLoss.Backward();
        _alphaOptimizer.Step();

        Polyak.SoftUpdate(_targetParameters, _criticParameters, model.Options.Tau);

        _criticSum += criticLoss.Item() / tasks;
        _actorSum += actorLoss.Item() / tasks;
        _alphaSum += temperatureLoss.Item() / tasks;
        _entropySum -= logProb.Mean().Item();
        _steps++;
    }

    /// <summary>
    /// The means over tasks, averaged over the steps since the last call: "critic" (Q1 + Q2 squared errors), "actor",
    /// "alpha" (the temperature loss), "entropy" (−log π of the sampled actions) and "alpha_value" (mean α now).
    /// Null when no step was taken.
    /// </summary>
    public Dictionary<string, double>? TakeLosses()
    {
        if (_steps == 0) return null;
        double alphaValue = 0;
        foreach (float logAlpha in _model.LogAlpha.AsReadOnlySpan()) alphaValue += Math.Exp(logAlpha);
        var losses = new Dictionary<string, double>
        {
            ["critic"] = _criticSum / _steps, ["actor"] = _actorSum / _steps, ["alpha"] = _alphaSum / _steps,
            ["entropy"] = _entropySum / _steps, ["alpha_value"] = alphaValue / _model.Tasks,
        };
        (_criticSum, _actorSum, _alphaSum, _entropySum, _steps) = (0, 0, 0, 0, 0);
        return losses;
    }

    private void SetCriticsTrainable(bool trainable)
    {
        foreach (var parameter in _criticParameters) parameter.RequiresGrad = trainable;
    }
}

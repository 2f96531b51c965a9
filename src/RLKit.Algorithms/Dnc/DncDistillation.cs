using RLKit.Algorithms.Common;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Data;
using RLKit.Distributions;
using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Algorithms.Dnc;

/// <summary>
/// DnC's distillation (reference: clvrai/qmp <c>dnc_sac.py</c>, <c>do_distillation</c>): the central policy π_c (the
/// model's <see cref="MultiTaskSacModel.Central"/>, shaped like one task policy) learns by maximum likelihood the actions
/// stored in every task's buffer, then every task policy's weights are replaced by π_c's. The critics and temperatures
/// are untouched, and so is the task actors' Adam state (the reference copies the weights only). π_c has its own Adam,
/// kept from one distillation to the next, with the policies' learning rate.
/// </summary>
internal sealed class DncDistillation
{
    private readonly MultiTaskSacModel _model;
    private readonly TaskNetworks _central;
    private readonly Adam _optimizer;
    private readonly MultiTaskBatch _batch;
    private readonly Tensor _squashedActions;

    /// <exception cref="ArgumentException">If the model keeps no central policy.</exception>
    public DncDistillation(MultiTaskSacModel model)
    {
        _model = model;
        _central = model.Central ?? throw new ArgumentException("DnC's distillation needs a model with a central policy.", nameof(model));
        _optimizer = new Adam(_central.Parameters(), model.Options.PolicyLearningRate);
        // The reference's sample_all_transitions(B) draws ⌊B/T⌋ transitions from each task's buffer per step.
        int perTask = Math.Max(1, model.Options.BatchSize / model.Tasks);
        _batch = new MultiTaskBatch(model.Tasks, perTask, model.ObservationSize, model.ActionSize);
        _squashedActions = Tensor.AllocatePersistent([model.Tasks * perTask, model.ActionSize]);
    }

    /// <summary>Transitions per task in each distillation step.</summary>
    public int PerTask => _batch.PerTask;

    /// <summary>
    /// −mean log π_c(a|s) over rows of observations [N, obs] and actions [N, |A|] in [−1, 1] (the environment's actions
    /// un-rescaled): the tanh-Gaussian's log-density through atanh (actions clamped just inside ±1) with the tanh
    /// Jacobian, summed over action dimensions.
    /// </summary>
    public Tensor NegativeLogLikelihood(Tensor observations, Tensor squashedActions)
    {
        var (mean, logStd) = _model.Gaussian(_central.Forward(observations));
        var logProb = new TanhGaussian(mean, logStd).LogProb(squashedActions.Reshape(1, squashedActions.Dim(0), squashedActions.Dim(1)));
        return -logProb.Mean();
    }

    /// <summary>
    /// <paramref name="steps"/> Adam steps of π_c, each on a fresh draw of <see cref="PerTask"/> transitions from every
    /// task's buffer; returns the mean of the steps' losses (−log-likelihood), or null if cancellation stopped it before
    /// the last step (checked before every step).
    /// </summary>
    public double? Train(MultiTaskReplayBuffer buffers, int steps, RandomGenerator rng, Func<bool> cancelled)
    {
        double sum = 0;
        for (int step = 0; step < steps; step++)
        {
            if (cancelled()) return null;
            using var scope = TensorScope.Begin();
            _batch.Sample(buffers, rng);
            _squashedActions.CopyFrom(_batch.Actions);
            ActionRescaling.FromBox(_model.Rescaler.Space, _squashedActions.AsSpan());
            var loss = NegativeLogLikelihood(_batch.Observations.Reshape(_squashedActions.Dim(0), _model.ObservationSize), _squashedActions);
            _optimizer.ZeroGrad();
            loss.Backward();
            _optimizer.Step();
            sum += loss.Item();
        }
        return sum / steps;
    }

    /// <summary>Every task policy restarts from π_c: its weights are copied into each member of the task actors.</summary>
    public void ResetTaskPolicies()
    {
        for (int task = 0; task < _model.Tasks; task++) CopyMember(_central, 0, _model.Actor, task);
    }

    /// <summary>
    /// Copies member <paramref name="fromMember"/> of <paramref name="from"/> into member <paramref name="toMember"/> of
    /// <paramref name="to"/>: two <see cref="TaskParameterSharing.Separate"/> networks of the same layer sizes, whose every
    /// parameter is stacked over members on its first dimension.
    /// </summary>
    /// <exception cref="ArgumentException">If the two networks' parameters do not correspond.</exception>
    public static void CopyMember(TaskNetworks from, int fromMember, TaskNetworks to, int toMember)
    {
        var sources = from.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        foreach (var (name, target) in to.NamedParameters())
        {
            if (!sources.TryGetValue(name, out var source) || !source.Shape[1..].SequenceEqual(target.Shape[1..]))
                throw new ArgumentException($"DnC: the networks' parameter '{name}' does not correspond member for member.", nameof(to));
            int size = target.Size / target.Dim(0);
            source.AsReadOnlySpan().Slice(fromMember * size, size).CopyTo(target.AsSpan().Slice(toMember * size, size));
        }
    }
}

using RLKit.Algorithms.MultiTaskSac;
using RLKit.Tensors;

namespace RLKit.Algorithms.Dnc;

/// <summary>
/// DnC on the multi-task SAC harness: <see cref="ActorLossTerm"/> adds the KL penalty between task policies
/// (<see cref="DncRegularisation"/>) to every gradient step's actor loss, and, for <see cref="DncMode.Full"/>,
/// <see cref="AfterIteration"/> distils into the central policy and resets the task policies to it when the
/// <see cref="DistillationSchedule"/> says so. Reports "kl" (the mean KL(π_j ‖ π_i) over ordered pairs and the update's
/// gradient steps; with two or more tasks and β &gt; 0), and for the full method "distillations" (how many so far) and,
/// in an update that distils, "distillation_loss" (the mean −log-likelihood of the stored actions under π_c over the
/// distillation's steps).
/// </summary>
internal sealed class DncHooks : MultiTaskSacHooks
{
    private readonly DncOptions _options;
    private readonly DncDistillation? _distillation;
    private readonly DistillationSchedule? _schedule;
    private double _klSum;
    private int _klSteps;
    private int _distillations;

    /// <param name="options">The run's options.</param>
    /// <param name="model">The networks being trained.</param>
    /// <param name="startProgress">The budget's progress when the fit starts (distillation points already passed are skipped).</param>
    public DncHooks(DncOptions options, MultiTaskSacModel model, double startProgress)
    {
        _options = options;
        if (options.Mode == DncMode.Full)
        {
            _distillation = new DncDistillation(model);
            _schedule = new DistillationSchedule(options.DistillationCount, startProgress);
        }
    }

    /// <summary>β·Σ_i Σ_{j≠i} mean_s KL(π_j ‖ π_i), or null with one task or β = 0.</summary>
    public override Tensor? ActorLossTerm(MultiTaskSacModel model, Tensor observations, Tensor mean, Tensor logStd)
    {
        if (model.Tasks < 2 || _options.KlCoefficient == 0f) return null;
        var (penalty, meanKl) = DncRegularisation.Penalty(model, observations, _options.KlCoefficient);
        _klSum += meanKl;
        _klSteps++;
        return penalty;
    }

    /// <summary>Reports the update's mean KL; distils and resets the task policies when a distillation point is reached.</summary>
    public override void AfterIteration(MultiTaskSacIteration iteration)
    {
        if (_klSteps > 0) iteration.Losses["kl"] = _klSum / _klSteps;
        (_klSum, _klSteps) = (0, 0);
        if (_distillation is null || _schedule is null) return;
        if (_schedule.Due(iteration.Monitor.Progress))
        {
            var monitor = iteration.Monitor;
            if (_distillation.Train(iteration.Buffers, _options.DistillationSteps, iteration.Random, () => monitor.IsCancellationRequested) is { } loss)
            {
                _distillation.ResetTaskPolicies();
                _distillations++;
                iteration.Losses["distillation_loss"] = loss;
            }
        }
        iteration.Losses["distillations"] = _distillations;
    }
}

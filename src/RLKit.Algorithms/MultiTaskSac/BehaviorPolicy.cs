using RLKit.Environments;
using RLKit.Tensors;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// How the harness chooses the actions it collects with: given every sub-environment's observation (task-major, as
/// <see cref="TaskAssignment"/> lays them out), write one action per sub-environment. The transition always goes to the
/// buffer of the sub-environment's task, whichever policy proposed the action. Called under no-grad inside a
/// <see cref="TensorScope"/>.
/// </summary>
internal abstract class BehaviorPolicy
{
    /// <summary>Writes the actions (environment units, [E × |A|]) for <paramref name="observations"/> [E, obs].</summary>
    /// <param name="model">The networks being trained.</param>
    /// <param name="observations">Every sub-environment's observation, task-major.</param>
    /// <param name="tasks">Which task each sub-environment plays.</param>
    /// <param name="iteration">The update being collected for, from 0.</param>
    /// <param name="actions">Receives the actions.</param>
    /// <param name="rng">The run's generator.</param>
    public abstract void Act(MultiTaskSacModel model, Tensor observations, TaskAssignment tasks, int iteration, Span<float> actions, RandomGenerator rng);

    /// <summary>Adds what the behaviour policy reports for the update just collected (nothing by default).</summary>
    public virtual void Report(IDictionary<string, double> losses) { }

    /// <summary>
    /// Writes a sample of task t's own policy π_t for each of task t's sub-environments: the harness's default behaviour,
    /// one batched pass of the actors over [T, k, obs]. <paramref name="noise"/> is scratch space of the actions' length.
    /// </summary>
    public static void ActWithTaskPolicies(MultiTaskSacModel model, Tensor observations, TaskAssignment tasks, Span<float> actions,
                                           Span<float> noise, RandomGenerator rng)
    {
        var perTaskRows = observations.Reshape(tasks.TaskCount, tasks.EnvironmentsPerTask, model.ObservationSize);
        rng.FillNormal(noise);
        model.Actions(model.Actor.Forward(perTaskRows).AsReadOnlySpan(), noise, actions, []);
    }
}

/// <summary>Every task acts with its own policy π_t (Separated, Shared, Multihead, DnC).</summary>
internal sealed class TaskPolicyBehavior : BehaviorPolicy
{
    private float[] _noise = [];

    public override void Act(MultiTaskSacModel model, Tensor observations, TaskAssignment tasks, int iteration, Span<float> actions, RandomGenerator rng)
    {
        if (_noise.Length != actions.Length) _noise = new float[actions.Length];
        ActWithTaskPolicies(model, observations, tasks, actions, _noise, rng);
    }
}

using RLKit.Environments;
using RLKit.Environments.Vector;

namespace RLKit.Training;

/// <summary>
/// A configured learning algorithm, like an ML.NET estimator: <c>Fit</c> trains on an environment within a budget
/// and returns the trained agent. Estimators are immutable; fitting never changes them.
/// </summary>
/// <typeparam name="TAgent">The agent type the algorithm produces.</typeparam>
public interface IAgentEstimator<TAgent> where TAgent : class, IAgent
{
    /// <summary>
    /// Trains on a vector environment until the budget is spent, a callback stops training, or the token is
    /// cancelled. Pass <paramref name="initialAgent"/> to warm-start.
    /// </summary>
    /// <remarks>
    /// <para>The budget is checked between updates, so a spent budget lets the current update finish. Cancellation is
    /// prompt: no gradient step starts after the token is cancelled, even in the middle of an update (the interrupted
    /// update is not reported), and Fit returns normally, without throwing, the agent holding the weights of its last
    /// completed gradient step; the final progress report is still emitted.</para>
    /// <para>An initial agent that carries a <see cref="Checkpoints.TrainingState"/> (the off-policy algorithms leave one)
    /// resumes: the step count, schedules, random generator and replay buffer go on, the budget counts the steps this
    /// Fit adds, and <paramref name="environment"/> continues where the last Fit left it if it is that environment, still
    /// running (otherwise it is reset with seed Seed + steps).</para>
    /// </remarks>
    TAgent Fit(IVectorEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
               CancellationToken cancellationToken = default, TAgent? initialAgent = null);

    /// <summary>Trains on a single environment (wrapped as a one-env vector environment).</summary>
    TAgent Fit(IEnvironment environment, Budget budget, IProgress<TrainingUpdate>? progress = null,
               CancellationToken cancellationToken = default, TAgent? initialAgent = null);

    /// <summary>
    /// Trains one agent on every task of a task set at once: a vector environment with
    /// <paramref name="environmentsPerTask"/> sub-environments per task (the multi-task "shared policy" baseline).
    /// Multi-task algorithms (Distral, QMP) provide their own task-aware estimators.
    /// </summary>
    TAgent Fit(ITaskSet taskSet, Budget budget, IProgress<TrainingUpdate>? progress = null,
               CancellationToken cancellationToken = default, TAgent? initialAgent = null, int environmentsPerTask = 1);
}

using RLKit.Algorithms.Distral;
using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;
using RLKit.Hosting;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Hosting;

/// <summary>
/// The multi-task algorithms of the seed papers as <see cref="IAgentEstimatorFactory"/> instances, keyed by their short
/// names: the single source for <c>AddMultiTaskAlgorithms()</c> (keyed DI), the package's <see cref="IRLKitModule"/>
/// (behind <see cref="Checkpoint.LoadAgent"/> and <c>new RLContext(seed)</c>) and <c>rl.Agents.Distral()</c>,
/// <c>rl.Agents.MultiTaskSac()</c>, <c>rl.Agents.Qmp()</c>.
/// </summary>
public static class MultiTaskAlgorithms
{
    /// <summary>Distral (Teh et al. 2017; seed 001), "distral".</summary>
    public static AgentEstimatorFactory<DistralOptions, DistralAgent, DistralEstimator> Distral { get; } = new(
        DistralEstimator.Name, "Distral: per-task policies distilled into a shared policy π0 (soft Q-learning or actor-critic, 1-col or 2-col; fit a task set).",
        static () => new DistralOptions(), static (o, seed) => o with { Seed = seed }, static o => new DistralEstimator(o), DistralAgent.FromCheckpoint);

    /// <summary>Multi-task SAC (the QMP paper's Separated, Shared and Shared Multihead baselines; seed 002), "mt-sac".</summary>
    public static AgentEstimatorFactory<MultiTaskSacOptions, MultiTaskSacAgent, MultiTaskSacEstimator> MultiTaskSac { get; } = new(
        MultiTaskSacEstimator.Name, "Multi-task SAC: one soft actor-critic and replay buffer per task, separate, shared or multi-head networks (continuous actions; fit a task set).",
        static () => new MultiTaskSacOptions(), static (o, seed) => o with { Seed = seed }, static o => new MultiTaskSacEstimator(o), MultiTaskSacAgent.FromCheckpoint);

    /// <summary>QMP (Q-switch mixture of policies; seed 002), "qmp".</summary>
    public static AgentEstimatorFactory<QmpOptions, MultiTaskSacAgent, QmpEstimator> Qmp { get; } = new(
        QmpEstimator.Name, "QMP: multi-task SAC whose tasks collect data with the Q-switch mixture of every task's policy (continuous actions; fit a task set).",
        static () => new QmpOptions(), static (o, seed) => o with { Seed = seed }, static o => new QmpEstimator(o), MultiTaskSacAgent.FromCheckpoint<QmpOptions>);

    /// <summary>DnC (Divide-and-Conquer RL, the QMP paper's DnC and DnC regularisation-only baselines; seed 002), "dnc".</summary>
    public static AgentEstimatorFactory<DncOptions, MultiTaskSacAgent, DncEstimator> Dnc { get; } = new(
        DncEstimator.Name, "DnC: multi-task SAC with a KL penalty between task policies and distillation into a central policy at 10 points of training, or the penalty alone (continuous actions; fit a task set).",
        static () => new DncOptions(), static (o, seed) => o with { Seed = seed }, static o => new DncEstimator(o), MultiTaskSacAgent.FromCheckpoint<DncOptions>);

    /// <summary>Every multi-task algorithm.</summary>
    public static IReadOnlyList<IAgentEstimatorFactory> All { get; } = [Distral, MultiTaskSac, Qmp, Dnc];

    /// <summary>Adds every multi-task algorithm not yet in <paramref name="registry"/>.</summary>
    internal static void AddTo(AlgorithmRegistry registry)
    {
        foreach (var factory in All) registry.TryAdd(factory);
    }
}

using System.Runtime.CompilerServices;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The collection half of every on-policy loop (PPO, A2C, REINFORCE, Mix &amp; Mask): one vector step of an
/// actor-critic network. It samples a ∼ π(·|s) (masked by the environment's <c>ActionMasks</c> for an ActionSet),
/// records log π(a|s) and V(s), steps the environment (continuous actions are clipped to the box when sent but kept
/// unclipped, so their log-probability stays exact), counts the step, and computes V(s′) of every episode truncated
/// in this step, from the step's <see cref="VectorStepResult.NextObservations"/>: truncation bootstraps, termination
/// does not. Every buffer is allocated once.
/// </summary>
internal sealed class RolloutCollector
{
    private readonly IVectorEnvironment _environment;
    private readonly ActorCriticModel _network;
    private readonly TrainingMonitor _monitor;
    private readonly RandomGenerator _sampling;
    private readonly Box? _actionBox;
    private readonly float[] _clippedActions;
    private readonly bool[] _stepMasks;
    private readonly int _actionCount;

    public RolloutCollector(IVectorEnvironment environment, ActorCriticModel network, TrainingMonitor monitor, RandomGenerator sampling)
    {
        _environment = environment;
        _network = network;
        _monitor = monitor;
        _sampling = sampling;
        int envs = environment.Count;
        var actionSpace = environment.SingleActionSpace;
        (Layout, _actionBox) = actionSpace switch
        {
            ActionSet set => (ActionLayout.MaskedDiscrete(set.Count), (Box?)null),
            Discrete discrete => (ActionLayout.Discrete(discrete.N), null),
            Box box => (ActionLayout.Continuous(box.FlatSize), box),
            _ => throw new NotSupportedException($"On-policy collection takes Discrete, ActionSet or Box actions, not {actionSpace}."),
        };
        _actionCount = Layout.ActionCount;
        DiscreteActions = Layout.IsDiscrete ? new int[envs] : [];
        ContinuousActions = Layout.IsDiscrete ? [] : new float[envs * Layout.Size];
        _clippedActions = new float[ContinuousActions.Length];
        _stepMasks = new bool[environment.ActionMasks.Length];
        LogProbs = new float[envs];
        Values = new float[envs];
        BootstrapValues = new float[envs];
    }

    /// <summary>How a rollout buffer for this environment stores actions (masked for an ActionSet).</summary>
    public ActionLayout Layout { get; }

    /// <summary>Probability of replacing a sampled discrete action by a uniformly random one (A2C's ε-greedy); 0 = off.</summary>
    public float Epsilon { get; set; }

    /// <summary>The last step's discrete actions, [envs]; empty for Box actions.</summary>
    public int[] DiscreteActions { get; }

    /// <summary>The last step's continuous actions as sampled (unclipped), [envs × action size]; empty for discrete actions.</summary>
    public float[] ContinuousActions { get; }

    /// <summary>log π(a|s) of the last step's actions, [envs].</summary>
    public float[] LogProbs { get; }

    /// <summary>V(s) before the last step, [envs].</summary>
    public float[] Values { get; }

    /// <summary>V(s′) where the last step truncated an episode (and did not terminate it), 0 elsewhere, [envs].</summary>
    public float[] BootstrapValues { get; }

    /// <summary>A rollout buffer of <paramref name="steps"/> steps of this environment.</summary>
    public RolloutBuffer CreateBuffer(int steps) =>
        new(steps, _environment.Count, _environment.SingleObservationSpace.FlatSize, Layout);

    /// <summary>One step into <paramref name="buffer"/>: s and its masks go straight from the environment into the buffer before stepping.</summary>
    [MethodImpl(HotPath.Optimized)]
    public VectorStepResult Step(RolloutBuffer buffer)
    {
        buffer.AddObservations(_environment.Observations.AsReadOnlySpan(), _environment.ActionMasks);
        var step = Step();
        if (Layout.IsDiscrete)
            buffer.CompleteStep(DiscreteActions, LogProbs, Values, step.Rewards, step.Terminated, step.Truncated, BootstrapValues);
        else
            buffer.CompleteStep(ContinuousActions, LogProbs, Values, step.Rewards, step.Terminated, step.Truncated, BootstrapValues);
        return step;
    }

    /// <summary>A uniformly random action of <paramref name="row"/>: among its available ones for an ActionSet.</summary>
    private int RandomAction(int row) => _stepMasks.Length == 0
        ? _sampling.NextInt(_actionCount)
        : ActionSet.SampleAvailable(_stepMasks.AsSpan(row * _actionCount, _actionCount), _sampling);

    /// <summary>One step whose data the caller stores itself (read s from the environment before calling).</summary>
    [MethodImpl(HotPath.Optimized)]
    public VectorStepResult Step()
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        // The step's availability, kept for the bootstrap of truncated episodes (the environment's masks are then
        // the reset episode's); environments change availability at reset, so s′ of a truncated step shares s's.
        _environment.ActionMasks.CopyTo(_stepMasks);
        var (policy, value) = _network.Forward(_environment.Observations, _stepMasks);
        value.AsReadOnlySpan().CopyTo(Values);

        VectorStepResult step;
        if (Layout.IsDiscrete)
        {
            policy.Sample(_sampling, DiscreteActions);
            if (Epsilon > 0)
                for (int row = 0; row < DiscreteActions.Length; row++)
                    if (_sampling.NextDouble() < Epsilon) DiscreteActions[row] = RandomAction(row);
            policy.LogProb(DiscreteActions).AsReadOnlySpan().CopyTo(LogProbs);
            step = _environment.Step(DiscreteActions);
        }
        else
        {
            policy.Sample(_sampling, ContinuousActions);
            policy.LogProb(Tensor.FromSpan(ContinuousActions, _environment.Count, Layout.Size)).AsReadOnlySpan().CopyTo(LogProbs);
            ContinuousActions.CopyTo(_clippedActions, 0);
            for (int row = 0; row < _clippedActions.Length; row += Layout.Size) _actionBox!.Clip(_clippedActions.AsSpan(row, Layout.Size));
            step = _environment.Step(_clippedActions);
        }
        _monitor.RecordStep(step.Rewards, step.Terminated, step.Truncated);

        Array.Clear(BootstrapValues);
        bool anyTruncated = false;
        for (int e = 0; e < BootstrapValues.Length; e++) anyTruncated |= step.Truncated[e] && !step.Terminated[e];
        if (anyTruncated)
        {
            // Rows that did not truncate are computed too (one batched pass) and then zeroed.
            _network.Value(step.NextObservations, _stepMasks).AsReadOnlySpan().CopyTo(BootstrapValues);
            for (int e = 0; e < BootstrapValues.Length; e++)
                if (!step.Truncated[e] || step.Terminated[e]) BootstrapValues[e] = 0f;
        }
        return step;
    }
}

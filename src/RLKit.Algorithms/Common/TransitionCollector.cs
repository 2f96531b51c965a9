using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The collection half of every off-policy loop (DQN, soft Q-learning, SAC, discrete SAC, TD3, DDPG): step the
/// environment with the actions the algorithm wrote into <see cref="DiscreteActions"/> or
/// <see cref="ContinuousActions"/>, count the step, and store each transition (s, a, r, s′, terminated, truncated):
/// s straight from the environment before the step, s′ from the step's
/// <see cref="VectorStepResult.NextObservations"/> (the final observation where an episode ended, so truncated
/// transitions bootstrap from it). Discrete actions are stored as indices from 0 and sent to the environment shifted
/// by the space's <see cref="Discrete.Start"/>. An <see cref="ActionSet"/> environment with a continuous buffer (SAVO's
/// discrete mode) is stepped with the ids in <see cref="DiscreteActions"/> while the buffer stores the representations
/// in <see cref="ContinuousActions"/>. All buffers are allocated once.
/// </summary>
internal sealed class TransitionCollector
{
    private readonly IVectorEnvironment _environment;
    private readonly ReplayBuffer _buffer;
    private readonly TrainingMonitor _monitor;
    private readonly int _actionStart;
    private readonly int[] _environmentActions;
    private readonly bool _stepsWithIds;

    public TransitionCollector(IVectorEnvironment environment, ReplayBuffer buffer, TrainingMonitor monitor)
    {
        _environment = environment;
        _buffer = buffer;
        _monitor = monitor;
        int envs = environment.Count;
        bool discrete = buffer.Actions.IsDiscrete;
        _stepsWithIds = !discrete && environment.SingleActionSpace is ActionSet;
        _actionStart = environment.SingleActionSpace is Discrete d ? d.Start : 0;
        DiscreteActions = discrete || _stepsWithIds ? new int[envs] : [];
        _environmentActions = discrete && _actionStart != 0 ? new int[envs] : DiscreteActions;
        ContinuousActions = discrete ? [] : new float[envs * buffer.Actions.Size];
    }

    /// <summary>The discrete actions (indices from 0, or action ids of an ActionSet) of the next <see cref="Step"/>, one per sub-environment; the algorithm writes them.</summary>
    public int[] DiscreteActions { get; }

    /// <summary>The continuous actions of the next <see cref="Step"/>, [envs × action size]; the algorithm writes them.</summary>
    public float[] ContinuousActions { get; }

    /// <summary>Steps the environment with the written actions and stores the transitions.</summary>
    public VectorStepResult Step()
    {
        _buffer.AddObservations(_environment.Observations.AsReadOnlySpan());
        VectorStepResult step;
        if (_buffer.Actions.IsDiscrete)
        {
            if (_actionStart != 0)
                for (int e = 0; e < DiscreteActions.Length; e++) _environmentActions[e] = DiscreteActions[e] + _actionStart;
            step = _environment.Step(_environmentActions);
            _buffer.CompleteStep(DiscreteActions, step.Rewards, step.NextObservations.AsReadOnlySpan(), step.Terminated, step.Truncated);
        }
        else
        {
            step = _stepsWithIds ? _environment.Step(DiscreteActions) : _environment.Step(ContinuousActions);
            _buffer.CompleteStep(ContinuousActions, step.Rewards, step.NextObservations.AsReadOnlySpan(), step.Terminated, step.Truncated);
        }
        _monitor.RecordStep(step.Rewards, step.Terminated, step.Truncated);
        return step;
    }
}

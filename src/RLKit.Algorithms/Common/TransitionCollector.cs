using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The collection half of an off-policy loop over a SameStep vector environment: step with <see cref="Actions"/>,
/// count the step, and store each transition with its true next observation (the final observation where an episode
/// ended, so truncated transitions bootstrap from it). All buffers are allocated once.
/// </summary>
internal sealed class TransitionCollector
{
    private readonly IVectorEnvironment _environment;
    private readonly int _observationSize;
    private readonly float[] _observations;
    private readonly float[] _nextObservations;

    public TransitionCollector(IVectorEnvironment environment, int observationSize)
    {
        _environment = environment;
        _observationSize = observationSize;
        _observations = new float[environment.Count * observationSize];
        _nextObservations = new float[environment.Count * observationSize];
        Actions = new int[environment.Count];
    }

    /// <summary>The actions of the next <see cref="Step"/>, one per sub-environment; the algorithm writes them.</summary>
    public int[] Actions { get; }

    /// <summary>Resets the environment (sub-environment i gets seed + i) and remembers the first observations.</summary>
    public void Reset(ulong seed)
    {
        var reset = _environment.Reset(seed);
        reset.Observations.AsReadOnlySpan().CopyTo(_observations);
    }

    /// <summary>Steps the environment with <see cref="Actions"/>, records the step and adds the transitions to <paramref name="buffer"/>.</summary>
    public void Step(ReplayBuffer buffer, TrainingMonitor monitor)
    {
        var result = _environment.Step(Actions);
        monitor.RecordStep(result.Rewards, result.Terminated, result.Truncated);
        var observations = result.Observations.AsReadOnlySpan();
        observations.CopyTo(_nextObservations);
        if (result.FinalObservations is { } finals)
        {
            // Under SameStep the observation of a finished episode is already the reset one; s′ is the final one.
            var finalSpan = finals.AsReadOnlySpan();
            for (int i = 0; i < Actions.Length; i++)
                if (result.Done(i))
                    finalSpan.Slice(i * _observationSize, _observationSize).CopyTo(_nextObservations.AsSpan(i * _observationSize, _observationSize));
        }
        buffer.Add(_observations, Actions, result.Rewards, _nextObservations, result.Terminated, result.Truncated);
        observations.CopyTo(_observations);
    }
}

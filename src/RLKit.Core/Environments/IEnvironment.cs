using RLKit.Spaces;

namespace RLKit.Environments;

/// <summary>
/// A single environment with Gymnasium semantics: <see cref="Reset"/> → (observation, info);
/// <c>Step(action)</c> → (observation, reward, terminated, truncated, info). Truncation is never folded into
/// termination.
/// </summary>
/// <remarks>
/// Observations are float32 and flattened row-major per <see cref="ObservationSpace"/>'s shape. The span in a
/// result is owned by the environment and valid until its next Reset or Step: copy it to keep it. Discrete,
/// <see cref="ActionSet"/> actions use <see cref="Step(int)"/>; <see cref="Box"/> actions use
/// <see cref="Step(ReadOnlySpan{float})"/>; <see cref="MultiDiscrete"/> and <see cref="ActionList"/> actions use <see cref="Step(ReadOnlySpan{int})"/>.
/// The other overloads throw a clear error naming the action space.
/// </remarks>
public interface IEnvironment : IDisposable
{
    /// <summary>The catalog id, e.g. "CartPole-v1".</summary>
    string Id { get; }

    /// <summary>The observation space (a <see cref="Box"/> for every RLKit environment).</summary>
    Space ObservationSpace { get; }

    /// <summary>The action space.</summary>
    Space ActionSpace { get; }

    /// <summary>
    /// Starts an episode. With a seed, the environment's random stream restarts from it (do this right after
    /// construction); without one, the stream continues from where it was.
    /// </summary>
    ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null);

    /// <summary>Takes a discrete (or action-set) action.</summary>
    StepResult Step(int action);

    /// <summary>Takes a continuous (Box) action, flattened.</summary>
    StepResult Step(ReadOnlySpan<float> action);

    /// <summary>Takes a multi-discrete action, or an action list (its ids in list order).</summary>
    StepResult Step(ReadOnlySpan<int> action);
}

/// <summary>The result of <see cref="IEnvironment.Reset"/>: (observation, info).</summary>
public readonly ref struct ResetResult(ReadOnlySpan<float> observation, IReadOnlyDictionary<string, object> info)
{
    /// <summary>The first observation, owned by the environment until its next Reset or Step.</summary>
    public ReadOnlySpan<float> Observation { get; } = observation;

    /// <summary>Auxiliary information (empty for most environments).</summary>
    public IReadOnlyDictionary<string, object> Info { get; } = info;

    /// <summary>Deconstructs into (observation, info).</summary>
    public void Deconstruct(out ReadOnlySpan<float> observation, out IReadOnlyDictionary<string, object> info)
    {
        observation = Observation;
        info = Info;
    }
}

/// <summary>The result of a step: (observation, reward, terminated, truncated, info).</summary>
public readonly ref struct StepResult(ReadOnlySpan<float> observation, double reward, bool terminated, bool truncated, IReadOnlyDictionary<string, object> info)
{
    /// <summary>The next observation, owned by the environment until its next Reset or Step.</summary>
    public ReadOnlySpan<float> Observation { get; } = observation;

    /// <summary>The reward for the transition.</summary>
    public double Reward { get; } = reward;

    /// <summary>True when the episode reached a terminal state of the MDP (no bootstrapping).</summary>
    public bool Terminated { get; } = terminated;

    /// <summary>True when the episode was cut short (time limit); the last observation must be bootstrapped.</summary>
    public bool Truncated { get; } = truncated;

    /// <summary>Auxiliary information (empty for most environments).</summary>
    public IReadOnlyDictionary<string, object> Info { get; } = info;

    /// <summary>True when the episode ended either way.</summary>
    public bool Done => Terminated || Truncated;

    /// <summary>Deconstructs into (observation, reward, terminated, truncated, info).</summary>
    public void Deconstruct(out ReadOnlySpan<float> observation, out double reward, out bool terminated, out bool truncated, out IReadOnlyDictionary<string, object> info)
    {
        observation = Observation;
        reward = Reward;
        terminated = Terminated;
        truncated = Truncated;
        info = Info;
    }
}

/// <summary>Shared empty info dictionary, so steps without info allocate nothing.</summary>
public static class EnvInfo
{
    /// <summary>An empty, read-only info dictionary.</summary>
    public static IReadOnlyDictionary<string, object> Empty { get; } = new System.Collections.ObjectModel.ReadOnlyDictionary<string, object>(new Dictionary<string, object>());
}

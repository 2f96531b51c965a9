using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Environments.Vector;

/// <summary>
/// <see cref="Count"/> copies of an environment stepped as a batch, with batched observations in one tensor and a
/// declared <see cref="AutoresetMode"/> (Gymnasium's <c>VectorEnv</c>).
/// </summary>
/// <remarks>
/// Results expose buffers owned by the vector environment and rewritten in place by the next Reset or Step:
/// copy what you need to keep. Stepping allocates nothing in the vector environment itself.
/// </remarks>
public interface IVectorEnvironment : IDisposable
{
    /// <summary>The number of sub-environments.</summary>
    int Count { get; }

    /// <summary>The observation space of one sub-environment.</summary>
    Space SingleObservationSpace { get; }

    /// <summary>The action space of one sub-environment.</summary>
    Space SingleActionSpace { get; }

    /// <summary>How finished sub-environments are restarted.</summary>
    AutoresetMode AutoresetMode { get; }

    /// <summary>
    /// True until <see cref="Reset"/> has run, and again after a failed step: <c>Step</c> throws until the next Reset.
    /// A resumed training run continues an environment that does not need a reset instead of resetting it.
    /// </summary>
    bool NeedsReset { get; }

    /// <summary>The current observations, [Count, observation shape…]: one tensor, rewritten in place by every Reset and Step.</summary>
    Tensor Observations { get; }

    /// <summary>
    /// When the single action space is an <see cref="ActionSet"/> or an <see cref="ActionList"/>: which actions each
    /// sub-environment offers now, row-major [Count, ActionSet.Count] (for a list, the size of its
    /// <see cref="ActionList.Items"/> universe). Empty otherwise.
    /// </summary>
    ReadOnlySpan<bool> ActionMasks { get; }

    /// <summary>
    /// The seed of the last <see cref="Reset"/> that was given one by the environment's owner
    /// (<c>RLContext.Environments.MakeVector</c> resets with its seed, or the context's next seed), or null if it never
    /// was. <c>Fit</c> starts training from this seed when there is one, and from the algorithm's seed otherwise (see
    /// <c>RLContext</c>, "Seeds"); the reset <c>Fit</c> makes itself is not recorded here, so the next <c>Fit</c> on the
    /// same environment follows its own algorithm seed.
    /// </summary>
    ulong? Seed => null;

    /// <summary>Resets every sub-environment; with a seed, sub-environment i is seeded with seed + i (as Gymnasium).</summary>
    VectorResetResult Reset(ulong? seed = null);

    /// <summary>
    /// Steps every sub-environment with one int action each (Discrete, ActionSet), or, for MultiDiscrete, with
    /// Count × components ints, row-major, or, for an ActionList, with Count × list length ids, row-major.
    /// </summary>
    /// <exception cref="InvalidOperationException">If called before <see cref="Reset"/>.</exception>
    /// <exception cref="ArgumentException">
    /// If the number of actions is wrong, or a sub-environment rejects its action (an
    /// <see cref="ArgumentOutOfRangeException"/> when out of its space): the message names the sub-environment's index,
    /// id and action, and the inner exception is the sub-environment's own.
    /// </exception>
    VectorStepResult Step(ReadOnlySpan<int> actions);

    /// <summary>Steps every sub-environment with a Box action each, flattened row-major [Count × action size].</summary>
    /// <exception cref="InvalidOperationException">If called before <see cref="Reset"/>.</exception>
    /// <exception cref="ArgumentException">
    /// If the number of action values is wrong, or a sub-environment rejects its action (e.g. a NaN): the message names
    /// the sub-environment's index, id and action, and the inner exception is the sub-environment's own.
    /// </exception>
    VectorStepResult Step(ReadOnlySpan<float> actions);
}

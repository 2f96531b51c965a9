using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Training.Experience;

/// <summary>How the producers of an <see cref="IExperienceSource"/> choose actions with a published policy.</summary>
public enum ExplorationKind
{
    /// <summary>The policy's own stochastic acting, <c>Act(…, deterministic: false, rng)</c> (SAC's sampling, TD3's Gaussian noise, soft Q-learning's Boltzmann).</summary>
    PolicySampling,

    /// <summary>Uniformly random actions from the action space, the policy unused (the random steps before learning starts).</summary>
    UniformRandom,

    /// <summary>With probability ε a uniformly random action, else the policy's deterministic action (DQN's ε-greedy).</summary>
    EpsilonGreedy,
}

/// <summary>
/// The exploration the learner asks of the producers together with a published policy: what the algorithm would do
/// itself at this point of training (<see cref="IExperienceSource.Publish"/>). Travels with the weights, because a
/// policy copy alone does not know the learner's schedule (DQN's current ε, whether learning has started).
/// </summary>
public sealed record ExplorationBehavior
{
    private ExplorationBehavior(ExplorationKind kind, float epsilon)
    {
        Kind = kind;
        Epsilon = epsilon;
    }

    /// <summary>The policy's own stochastic acting.</summary>
    public static ExplorationBehavior PolicySampling { get; } = new(ExplorationKind.PolicySampling, 0f);

    /// <summary>Uniformly random actions.</summary>
    public static ExplorationBehavior UniformRandom { get; } = new(ExplorationKind.UniformRandom, 1f);

    /// <summary>ε-greedy around the policy's deterministic action.</summary>
    /// <param name="epsilon">The probability of a random action, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="epsilon"/> is outside [0, 1] or NaN.</exception>
    public static ExplorationBehavior EpsilonGreedy(float epsilon) =>
        epsilon is >= 0f and <= 1f
            ? new(ExplorationKind.EpsilonGreedy, epsilon)
            : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ExplorationBehavior.EpsilonGreedy: epsilon must be in [0, 1].");

    /// <summary>Which rule chooses the actions.</summary>
    public ExplorationKind Kind { get; }

    /// <summary>The probability of a uniformly random action: ε for <see cref="ExplorationKind.EpsilonGreedy"/>, 1 for uniform, 0 for policy sampling.</summary>
    public float Epsilon { get; }

    /// <summary>
    /// Writes one discrete action per row of <paramref name="observations"/> ([N, obs…]) by this rule, in the values
    /// of <paramref name="policy"/>'s Discrete action space.
    /// </summary>
    /// <exception cref="NotSupportedException">If the policy's action space is not Discrete.</exception>
    public void Act(IAgent policy, Tensor observations, Span<int> actions, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(rng);
        var space = policy.ActionSpace as Discrete
            ?? throw new NotSupportedException($"ExplorationBehavior.Act: integer actions need a Discrete action space, not {policy.ActionSpace.Description}.");
        switch (Kind)
        {
            case ExplorationKind.PolicySampling:
                policy.Act(observations, actions, deterministic: false, rng);
                break;
            case ExplorationKind.UniformRandom:
                for (int i = 0; i < actions.Length; i++) actions[i] = space.Sample(rng);
                break;
            default:
                policy.Act(observations, actions, deterministic: true, rng);
                for (int i = 0; i < actions.Length; i++)
                    if (rng.NextSingle() < Epsilon) actions[i] = space.Sample(rng);
                break;
        }
    }

    /// <summary>Writes N × action-size Box actions for the rows of <paramref name="observations"/> ([N, obs…]) by this rule.</summary>
    /// <exception cref="NotSupportedException">If the policy's action space is not a Box.</exception>
    public void Act(IAgent policy, Tensor observations, Span<float> actions, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(rng);
        var space = policy.ActionSpace as Box
            ?? throw new NotSupportedException($"ExplorationBehavior.Act: float actions need a Box action space, not {policy.ActionSpace.Description}.");
        int size = space.FlatSize;
        switch (Kind)
        {
            case ExplorationKind.PolicySampling:
                policy.Act(observations, actions, deterministic: false, rng);
                break;
            case ExplorationKind.UniformRandom:
                for (int i = 0; i + size <= actions.Length; i += size) space.Sample(rng, actions.Slice(i, size));
                break;
            default:
                policy.Act(observations, actions, deterministic: true, rng);
                for (int i = 0; i + size <= actions.Length; i += size)
                    if (rng.NextSingle() < Epsilon) space.Sample(rng, actions.Slice(i, size));
                break;
        }
    }
}

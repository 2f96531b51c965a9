using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.A2c;

/// <summary>
/// A trained (or training) A2C agent: an <see cref="Common.ActorCriticNetwork"/> network (or the Mix &amp; Mask
/// <see cref="MixMask.SharedFeatureNetwork"/> when <see cref="A2cOptions.SharedFeatures"/> is set) whose policy head is
/// categorical for a Discrete action space and a diagonal Gaussian for a one-dimensional Box. Acting runs without gradients.
/// </summary>
public sealed class A2cAgent : OnPolicyAgent<A2cOptions>
{
    internal const string AlgorithmName = "a2c";

    /// <summary>Builds an untrained agent for the given spaces.</summary>
    /// <param name="observationSpace">A Box of observations.</param>
    /// <param name="actionSpace">Discrete, or a one-dimensional Box.</param>
    /// <param name="options">The hyperparameters (network shape, initial log-std); validated here.</param>
    /// <param name="rng">Drives weight initialisation and, when no generator is passed to <c>Act</c>, sampling.</param>
    /// <exception cref="NotSupportedException">For other action spaces.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public A2cAgent(Space observationSpace, Space actionSpace, A2cOptions options, RandomGenerator rng)
        : base(observationSpace, actionSpace, Validated(options), rng, "A2C",
               options.HiddenSizes, options.SharedNetwork, options.HiddenActivation(), options.InitialLogStd, options.SharedFeatures) { }

    private static A2cOptions Validated(A2cOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded (used by
    /// <see cref="Checkpoint.LoadAgent"/>, which registers it under "a2c").
    /// </summary>
    /// <exception cref="ArgumentException">If the checkpoint's weights do not fit the rebuilt network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    /// <exception cref="NotSupportedException">If the stored action space is neither Discrete nor a one-dimensional Box.</exception>
    public static A2cAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, (observationSpace, actionSpace, options) => new A2cAgent(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    /// <inheritdoc/>
    public override string Algorithm => AlgorithmName;

    /// <summary>
    /// Samples discrete actions and records log π(a|s) and V(s), without gradients (rollout collection). With
    /// probability <paramref name="epsilon"/> a row's action is replaced by a uniformly random one (ε-greedy); its
    /// log-probability is still π's.
    /// </summary>
    internal void SampleDiscrete(Tensor observations, Span<int> actions, Span<float> logProbs, Span<float> values, RandomGenerator rng, float epsilon = 0f)
    {
        using var noGrad = GradMode.NoGrad();
        var (policy, value) = Network.Forward(observations);
        policy.Sample(rng, actions);
        if (epsilon > 0)
            for (int row = 0; row < actions.Length; row++)
                if (rng.NextDouble() < epsilon) actions[row] = rng.NextInt(ActionSize);
        policy.LogProb(actions).AsReadOnlySpan().CopyTo(logProbs);
        value.AsReadOnlySpan().CopyTo(values);
    }

    /// <summary>Samples unclipped continuous actions and records log π(a|s) and V(s), without gradients.</summary>
    internal void SampleContinuous(Tensor observations, Span<float> actions, Span<float> logProbs, Span<float> values, RandomGenerator rng)
    {
        using var noGrad = GradMode.NoGrad();
        var (policy, value) = Network.Forward(observations);
        policy.Sample(rng, actions);
        var actionTensor = Tensor.FromSpan(actions, observations.Dim(0), ActionSize);
        policy.LogProb(actionTensor).AsReadOnlySpan().CopyTo(logProbs);
        value.AsReadOnlySpan().CopyTo(values);
    }

    /// <summary>Differentiable log π(a|s), entropy and V(s) of a stored batch, for the loss.</summary>
    internal (Tensor LogProb, Tensor Entropy, Tensor Value) Evaluate(RolloutMinibatch batch)
    {
        var (policy, value) = Network.Forward(batch.Observations);
        var logProb = IsDiscrete ? policy.LogProb(batch.ActionIndices) : policy.LogProb(batch.Actions);
        return (logProb, policy.Entropy(), value);
    }
}

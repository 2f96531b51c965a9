using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The "SAVO + Joint Action" ablation of seed 003 §4.6.1: one actor with k·D outputs, split into k candidates of D. It
/// is trained to raise the value of the maximizer over its own parts, max_i Q1(s, a_i), so that its parts cover the
/// landscape jointly rather than successively.
/// </summary>
internal sealed class JointActor : ActorNetwork
{
    private readonly Mlp _actor;
    private readonly int _observationSize;
    private readonly IReadOnlyList<int> _hiddenSizes;

    public JointActor(ActionDomain domain, int observationSize, IReadOnlyList<int> hiddenSizes, int count, RandomGenerator rng) : base(domain)
    {
        _observationSize = observationSize;
        _hiddenSizes = hiddenSizes;
        CandidateCount = count;
        _actor = RegisterModule("actor", new Mlp([observationSize, .. hiddenSizes, count * domain.Size], rng, Activation.ReLU, Activation.Tanh));
    }

    /// <inheritdoc/>
    public override int CandidateCount { get; }

    /// <summary>The k parts of the joint action in the box, [k, B, D], with gradient.</summary>
    public Tensor Actions(Tensor observations)
    {
        var joint = _actor.Forward(observations).Reshape(observations.Dim(0), CandidateCount, Domain.Size).Permute(1, 0, 2);
        return Domain.Rescaler.ToEnvironment(joint);
    }

    /// <inheritdoc/>
    public override Tensor Candidates(CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        return Finish(Actions(request.Observations), request);
    }

    /// <inheritdoc/>
    public override Tensor? ActorLoss(UpdateInputs inputs) =>
        -Maximizer.Values(inputs.Q1, inputs.Observations, Actions(inputs.Observations)).Max(0).Mean();

    /// <inheritdoc/>
    public override ActorNetwork CloneAsTarget(RandomGenerator rng)
    {
        var clone = new JointActor(Domain, _observationSize, _hiddenSizes, CandidateCount, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The "1-Actor, k samples (Wolpertinger)" baseline of seed 003 §4.6.1 (Dulac-Arnold et al. 2015): one TD3 actor whose
/// proposal is widened to k candidates. Continuous: the actor's action and k − 1 Gaussian samples around it
/// (σ = <see cref="SavoOptions.SampleStd"/> of the half-range). Discrete: the k real actions nearest to the actor's
/// proto-action. The actor ascends Q1 at its own output, as in TD3.
/// </summary>
internal sealed class WolpertingerActor : ActorNetwork
{
    private readonly Mlp _actor;
    private readonly int _observationSize;
    private readonly IReadOnlyList<int> _hiddenSizes;

    public WolpertingerActor(ActionDomain domain, int observationSize, IReadOnlyList<int> hiddenSizes, int count, float sampleStd, RandomGenerator rng)
        : base(domain)
    {
        _observationSize = observationSize;
        _hiddenSizes = hiddenSizes;
        CandidateCount = count;
        SampleStd = sampleStd;
        _actor = RegisterModule("actor", new Mlp([observationSize, .. hiddenSizes, domain.Size], rng, Activation.ReLU, Activation.Tanh));
    }

    /// <inheritdoc/>
    public override int CandidateCount { get; }

    /// <summary>σ of the samples around the actor, as a fraction of the half-range.</summary>
    public float SampleStd { get; }

    /// <summary>The actor's action in the box, [B, D], with gradient.</summary>
    public Tensor Action(Tensor observations) => Domain.Rescaler.ToEnvironment(_actor.Forward(observations));

    /// <inheritdoc/>
    public override Tensor Candidates(CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        var s = request.Observations;
        int k = CandidateCount, batch = s.Dim(0), d = Domain.Size;
        var action = Action(s);
        if (request.Noise is { IsEmpty: false } noise)
            action = action + Tensor.FromSpan(noise.Span[..(batch * d)], batch, d) * Domain.Rescaler.Scale;
        if (Domain.IsDiscrete)
        {
            var ids = new int[batch * k];
            Domain.Nearest(action, batch, request.Availability.Span, ids, k);
            // ids are [B, k]; candidates are candidate-major [k, B].
            var order = new int[batch * k];
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < k; i++) order[i * batch + b] = ids[b * k + i];
            return Domain.RepresentationRows(order).Reshape(k, batch, d);
        }
        if (k == 1) return Domain.Clamp(action.Unsqueeze(0));
        var samples = action.Unsqueeze(0) + Tensor.RandomNormal(request.Random, [k, batch, d], 0f, SampleStd) * Domain.Rescaler.Scale;
        // Candidate 0 is the actor's own action.
        var candidates = Tensor.Concat([action.Unsqueeze(0), samples.Narrow(0, 1, k - 1)], 0);
        return Domain.Clamp(candidates);
    }

    /// <inheritdoc/>
    public override Tensor? ActorLoss(UpdateInputs inputs) => -inputs.Q1.Forward(inputs.Observations, Action(inputs.Observations)).Mean();

    /// <inheritdoc/>
    public override ActorNetwork CloneAsTarget(RandomGenerator rng)
    {
        var clone = new WolpertingerActor(Domain, _observationSize, _hiddenSizes, CandidateCount, SampleStd, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

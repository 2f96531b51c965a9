using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The "k-Actors (Ensemble)" baseline of seed 003 §4.6.1 (Osband et al. 2016): k independently initialised actors,
/// each trained as TD3's actor to ascend Q1, evaluated side by side as one <see cref="EnsembleMlp"/> (one batched GEMM
/// per layer); the maximizer picks the best of their k proposals.
/// </summary>
internal sealed class EnsembleActors : ActorNetwork
{
    private readonly EnsembleMlp _actors;
    private readonly int _observationSize;
    private readonly IReadOnlyList<int> _hiddenSizes;

    public EnsembleActors(ActionDomain domain, int observationSize, IReadOnlyList<int> hiddenSizes, int count, RandomGenerator rng) : base(domain)
    {
        _observationSize = observationSize;
        _hiddenSizes = hiddenSizes;
        _actors = RegisterModule("actors", new EnsembleMlp(count, [observationSize, .. hiddenSizes, domain.Size], rng, Activation.ReLU, Activation.Tanh));
    }

    /// <inheritdoc/>
    public override int CandidateCount => _actors.Members;

    /// <summary>Every actor's action in the box, [k, B, D], with gradient.</summary>
    public Tensor Actions(Tensor observations) => Domain.Rescaler.ToEnvironment(_actors.Forward(observations));

    /// <inheritdoc/>
    public override Tensor Candidates(CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        return Finish(Actions(request.Observations), request);
    }

    /// <inheritdoc/>
    /// <remarks>Σ_t −Q1(s, ν_t(s)) averaged over the batch: each actor is a TD3 actor of its own.</remarks>
    public override Tensor? ActorLoss(UpdateInputs inputs) =>
        -Maximizer.Values(inputs.Q1, inputs.Observations, Actions(inputs.Observations)).Mean() * CandidateCount;

    /// <inheritdoc/>
    public override ActorNetwork CloneAsTarget(RandomGenerator rng)
    {
        var clone = new EnsembleActors(Domain, _observationSize, _hiddenSizes, CandidateCount, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

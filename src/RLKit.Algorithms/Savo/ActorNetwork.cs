using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The trainable part an <see cref="IActorArchitecture"/> builds: it proposes k candidate actions per state, and it
/// supplies the losses that train its actors (and, for SAVO, its surrogates). The maximizer over the candidates, the
/// critics and the loop are shared (<see cref="SavoTraining"/>), so architectures differ only here.
/// </summary>
internal abstract class ActorNetwork : Module
{
    private protected ActorNetwork(ActionDomain domain) => Domain = domain;

    /// <summary>The space the actions live in (and the 1-NN projection of the discrete mode).</summary>
    public ActionDomain Domain { get; }

    /// <summary>k, the number of candidates per state.</summary>
    public abstract int CandidateCount { get; }

    /// <summary>
    /// The candidates [k, B, D] for observations [B, obs], as real actions (clamped to the box, or projected onto the
    /// nearest available action in the discrete mode); with <see cref="CandidateRequest.Noise"/> each candidate
    /// carries its own exploration noise. No gradient.
    /// </summary>
    public abstract Tensor Candidates(CandidateRequest request);

    /// <summary>The parameters the actor optimizer trains.</summary>
    public virtual IEnumerable<Tensor> ActorParameters() => Parameters();

    /// <summary>The parameters a second optimizer trains (SAVO's surrogates Ψ̂_i); none by default.</summary>
    public virtual IEnumerable<Tensor> SurrogateParameters() => [];

    /// <summary>The loss whose gradient trains the actors (summed over the actors), or null when nothing is trained (CEM).</summary>
    public abstract Tensor? ActorLoss(UpdateInputs inputs);

    /// <summary>The loss that fits the surrogates, or null when the architecture has none.</summary>
    public virtual Tensor? SurrogateLoss(UpdateInputs inputs) => null;

    /// <summary>A network of the same architecture whose weights are copied from this one (a target network).</summary>
    public abstract ActorNetwork CloneAsTarget(RandomGenerator rng);

    /// <summary>Adds the request's exploration noise to candidates [k, B, D] (when it has some), then makes them real actions.</summary>
    private protected Tensor Finish(Tensor proposals, CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        if (request.Noise is { IsEmpty: false } noise)
            proposals = proposals + Tensor.FromSpan(noise.Span, proposals.ShapeArray()) * Domain.Rescaler.Scale;
        return Domain.Project(proposals, request.Observations.Dim(0), request.Availability.Span);
    }
}

/// <summary>What an <see cref="ActorNetwork"/> needs to propose candidates.</summary>
/// <param name="Observations">[B, obs].</param>
/// <param name="Availability">[B × N] flags of an ActionSet's available actions, or empty for all.</param>
/// <param name="Noise">Exploration noise [k × B × D] in units of the half-range, or null (or empty) for none.</param>
/// <param name="Critic">Q1 (CEM scores its samples with it).</param>
/// <param name="Random">Draws sampled candidates (Wolpertinger, CEM).</param>
internal sealed record CandidateRequest(Tensor Observations, ReadOnlyMemory<bool> Availability, ReadOnlyMemory<float>? Noise,
                                       ContinuousQNetwork Critic, RandomGenerator Random);

/// <summary>What an <see cref="ActorNetwork"/>'s losses read: a replay batch and the current critics.</summary>
/// <param name="Observations">s, [B, obs].</param>
/// <param name="ExecutedActions">The stored actions, μ̃_M(s) when they were collected, [B, D].</param>
/// <param name="Q1">The first critic (the actors ascend it).</param>
/// <param name="Q2">The twin critic (surrogate targets take the minimum, §4.4.5 item 3).</param>
/// <param name="Random">Draws sampled candidates.</param>
internal sealed record UpdateInputs(Tensor Observations, Tensor ExecutedActions, ContinuousQNetwork Q1, ContinuousQNetwork Q2, RandomGenerator Random);

/// <summary>The maximizer actor μ_M(s) = argmax over the candidates of Q(s, a) (seed 003 eq. 4.5).</summary>
internal static class Maximizer
{
    /// <summary>Q1 of every candidate, [k, B], in one batched pass of the critic.</summary>
    public static Tensor Values(ContinuousQNetwork critic, Tensor observations, Tensor candidates)
    {
        int k = candidates.Dim(0), batch = candidates.Dim(1);
        var states = Repeat(observations, k);
        return critic.Forward(states, candidates.Reshape(k * batch, -1)).Reshape(k, batch);
    }

    /// <summary>Observations [B, obs] stacked k times, [k·B, obs] (candidate-major, as the candidates).</summary>
    public static Tensor Repeat(Tensor observations, int k) =>
        k == 1 ? observations : (observations.Unsqueeze(0) + Tensor.Zeros(k, observations.Dim(0), observations.Dim(1))).Reshape(-1, observations.Dim(1));

    /// <summary>For each column b of <paramref name="values"/> [k, B], the index of its largest entry (the lowest on ties).</summary>
    public static void Argmax(Tensor values, Span<int> chosen)
    {
        int k = values.Dim(0), batch = values.Dim(1);
        var v = values.AsReadOnlySpan();
        for (int b = 0; b < batch; b++)
        {
            int best = 0;
            for (int i = 1; i < k; i++)
                if (v[i * batch + b] > v[best * batch + b]) best = i;
            chosen[b] = best;
        }
    }

    /// <summary>The chosen candidate of every state, [B, D], from candidates [k, B, D].</summary>
    public static Tensor Gather(Tensor candidates, ReadOnlySpan<int> chosen)
    {
        int batch = candidates.Dim(1);
        var rows = new int[batch];
        for (int b = 0; b < batch; b++) rows[b] = chosen[b] * batch + b;
        return candidates.Reshape(-1, candidates.Dim(2)).IndexSelect(0, rows);
    }

    /// <summary>μ_M(s): the candidate with the highest Q1, [B, D], and which candidate it was.</summary>
    public static Tensor Select(ContinuousQNetwork critic, Tensor observations, Tensor candidates, Span<int> chosen)
    {
        using var noGrad = GradMode.NoGrad();
        if (candidates.Dim(0) == 1)
        {
            // One candidate is its own maximizer: no need to score it.
            chosen.Clear();
            return candidates.Reshape(candidates.Dim(1), candidates.Dim(2));
        }
        Argmax(Values(critic, observations, candidates), chosen);
        return Gather(candidates, chosen);
    }
}

using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Distributions;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The Greedy-AC and "Greedy-TD3" baselines of seed 003 §4.6.1: Greedy Actor-Critic's conditional cross-entropy update
/// (Neumann et al. 2018) on TD3's loop. A high-entropy Gaussian proposal policy π̃ samples
/// <see cref="SavoOptions.GreedySamples"/> actions per state; Q1 ranks them; the top <see cref="SavoOptions.GreedyPercentile"/>
/// are the state's elites, and π̃ raises their likelihood plus <see cref="SavoOptions.GreedyEntropy"/> times its entropy,
/// so it concentrates more slowly than the actor. The two baselines differ in the actor:
/// <list type="bullet">
/// <item>Greedy-TD3 ("greedy"): a deterministic actor μ moved towards the elites (the maximum-likelihood step of a
/// fixed-variance Gaussian, i.e. a squared error); it acts with μ plus TD3's exploration noise ("TD3 exploration and
/// update improvements" — the loop's twin critics, delayed updates and target networks).</item>
/// <item>Greedy-AC ("greedy-ac"): Neumann et al.'s stochastic Gaussian actor π, which raises the elites' log-likelihood
/// and explores by sampling itself (the loop's noise is not added); its target action is π′'s mean, and
/// <c>WithActorArchitecture</c> runs it without TD3's policy delay and target smoothing.</item>
/// </list>
/// </summary>
/// <remarks>
/// Everything is measured in the squashed units [−1, 1] of the box, so the squared error and the log-likelihood do not
/// depend on the action bounds. In the discrete mode the samples are projected onto real actions before Q1 ranks them,
/// and the elites are those real actions' representations.
/// </remarks>
internal sealed class GreedyActor : ActorNetwork
{
    /// <summary>Bounds of the proposal's log-std in squashed units: it may narrow to 0.7% of the half-range or widen to e ≈ 2.7 half-ranges.</summary>
    private const float MinLogStd = -5f, MaxLogStd = 1f;

    private readonly Mlp _actor;
    private readonly Mlp _proposal;
    private readonly Settings _settings;

    /// <summary>How the network is built.</summary>
    /// <param name="ObservationSize">Width of s.</param>
    /// <param name="HiddenSizes">Hidden widths of the actor and the proposal policy.</param>
    /// <param name="Samples">N, proposals drawn per state, ≥ 1.</param>
    /// <param name="Percentile">ρ in (0, 1]: the elites are the best ⌈ρN⌉ (at least one).</param>
    /// <param name="Entropy">α ≥ 0, the proposal policy's entropy weight.</param>
    /// <param name="StochasticActor">Greedy-AC's Gaussian actor π (true) or Greedy-TD3's deterministic μ (false).</param>
    internal sealed record Settings(int ObservationSize, IReadOnlyList<int> HiddenSizes, int Samples, float Percentile, float Entropy,
                                    bool StochasticActor = false)
    {
        /// <summary>The number of elites per state.</summary>
        public int Elites => Math.Clamp((int)MathF.Ceiling(Percentile * Samples - 1e-4f), 1, Samples);
    }

    public GreedyActor(ActionDomain domain, Settings settings, RandomGenerator rng) : base(domain)
    {
        _settings = settings;
        int d = domain.Size;
        _actor = RegisterModule("actor", settings.StochasticActor
            ? new Mlp([settings.ObservationSize, .. settings.HiddenSizes, 2 * d], rng, Activation.ReLU)
            : new Mlp([settings.ObservationSize, .. settings.HiddenSizes, d], rng, Activation.ReLU, Activation.Tanh));
        _proposal = RegisterModule("proposal", new Mlp([settings.ObservationSize, .. settings.HiddenSizes, 2 * d], rng, Activation.ReLU));
    }

    /// <inheritdoc/>
    public override int CandidateCount => 1;

    /// <summary>N, the proposals drawn per state.</summary>
    public int Samples => _settings.Samples;

    /// <summary>The elites kept per state, ⌈ρN⌉.</summary>
    public int Elites => _settings.Elites;

    /// <summary>Whether the actor is Greedy-AC's Gaussian π rather than Greedy-TD3's deterministic μ.</summary>
    public bool IsStochastic => _settings.StochasticActor;

    /// <summary>The actor's action in squashed units, [B, D], with gradient: μ(s), or π's mean for Greedy-AC.</summary>
    public Tensor SquashedAction(Tensor observations) => IsStochastic ? Policy(observations).Mean : _actor.Forward(observations);

    /// <summary>Greedy-AC's π(· | s) in squashed units (mean tanh-bounded, log-std clamped), with gradient.</summary>
    /// <exception cref="InvalidOperationException">For Greedy-TD3, whose actor is deterministic.</exception>
    public DiagGaussian Policy(Tensor observations) =>
        IsStochastic ? Gaussian(_actor.Forward(observations)) : throw new InvalidOperationException("Greedy-TD3's actor is deterministic.");

    /// <summary>π̃(· | s) in squashed units: mean tanh-bounded, log-std clamped, [B, D] each; with gradient.</summary>
    public DiagGaussian Proposal(Tensor observations) => Gaussian(_proposal.Forward(observations));

    private DiagGaussian Gaussian(Tensor output)
    {
        int d = Domain.Size;
        return new DiagGaussian(output.Narrow(1, 0, d).Tanh(), output.Narrow(1, d, d).Clamp(MinLogStd, MaxLogStd));
    }

    /// <inheritdoc/>
    /// <remarks>Greedy-AC explores by sampling π when the request asks for exploration; the request's noise itself is not added.</remarks>
    public override Tensor Candidates(CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        var s = request.Observations;
        if (IsStochastic && request.Noise is { IsEmpty: false })
        {
            var policy = Policy(s);
            var sampled = (policy.Mean + policy.Std * Tensor.RandomNormal(request.Random, [s.Dim(0), Domain.Size])).Clamp(-1f, 1f);
            return Finish(Domain.Rescaler.ToEnvironment(sampled).Unsqueeze(0), request with { Noise = null });
        }
        return Finish(Domain.Rescaler.ToEnvironment(SquashedAction(s)).Unsqueeze(0), request);
    }

    /// <summary>
    /// The elites of π̃'s samples for each state, in squashed units [m, B, D] (candidate-major, m = <see cref="Elites"/>,
    /// best first), ranked by Q1. No gradient.
    /// </summary>
    public Tensor EliteActions(Tensor observations, ContinuousQNetwork critic, RandomGenerator rng)
    {
        using var noGrad = GradMode.NoGrad();
        int n = Samples, m = Elites, batch = observations.Dim(0), d = Domain.Size;
        var proposal = Proposal(observations);
        var squashed = (proposal.Mean.Unsqueeze(0) + proposal.Std.Unsqueeze(0) * Tensor.RandomNormal(rng, [n, batch, d])).Clamp(-1f, 1f);
        var samples = Domain.Project(Domain.Rescaler.ToEnvironment(squashed), batch, default);
        var values = Maximizer.Values(critic, observations, samples).AsReadOnlySpan();
        var rows = new int[m * batch];
        Span<int> order = n <= 256 ? stackalloc int[n] : new int[n];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < n; i++) order[i] = i;
            // Partial selection sort: m is small (ρN, 3 by default).
            for (int j = 0; j < m; j++)
            {
                int best = j;
                for (int i = j + 1; i < n; i++)
                    if (values[order[i] * batch + b] > values[order[best] * batch + b]) best = i;
                (order[j], order[best]) = (order[best], order[j]);
                rows[j * batch + b] = order[j] * batch + b;
            }
        }
        var elites = samples.Reshape(n * batch, d).IndexSelect(0, rows);
        return Domain.Rescaler.ToSquashed(elites).Reshape(m, batch, d);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The actor's CCEM step over the elites a*: ‖μ(s) − a*‖² for Greedy-TD3, −log π(a* | s) for Greedy-AC; plus
    /// −log π̃(a* | s) − α·H(π̃(· | s)) (the proposal's). The terms share no parameters, so one optimizer step trains both.
    /// </remarks>
    public override Tensor? ActorLoss(UpdateInputs inputs)
    {
        var s = inputs.Observations;
        var elites = EliteActions(s, inputs.Q1, inputs.Random);
        var actorLoss = IsStochastic
            ? -EliteLogLikelihood(Policy(s), elites)
            : (SquashedAction(s).Unsqueeze(0) - elites).Square().Sum(-1).Mean();
        var proposal = Proposal(s);
        var proposalLoss = -EliteLogLikelihood(proposal, elites) - proposal.Entropy().Mean() * _settings.Entropy;
        return actorLoss + proposalLoss;
    }

    /// <summary>The mean log-likelihood of the elites [m, B, D] under a per-state Gaussian [B, D].</summary>
    private static Tensor EliteLogLikelihood(DiagGaussian gaussian, Tensor elites)
    {
        int m = elites.Dim(0);
        var stretched = new DiagGaussian(gaussian.Mean.Unsqueeze(0) + Tensor.Zeros(m, 1, 1), gaussian.LogStd.Unsqueeze(0) + Tensor.Zeros(m, 1, 1));
        return stretched.LogProb(elites).Mean();
    }

    /// <inheritdoc/>
    public override ActorNetwork CloneAsTarget(RandomGenerator rng)
    {
        var clone = new GreedyActor(Domain, _settings, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

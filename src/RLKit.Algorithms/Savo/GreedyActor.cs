using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Distributions;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The "Greedy-TD3" baseline of seed 003 §4.6.1: Greedy Actor-Critic's conditional cross-entropy update (Neumann et
/// al. 2018) on TD3's loop. A high-entropy Gaussian proposal policy π̃ samples <see cref="SavoOptions.GreedySamples"/>
/// actions per state; Q1 ranks them; the top <see cref="SavoOptions.GreedyPercentile"/> are the state's elites. The
/// deterministic actor μ moves towards the elites (the maximum-likelihood step of a fixed-variance Gaussian, i.e. a
/// squared error), and π̃ raises their likelihood plus <see cref="SavoOptions.GreedyEntropy"/> times its entropy, so it
/// concentrates more slowly than μ. It acts with μ alone plus TD3's exploration noise ("TD3 exploration and update
/// improvements" — twin critics, delayed updates and target networks come from the shared loop).
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
    internal sealed record Settings(int ObservationSize, IReadOnlyList<int> HiddenSizes, int Samples, float Percentile, float Entropy)
    {
        /// <summary>The number of elites per state.</summary>
        public int Elites => Math.Clamp((int)MathF.Ceiling(Percentile * Samples - 1e-4f), 1, Samples);
    }

    public GreedyActor(ActionDomain domain, Settings settings, RandomGenerator rng) : base(domain)
    {
        _settings = settings;
        int d = domain.Size;
        _actor = RegisterModule("actor", new Mlp([settings.ObservationSize, .. settings.HiddenSizes, d], rng, Activation.ReLU, Activation.Tanh));
        _proposal = RegisterModule("proposal", new Mlp([settings.ObservationSize, .. settings.HiddenSizes, 2 * d], rng, Activation.ReLU));
    }

    /// <inheritdoc/>
    public override int CandidateCount => 1;

    /// <summary>N, the proposals drawn per state.</summary>
    public int Samples => _settings.Samples;

    /// <summary>The elites kept per state, ⌈ρN⌉.</summary>
    public int Elites => _settings.Elites;

    /// <summary>μ(s) in squashed units, [B, D], with gradient.</summary>
    public Tensor SquashedAction(Tensor observations) => _actor.Forward(observations);

    /// <summary>π̃(· | s) in squashed units: mean tanh-bounded, log-std clamped, [B, D] each; with gradient.</summary>
    public DiagGaussian Proposal(Tensor observations)
    {
        var output = _proposal.Forward(observations);
        int d = Domain.Size;
        return new DiagGaussian(output.Narrow(1, 0, d).Tanh(), output.Narrow(1, d, d).Clamp(MinLogStd, MaxLogStd));
    }

    /// <inheritdoc/>
    public override Tensor Candidates(CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        return Finish(Domain.Rescaler.ToEnvironment(SquashedAction(request.Observations)).Unsqueeze(0), request);
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
    /// ‖μ(s) − a*‖² averaged over the elites a* (the actor's CCEM step) plus −log π̃(a* | s) − α·H(π̃(· | s)) (the
    /// proposal's); the two terms share no parameters, so one optimizer step trains both.
    /// </remarks>
    public override Tensor? ActorLoss(UpdateInputs inputs)
    {
        var s = inputs.Observations;
        var elites = EliteActions(s, inputs.Q1, inputs.Random);
        int m = elites.Dim(0);
        var actorLoss = (SquashedAction(s).Unsqueeze(0) - elites).Square().Sum(-1).Mean();
        var proposal = Proposal(s);
        var stretched = new DiagGaussian(proposal.Mean.Unsqueeze(0) + Tensor.Zeros(m, 1, 1), proposal.LogStd.Unsqueeze(0) + Tensor.Zeros(m, 1, 1));
        var proposalLoss = -stretched.LogProb(elites).Mean() - proposal.Entropy().Mean() * _settings.Entropy;
        return actorLoss + proposalLoss;
    }

    /// <inheritdoc/>
    public override ActorNetwork CloneAsTarget(RandomGenerator rng)
    {
        var clone = new GreedyActor(Domain, _settings, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

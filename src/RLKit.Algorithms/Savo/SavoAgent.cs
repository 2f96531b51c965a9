using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// A policy trained by <see cref="SavoEstimator"/>: its actor architecture proposes k candidates per state and the
/// maximizer μ_M(s) acts with the one Q1 values most (seed 003 eq. 4.5). Deterministic acting uses the noise-free
/// candidates; stochastic acting adds Gaussian noise of the training exploration scale to every candidate first. On an
/// <see cref="ActionSet"/> the agent returns action ids (the candidates' nearest available actions).
/// </summary>
public sealed class SavoAgent : OffPolicyAgent<SavoOptions>, IActionSetAgent
{
    private readonly RandomGenerator _fallbackRng;

    private SavoAgent(Space observationSpace, Space actionSpace, SavoOptions options, RandomGenerator rng)
        : base(observationSpace, actionSpace, options)
    {
        Domain = ActionDomain.For(actionSpace, nameof(actionSpace));
        int observationSize = observationSpace.FlatSize;
        Actors = ((IActorArchitecture)ActorArchitectures.All[options.Architecture]).Create(Domain, observationSize, options, rng);
        Q1 = new ContinuousQNetwork(observationSize, Domain.Size, options.HiddenSizes, rng);
        Q2 = new ContinuousQNetwork(observationSize, Domain.Size, options.HiddenSizes, rng);
        _fallbackRng = new RandomGenerator(options.Seed + 7919);
    }

    /// <summary>An untrained agent with fresh networks drawn from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">If the action space is neither a bounded Box nor an ActionSet with representations.</exception>
    internal static SavoAgent Create(Space observationSpace, Space actionSpace, SavoOptions options, RandomGenerator rng) =>
        new(observationSpace, actionSpace, Validated(options), rng);

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with its weights.</summary>
    /// <exception cref="ArgumentException">If the action space does not fit or the weights do not fit.</exception>
    public static SavoAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, SavoEstimator.Name, static (Space observationSpace, Space actionSpace, SavoOptions options) =>
            Create(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    /// <inheritdoc/>
    public override string Algorithm => SavoEstimator.Name;

    /// <summary>The actor architecture's name ("savo", "wolpertinger", …).</summary>
    public string Architecture => Options.Architecture;

    /// <summary>k, the candidates proposed per state.</summary>
    public int CandidateCount => Actors.CandidateCount;

    internal ActionDomain Domain { get; }
    internal ActorNetwork Actors { get; }
    internal ContinuousQNetwork Q1 { get; }
    internal ContinuousQNetwork Q2 { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights => AgentWeights.Collect([("actors", Actors), ("q1", Q1), ("q2", Q2)]);

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => AgentWeights.Load(Weights, weights, Algorithm);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">When the action space is a Box (use the <see cref="Span{T}"/> of float overload).</exception>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        Act(observations, default, actions, deterministic, rng);

    /// <inheritdoc/>
    public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if (Domain.Actions is not { } set)
            throw new NotSupportedException($"savo acts in a continuous (Box) action space here; use the Span<float> overload.");
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, 1, Algorithm);
        if (!availability.IsEmpty && availability.Length != actions.Length * set.Count)
            throw new ArgumentException($"savo: availability must hold {actions.Length} rows × {set.Count} actions = {actions.Length * set.Count} flags, got {availability.Length}.", nameof(availability));
        using var scope = TensorScope.Begin();
        var chosen = Choose(observations, availability.ToArray(), deterministic, rng);
        Domain.Nearest(chosen, actions.Length, availability, actions, 1);
    }

    /// <inheritdoc/>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
    {
        if (Domain.IsDiscrete)
            throw new NotSupportedException("savo acts in an ActionSet here; pass a Span<int> for the action ids.");
        AgentActing.CheckBatch(observations, ObservationSpace.FlatSize, actions.Length, Domain.Size, Algorithm);
        using var scope = TensorScope.Begin();
        Choose(observations, default, deterministic, rng).AsReadOnlySpan().CopyTo(actions);
    }

    /// <summary>μ_M(s) for a batch, [N, D], noise on every candidate unless deterministic.</summary>
    private Tensor Choose(Tensor observations, ReadOnlyMemory<bool> availability, bool deterministic, RandomGenerator? rng)
    {
        using var noGrad = GradMode.NoGrad();
        var flat = AgentActing.Flat(observations);
        int rows = flat.Dim(0);
        var random = rng ?? _fallbackRng;
        float[]? noise = null;
        if (!deterministic)
        {
            noise = new float[CandidateCount * rows * Domain.Size];
            random.FillNormal(noise, 0f, Options.ExplorationNoiseStd);
        }
        var candidates = Actors.Candidates(new CandidateRequest(flat, availability, noise, Q1, random));
        return Maximizer.Select(Q1, flat, candidates, new int[rows]);
    }

    /// <summary>
    /// The Q-landscape at one state of a task with a one-dimensional action (seed 003 Fig. 4.9): Q1(s, a) and, for SAVO
    /// with learned surrogates, every Ψ̂_i(s, a; a_&lt;i) on <paramref name="points"/> evenly spaced actions across the
    /// action range, with the actors' noise-free proposals a_0 … a_{k−1} and their Q1 values.
    /// </summary>
    /// <param name="observation">One observation (the observation space's size).</param>
    /// <param name="points">Grid points, in [2, 100 000]. Default 201.</param>
    /// <exception cref="ArgumentException">If the observation has the wrong size or is not finite, or the action is not one-dimensional.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="points"/> is outside [2, 100 000].</exception>
    public QLandscape QLandscape(ReadOnlySpan<float> observation, int points = 201)
    {
        if (Domain.Size != 1)
            throw new ArgumentException($"savo: a Q-landscape is drawn over a one-dimensional action; this agent's actions have {Domain.Size} dimensions.", nameof(observation));
        if (points is < 2 or > 100_000)
            throw new ArgumentOutOfRangeException(nameof(points), points, "savo: points must be in [2, 100000].");
        var state = Tensor.FromSpan(observation, 1, observation.Length);
        AgentActing.CheckBatch(state, ObservationSpace.FlatSize, 1, 1, Algorithm);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        float low = Domain.Box.Low[0], high = Domain.Box.High[0];
        var grid = new float[points];
        for (int p = 0; p < points; p++) grid[p] = low + (high - low) * p / (points - 1);
        var gridActions = Tensor.FromArray(grid, points, 1);
        var states = Maximizer.Repeat(state, points);
        var q = Q1.Forward(states, gridActions).ToArray();

        var candidates = Actors.Candidates(new CandidateRequest(state, default, null, Q1, _fallbackRng));
        var proposals = candidates.Reshape(-1).ToArray();
        var proposalValues = Maximizer.Values(Q1, state, candidates).Reshape(-1).ToArray();

        var surrogates = new List<float[]>();
        if (Actors is SuccessiveActors { LearnedSurrogates: true } savo)
            for (int i = 1; i < savo.CandidateCount; i++)
            {
                // a_<i for every grid point: the same proposals repeated.
                var previous = candidates.Narrow(0, 0, i).Permute(1, 0, 2) + Tensor.Zeros(points, i, 1);
                surrogates.Add(savo.Surrogate(i, states, gridActions, previous).ToArray());
            }
        return new QLandscape(grid, q, surrogates, proposals, proposalValues);
    }
}

/// <summary>
/// Values over a one-dimensional action range at one state (seed 003 Fig. 4.9), from <see cref="SavoAgent.QLandscape"/>.
/// </summary>
/// <param name="Actions">The grid of actions, ascending.</param>
/// <param name="Q">Q1(s, a) at each grid action.</param>
/// <param name="Surrogates">Ψ̂_1 … Ψ̂_{k−1} at each grid action (entry i − 1 is Ψ̂_i); empty without learned surrogates.</param>
/// <param name="Proposals">The noise-free proposals a_0 … a_{k−1}.</param>
/// <param name="ProposalValues">Q1(s, a_i) of each proposal.</param>
public sealed record QLandscape(IReadOnlyList<float> Actions, IReadOnlyList<float> Q, IReadOnlyList<float[]> Surrogates,
                                IReadOnlyList<float> Proposals, IReadOnlyList<float> ProposalValues)
{
    /// <summary>The index of the proposal the maximizer μ_M picks (the highest Q1, the first on ties).</summary>
    public int MaximizerChoice
    {
        get
        {
            int best = 0;
            for (int i = 1; i < ProposalValues.Count; i++)
                if (ProposalValues[i] > ProposalValues[best]) best = i;
            return best;
        }
    }
}

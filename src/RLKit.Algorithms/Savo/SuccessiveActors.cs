using System.Globalization;
using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// SAVO's actor (seed 003 §4.4, Fig. 4.4): actors ν_0 … ν_{k−1}, where ν_0 = μ is TD3's actor and each later ν_i reads
/// the actions a_&lt;i = {a_0, …, a_{i−1}} proposed before it (DeepSet summary + FiLM); and, for i ≥ 1, a learned
/// surrogate Ψ̂_i(s, a; a_&lt;i) of Ψ_i(s, a; a_&lt;i) = max{Q(s, a), max_{j&lt;i} Q(s, a_j)} (eq. 4.7), fitted at the
/// executed action and at ν_i's proposal (eq. 4.9). μ ascends Q (eq. 4.3); ν_i ascends Ψ̂_i (eq. 4.8), or Ψ_i itself
/// without learned surrogates (the "approximation" ablation). With k = 1 this is TD3's single actor.
/// </summary>
/// <remarks>
/// In the discrete mode every a_j handed to a later actor or surrogate is the representation of a real action (the 1-NN
/// projection of App. F.1), while each actor's gradient is taken at its own continuous output. The a_&lt;i of an update
/// are the current actors' noise-free proposals on the batch's states, recomputed rather than stored: they are what ν_i
/// conditions on when it acts.
/// </remarks>
internal sealed class SuccessiveActors : ActorNetwork
{
    private readonly PreviousActionNetwork[] _actors;
    private readonly PreviousActionNetwork?[] _surrogates;
    private readonly Settings _settings;

    /// <summary>How the network is built (the options that shape it).</summary>
    /// <param name="ObservationSize">Width of s.</param>
    /// <param name="HiddenSizes">Hidden widths of every actor and surrogate.</param>
    /// <param name="Count">k ≥ 1.</param>
    /// <param name="SummarySize">The DeepSet summary width; 0 removes the conditioning on previous actions.</param>
    /// <param name="LearnedSurrogates">Learn Ψ̂_i (true) or ascend Ψ_i directly (false).</param>
    internal sealed record Settings(int ObservationSize, IReadOnlyList<int> HiddenSizes, int Count, int SummarySize, bool LearnedSurrogates);

    public SuccessiveActors(ActionDomain domain, Settings settings, RandomGenerator rng) : base(domain)
    {
        _settings = settings;
        int obs = settings.ObservationSize, d = domain.Size;
        _actors = new PreviousActionNetwork[settings.Count];
        _surrogates = new PreviousActionNetwork?[settings.Count];
        for (int i = 0; i < settings.Count; i++)
        {
            string index = i.ToString(CultureInfo.InvariantCulture);
            _actors[i] = RegisterModule($"actor{index}",
                new PreviousActionNetwork(obs, obs, d, settings.HiddenSizes, d, i == 0 ? 0 : settings.SummarySize, Activation.Tanh, rng));
            if (i > 0 && settings.LearnedSurrogates)
                _surrogates[i] = RegisterModule($"surrogate{index}",
                    new PreviousActionNetwork(obs + d, obs, d, settings.HiddenSizes, 1, settings.SummarySize, Activation.Identity, rng));
        }
    }

    /// <inheritdoc/>
    public override int CandidateCount => _actors.Length;

    /// <summary>Whether ν_i ascends a learned Ψ̂_i (false: Ψ_i itself).</summary>
    public bool LearnedSurrogates => _settings.LearnedSurrogates;

    /// <inheritdoc/>
    public override IEnumerable<Tensor> ActorParameters() => _actors.SelectMany(a => a.Parameters());

    /// <inheritdoc/>
    public override IEnumerable<Tensor> SurrogateParameters() => _surrogates.Where(s => s is not null).SelectMany(s => s!.Parameters());

    /// <summary>ν_i(s; a_&lt;i) in the box, [B, D], with gradient; <paramref name="previous"/> [B, i, D] is unused for i = 0.</summary>
    public Tensor Actor(int i, Tensor observations, Tensor? previous) =>
        Domain.Rescaler.ToEnvironment(_actors[i].Forward(observations, observations, previous!));

    /// <summary>Ψ̂_i(s, a; a_&lt;i), [B], with gradient. Needs learned surrogates and i ≥ 1.</summary>
    public Tensor Surrogate(int i, Tensor observations, Tensor actions, Tensor previous)
    {
        var value = _surrogates[i]!.Forward(Tensor.Concat([observations, actions], 1), observations, previous);
        return value.Reshape(value.Dim(0));
    }

    /// <summary>
    /// The noise-free chain a_0 = ν_0(s), a_i = ν_i(s; a_&lt;i): the continuous outputs [k, B, D] and the real actions the
    /// later actors read [k, B, D] (projected in the discrete mode). No gradient.
    /// </summary>
    public (Tensor Outputs, Tensor Actions) Chain(Tensor observations, ReadOnlySpan<bool> availability)
    {
        using var noGrad = GradMode.NoGrad();
        var (outputs, actions) = ChainWithGradient(observations, availability);
        return (Tensor.Stack(outputs, 0), Tensor.Stack(actions, 0));
    }

    /// <summary>
    /// The chain with each actor's output ν_i(s; a_&lt;i) kept on the tape (when gradients are recorded) and the real
    /// actions a_i handed on detached, so a loss on output i trains ν_i only.
    /// </summary>
    private (Tensor[] Outputs, Tensor[] Actions) ChainWithGradient(Tensor observations, ReadOnlySpan<bool> availability)
    {
        int batch = observations.Dim(0);
        var outputs = new Tensor[_actors.Length];
        var actions = new Tensor[_actors.Length];
        for (int i = 0; i < _actors.Length; i++)
        {
            outputs[i] = Actor(i, observations, i == 0 ? null : Previous(actions, i));
            actions[i] = Domain.Project(outputs[i].Detach(), batch, availability);
        }
        return (outputs, actions);
    }

    /// <summary>a_&lt;i as [B, i, D] from the per-actor actions.</summary>
    private static Tensor Previous(IReadOnlyList<Tensor> actions, int i) =>
        i == 1 ? actions[0].Unsqueeze(1) : Tensor.Stack(actions.Take(i).ToArray(), 1);

    /// <inheritdoc/>
    public override Tensor Candidates(CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        return Finish(Tensor.Stack(ChainWithGradient(request.Observations, request.Availability.Span).Outputs, 0), request);
    }

    /// <summary>max_{j&lt;i} Q(s, a_j) for every i in [1, k), as [k, B] with row 0 unused (−∞), from Q at the chain [k, B].</summary>
    private static Tensor Thresholds(Tensor chainValues)
    {
        int k = chainValues.Dim(0), batch = chainValues.Dim(1);
        var thresholds = Tensor.Zeros(k, batch);
        var t = thresholds.AsSpan();
        var q = chainValues.AsReadOnlySpan();
        t[..batch].Fill(float.NegativeInfinity);
        for (int i = 1; i < k; i++)
            for (int b = 0; b < batch; b++)
                t[i * batch + b] = Math.Max(t[(i - 1) * batch + b], q[(i - 1) * batch + b]);
        return thresholds;
    }

    /// <summary>
    /// The chain of the update whose surrogates were just fitted: the surrogate step only changes Ψ̂, so the actor
    /// step reuses the same forward passes (and their tape) instead of running the k actors again.
    /// </summary>
    private (UpdateInputs Inputs, Tensor[] Outputs, Tensor[] Actions)? _updateChain;

    private (Tensor[] Outputs, Tensor[] Actions) UpdateChain(UpdateInputs inputs)
    {
        if (_updateChain is { } cached && ReferenceEquals(cached.Inputs, inputs)) return (cached.Outputs, cached.Actions);
        var (outputs, actions) = ChainWithGradient(inputs.Observations, default);
        _updateChain = (inputs, outputs, actions);
        return (outputs, actions);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// −Q1(s, ν_0(s)) for μ (eq. 4.3) plus, for each i ≥ 1, −Ψ̂_i(s, ν_i(s; a_&lt;i); a_&lt;i) (eq. 4.8), or
    /// −max{Q1(s, ν_i), max_{j&lt;i} Q1(s, a_j)} without learned surrogates. The a_&lt;i carry no gradient, so each term
    /// trains its own actor only.
    /// </remarks>
    public override Tensor? ActorLoss(UpdateInputs inputs)
    {
        var s = inputs.Observations;
        var (outputs, actions) = UpdateChain(inputs);
        _updateChain = null;
        Tensor? thresholds = null;
        if (!LearnedSurrogates && CandidateCount > 1)
            using (GradMode.NoGrad()) thresholds = Thresholds(Maximizer.Values(inputs.Q1, s, Tensor.Stack(actions, 0)));
        var loss = -inputs.Q1.Forward(s, outputs[0]).Mean();
        for (int i = 1; i < CandidateCount; i++)
        {
            var objective = LearnedSurrogates
                ? Surrogate(i, s, outputs[i], Previous(actions, i))
                : SavoObjectives.Psi(inputs.Q1.Forward(s, outputs[i]), thresholds!.Narrow(0, i, 1).Reshape(-1));
            loss = loss - objective.Mean();
        }
        return loss;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Eq. 4.9 for every i ≥ 1, with Q = min(Q1, Q2) (twin critics for the surrogate targets, §4.4.5 item 3). Each
    /// critic scores the k chain actions and the executed actions in one pass, and each Ψ̂_i reads its two points in one.
    /// </remarks>
    public override Tensor? SurrogateLoss(UpdateInputs inputs)
    {
        if (!LearnedSurrogates || CandidateCount == 1) return null;
        var s = inputs.Observations;
        int batch = s.Dim(0), k = CandidateCount;
        var (_, actions) = UpdateChain(inputs);
        Tensor chainValues, executedValues;
        using (GradMode.NoGrad())
        {
            // Rows: the k chain actions (candidate-major), then the executed actions.
            var scored = Tensor.Concat([.. actions, inputs.ExecutedActions], 0);
            var states = Maximizer.Repeat(s, k + 1);
            var values = Tensor.Minimum(inputs.Q1.Forward(states, scored), inputs.Q2.Forward(states, scored));
            chainValues = values.Narrow(0, 0, k * batch).Reshape(k, batch);
            executedValues = values.Narrow(0, k * batch, batch);
        }
        var thresholds = Thresholds(chainValues);
        var twoStates = Maximizer.Repeat(s, 2);
        Tensor? loss = null;
        for (int i = 1; i < k; i++)
        {
            var previous = Previous(actions, i);
            var twoPrevious = Tensor.Concat([previous, previous], 0);
            int member = i;
            var term = SavoObjectives.SurrogateFitLoss(
                points => Surrogate(member, twoStates, points, twoPrevious),
                inputs.ExecutedActions, actions[i],
                executedValues, chainValues.Narrow(0, i, 1).Reshape(batch), thresholds.Narrow(0, i, 1).Reshape(batch));
            loss = loss is null ? term : loss + term;
        }
        return loss;
    }

    /// <inheritdoc/>
    public override ActorNetwork CloneAsTarget(RandomGenerator rng)
    {
        var clone = new SuccessiveActors(Domain, _settings, rng);
        clone.CopyFrom(this);
        return clone;
    }
}

/// <summary>The surrogate objectives of seed 003 §4.4.2–4.4.4, as functions of Q-values.</summary>
internal static class SavoObjectives
{
    /// <summary>Ψ_i = max{Q(s, a), τ} with τ = max_{j&lt;i} Q(s, a_j) (eq. 4.7); never below Q, and flat wherever Q &lt; τ.</summary>
    public static Tensor Psi(Tensor q, Tensor threshold) => Tensor.Maximum(q, threshold);

    /// <summary>
    /// Eq. 4.9 for one surrogate: the squared error of Ψ̂_i against Ψ_i at exactly two points per state, the executed
    /// maximizer action μ̃_M(s) and ν_i's proposal, each averaged over the batch, summed.
    /// </summary>
    /// <param name="surrogate">a [2B, D] (the executed actions, then the proposals) ↦ Ψ̂_i(s, a; a_&lt;i) [2B].</param>
    /// <param name="executed">μ̃_M(s), [B, D].</param>
    /// <param name="proposal">ν_i(s; a_&lt;i), [B, D].</param>
    /// <param name="qExecuted">Q(s, μ̃_M(s)), [B].</param>
    /// <param name="qProposal">Q(s, ν_i(s; a_&lt;i)), [B].</param>
    /// <param name="threshold">max_{j&lt;i} Q(s, a_j), [B].</param>
    public static Tensor SurrogateFitLoss(Func<Tensor, Tensor> surrogate, Tensor executed, Tensor proposal,
                                          Tensor qExecuted, Tensor qProposal, Tensor threshold)
    {
        var targets = Tensor.Concat([Psi(qExecuted, threshold), Psi(qProposal, threshold)], 0);
        // Twice the mean over 2B rows is the sum of the two per-point batch means.
        return Functional.MseLoss(surrogate(Tensor.Concat([executed, proposal], 0)), targets) * 2f;
    }
}

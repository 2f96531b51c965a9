using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Cdqn;

/// <summary>
/// A trained cascaded-DQN policy over an <see cref="ActionList"/> (a slate of k distinct items from a variable item
/// set; an <see cref="ActionSet"/> is a list of one). Acting builds the list position by position (Algorithm 5's
/// listwise_action): at position n it scores the still-available items with Q_n(s, a, A′) given the items already
/// chosen, takes the best one (or, stochastically, with probability ε a uniformly random one), and removes it from the
/// candidates, so a list never repeats an item and only holds available items. In Simple-DQN mode
/// (<see cref="CdqnOptions.Cascade"/> false) the list is the top k of one Q(s, a) per item.
/// </summary>
/// <remarks>
/// The agent reads the item representations from its action space's <see cref="ActionList.Items"/> when it acts.
/// Checkpoints hold the Q-network's weights under "q." and a copy of the item representations under
/// <see cref="RepresentationsKey"/>, which <see cref="LoadWeights"/> writes back into that action set: a rebuilt
/// space has zero representations, and an agent that scores items by representation is nothing without them.
/// </remarks>
public sealed class CdqnAgent : Agent<CdqnOptions>, IActionSetAgent, IActionSetScoringAgent
{
    /// <summary>The prefix of the Q-network's parameters in <see cref="Weights"/>.</summary>
    internal const string WeightPrefix = "q.";

    /// <summary>The key of the item representations [items, D] in <see cref="Weights"/>.</summary>
    public const string RepresentationsKey = "items.representations";

    private readonly RandomGenerator _fallbackRng;

    /// <param name="network">The online Q-network (shared with the estimator while training).</param>
    /// <param name="observationSpace">The environment's single observation space.</param>
    /// <param name="actionSpace">The environment's single action space: an ActionList (or an ActionSet).</param>
    /// <param name="options">The options the agent was trained with.</param>
    /// <exception cref="ArgumentException">If the action space is not a list or set, or the network does not fit the spaces.</exception>
    internal CdqnAgent(CdqnNetwork network, Space observationSpace, Space actionSpace, CdqnOptions options)
        : base(observationSpace, actionSpace, options)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        (Items, ListLength) = ListOf(actionSpace, CdqnEstimator.Name);
        if (network.RepresentationSize != Items.RepresentationSize)
            throw new ArgumentException(
                $"{CdqnEstimator.Name}: the Q-network scores items with representations {network.RepresentationSize} wide, but the action space's are {Items.RepresentationSize} wide.", nameof(actionSpace));
        if (network.ListLength != ListLength || network.StateSize != observationSpace.FlatSize)
            throw new ArgumentException(
                $"{CdqnEstimator.Name}: the Q-network was built for observations of {network.StateSize} floats and lists of {network.ListLength}; the spaces have {observationSpace.FlatSize} and {ListLength}.", nameof(network));
        _fallbackRng = new RandomGenerator(options.Seed);
    }

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights and item representations loaded.</summary>
    /// <exception cref="ArgumentException">If the checkpoint's action space is not an ActionList or ActionSet, or its weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static CdqnAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, CdqnEstimator.Name, static (Space observationSpace, Space actionSpace, CdqnOptions options) =>
        {
            var (items, length) = ListOf(actionSpace, CdqnEstimator.Name);
            var network = new CdqnNetwork(observationSpace.FlatSize, items.RepresentationSize, length, options, new RandomGenerator(options.Seed));
            return new CdqnAgent(network, observationSpace, actionSpace, options);
        });

    /// <inheritdoc/>
    public override string Algorithm => CdqnEstimator.Name;

    /// <summary>The item universe: its representations and (for acting without a mask) its availability.</summary>
    public ActionSet Items { get; }

    /// <summary>The number of distinct items per list (k; 1 for an ActionSet).</summary>
    public int ListLength { get; }

    /// <summary>The ε of stochastic acting: the final ε of training.</summary>
    public float Epsilon => Options.EpsilonEnd;

    /// <summary>The Q-network.</summary>
    internal CdqnNetwork Network { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights
    {
        get
        {
            var state = Network.StateDict();
            var weights = new OrderedDictionary<string, Tensor>(state.Count + 1, StringComparer.Ordinal);
            foreach (var (name, tensor) in state) weights.Add(WeightPrefix + name, tensor);
            weights.Add(RepresentationsKey, Tensor.FromSpan(Items.Representations, Items.Count, Items.RepresentationSize));
            return weights;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Also copies the stored item representations into <see cref="Items"/>.</remarks>
    /// <exception cref="ArgumentException">Naming every missing or unexpected key and every shape mismatch; nothing is copied then.</exception>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var problems = Checkpoint.DescribeWeightMismatches(Weights, weights);
        if (problems.Count > 0)
            throw new ArgumentException($"{Algorithm}.LoadWeights: the weights do not fit {Network}: {string.Join("; ", problems)}.", nameof(weights));
        var state = new Dictionary<string, Tensor>(weights.Count, StringComparer.Ordinal);
        foreach (var (name, tensor) in weights)
            if (name != RepresentationsKey) state.Add(name[WeightPrefix.Length..], tensor);
        Network.LoadStateDict(state);
        weights[RepresentationsKey].AsReadOnlySpan().CopyTo(Items.Representations);
    }

    /// <summary>Acts as if every item of the universe were available (<see cref="IActionSetAgent"/>).</summary>
    /// <param name="observations">[N, obs].</param>
    /// <param name="actions">N × <see cref="ListLength"/> item ids, row-major.</param>
    /// <param name="deterministic">Greedy lists; otherwise ε-greedy per position with <see cref="Epsilon"/>.</param>
    /// <param name="rng">The exploration generator; the agent's own when null.</param>
    /// <exception cref="ArgumentException">If a shape is wrong or an observation is not finite.</exception>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        int rows = observations.Rank == 0 ? 0 : observations.Dim(0);
        var availability = new bool[rows * Items.Count];
        availability.AsSpan().Fill(true);
        Act(observations, availability, actions, deterministic, rng);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: the agent recommends lists of item ids.</exception>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException($"{Algorithm} acts in {ActionSpace.Description}; pass a Span<int> of item ids.");

    /// <summary>Recommends one list per row from that row's available items.</summary>
    /// <param name="observations">[N, obs].</param>
    /// <param name="availability">[N, items] row-major: which items each row may recommend.</param>
    /// <param name="actions">N × <see cref="ListLength"/> item ids, row-major: distinct, available, in list order.</param>
    /// <param name="deterministic">Greedy lists; otherwise ε-greedy per position with <see cref="Epsilon"/>.</param>
    /// <param name="rng">The exploration generator; the agent's own when null.</param>
    /// <exception cref="ArgumentException">
    /// If a shape is wrong, an observation is not finite, or a row has fewer available items than the list length
    /// (the message names the row).
    /// </exception>
    public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        Act(observations, Items.Representations, availability, actions, deterministic, rng);

    /// <summary>
    /// Recommends one list per row, scoring the items with <paramref name="representations"/> instead of
    /// <see cref="Items"/>' (e.g. items the agent has not seen in training).
    /// </summary>
    /// <param name="observations">[N, obs].</param>
    /// <param name="representations">[items, D] row-major, D the width the agent was trained with.</param>
    /// <param name="availability">[N, items] row-major: which items each row may recommend.</param>
    /// <param name="actions">N × <see cref="ListLength"/> item ids, row-major.</param>
    /// <param name="deterministic">Greedy lists; otherwise ε-greedy per position with <see cref="Epsilon"/>.</param>
    /// <param name="rng">The exploration generator; the agent's own when null.</param>
    /// <exception cref="ArgumentException">
    /// If the representations are not [items, D] (the message names both widths), a shape is wrong, an observation is
    /// not finite, or a row has fewer available items than the list length.
    /// </exception>
    public void Act(Tensor observations, ReadOnlySpan<float> representations, ReadOnlySpan<bool> availability, Span<int> actions,
                    bool deterministic, RandomGenerator? rng = null) =>
        ActEpsilonGreedy(observations, representations, availability, actions, deterministic ? 0f : Epsilon, rng ?? _fallbackRng);

    /// <summary>Algorithm 5's listwise_action with ε-greedy choices: the core of acting and of collection.</summary>
    internal void ActEpsilonGreedy(Tensor observations, ReadOnlySpan<float> representations, ReadOnlySpan<bool> availability, Span<int> actions,
                                   float epsilon, RandomGenerator rng)
    {
        int n = ListLength, count = Items.Count, width = Network.RepresentationSize;
        AgentActing.CheckBatch(observations, Network.StateSize, actions.Length, perRow: n, Algorithm);
        int rows = observations.Dim(0);
        if (representations.Length != count * width)
            throw new ArgumentException(
                $"{Algorithm}: the representations hold {representations.Length} values; {count} items of width {width} (the width the agent was trained with) need {count * width}." +
                (representations.Length % count == 0 ? $" They look {representations.Length / count} wide." : ""), nameof(representations));
        if (availability.Length != rows * count)
            throw new ArgumentException($"{Algorithm}: availability must be [N, items] = [{rows}, {count}] ({rows * count} values), got {availability.Length}.", nameof(availability));
        for (int r = 0; r < rows; r++)
        {
            int available = 0;
            foreach (bool a in availability.Slice(r * count, count)) if (a) available++;
            if (available < n)
                throw new ArgumentException(
                    $"{Algorithm}: row {r} has {available} available item{(available == 1 ? "" : "s")}, but a list holds {n} distinct items; it needs at least {n} available.", nameof(availability));
        }
        if (rows == 0) return;

        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var states = AgentActing.Flat(observations);
        if (Network.Cascade) Cascade(states, representations, availability, actions, rows, epsilon, rng);
        else TopK(states, representations, availability, actions, rows, epsilon, rng);
    }

    /// <summary>Position by position: score the remaining candidates given the prefix, choose, remove the choice.</summary>
    private void Cascade(Tensor states, ReadOnlySpan<float> representations, ReadOnlySpan<bool> availability, Span<int> actions,
                         int rows, float epsilon, RandomGenerator rng)
    {
        int n = ListLength, count = Items.Count;
        var chosen = new bool[rows * count];
        var prefixes = new int[rows * n];
        prefixes.AsSpan().Fill(-1);
        for (int p = 0; p < n; p++)
        {
            var candidates = ActionSetBatch.FromAvailability(representations, Network.RepresentationSize, availability, rows, chosen);
            var q = Network.QValues(states, candidates, representations, prefixes).AsReadOnlySpan();
            for (int r = 0; r < rows; r++)
            {
                // Real slots come first in each row, padding after.
                int m = candidates.AvailableCount(r);
                int slot = epsilon > 0f && rng.NextSingle() < epsilon ? rng.NextInt(m) : ValueTargets.Argmax(q.Slice(r * candidates.Width, m));
                int id = candidates.IdAt(r, slot);
                actions[r * n + p] = id;
                prefixes[r * n + p] = id;
                chosen[r * count + id] = true;
            }
        }
    }

    /// <summary>Simple DQN: one Q(s, a) per item; each position takes the best remaining item (or, with probability ε, a random one).</summary>
    private void TopK(Tensor states, ReadOnlySpan<float> representations, ReadOnlySpan<bool> availability, Span<int> actions,
                      int rows, float epsilon, RandomGenerator rng)
    {
        int n = ListLength;
        var candidates = ActionSetBatch.FromAvailability(representations, Network.RepresentationSize, availability, rows);
        var q = Network.QValues(states, candidates, representations, default).AsReadOnlySpan();
        var taken = new bool[candidates.Width];
        for (int r = 0; r < rows; r++)
        {
            int m = candidates.AvailableCount(r);
            var row = q.Slice(r * candidates.Width, m);
            Array.Clear(taken);
            for (int p = 0; p < n; p++)
            {
                int slot = -1;
                if (epsilon > 0f && rng.NextSingle() < epsilon)
                {
                    for (int k = rng.NextInt(m - p); ; k--)
                    {
                        do slot++; while (taken[slot]);
                        if (k == 0) break;
                    }
                }
                else
                {
                    for (int s = 0; s < m; s++)
                        if (!taken[s] && (slot < 0 || row[s] > row[slot])) slot = s;
                }
                taken[slot] = true;
                actions[r * n + p] = candidates.IdAt(r, slot);
            }
        }
    }

    /// <summary>The universe and list length of an ActionList, or of an ActionSet as a list of one.</summary>
    /// <exception cref="ArgumentException">For any other space.</exception>
    internal static (ActionSet Items, int Length) ListOf(Space space, string algorithm) => space switch
    {
        ActionList list => (list.Items, list.Length),
        ActionSet set => (set, 1),
        _ => throw new ArgumentException(
            $"{algorithm} recommends lists of items by their representations; it needs an ActionList (or ActionSet) action space, not {space.Description}.", nameof(space)),
    };

    // AGILE's attention view (ActionAttention.For) looks at the Q-network at list position 0.
    ActionSetScorer IActionSetScoringAgent.Scorer => Network.Scorer;

    ActionSet IActionSetScoringAgent.Actions => Items;

    Tensor? IActionSetScoringAgent.Context(int rows)
    {
        var empty = new int[rows * ListLength];
        empty.AsSpan().Fill(-1);
        return Network.Context(Items.Representations, empty, rows);
    }
}

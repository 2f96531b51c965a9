using RLKit.Algorithms.ActionRelations;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Cdqn;

/// <summary>
/// The cascaded Q-network: one <see cref="ActionSetScorer"/> shared by every list position ("sharing the weights of
/// the cascaded Q-networks improved the performance", seed 003 D.3), whose per-row context is the list embedding of
/// <see cref="CdqnListEncoder"/>. Q_n(s, a, A′) = Score(s, A′, e_list(a_1 … a_{n−1}))[a]. In Simple-DQN mode there is
/// no list encoder and Q(s, a) ignores the list. Parameters are named "scorer.…" and "list.…".
/// </summary>
internal sealed class CdqnNetwork : Module
{
    /// <param name="stateSize">Observation width S.</param>
    /// <param name="representationSize">Item representation width D.</param>
    /// <param name="listLength">List length N.</param>
    /// <param name="options">Validated options (relations, list encoder size, cascade or Simple DQN).</param>
    /// <param name="rng">Initialises the weights.</param>
    public CdqnNetwork(int stateSize, int representationSize, int listLength, CdqnOptions options, RandomGenerator rng)
    {
        StateSize = stateSize;
        RepresentationSize = representationSize;
        ListLength = listLength;
        Options = options;
        Scorer = RegisterModule("scorer", new ActionSetScorer(stateSize, representationSize, options.Relations, rng,
                                                              options.Cascade ? options.ListEncoderSize : 0));
        if (options.Cascade)
            List = RegisterModule("list", new CdqnListEncoder(representationSize, listLength, options.Relations.HiddenSize, options.ListEncoderSize, rng));
    }

    /// <summary>Observation width S.</summary>
    public int StateSize { get; }

    /// <summary>Item representation width D.</summary>
    public int RepresentationSize { get; }

    /// <summary>List length N.</summary>
    public int ListLength { get; }

    /// <summary>The options the network was built from.</summary>
    public CdqnOptions Options { get; }

    /// <summary>Whether the Q-values depend on the partial list (the cascade) or not (Simple DQN).</summary>
    public bool Cascade => List is not null;

    /// <summary>The utility pathway shared over positions.</summary>
    public ActionSetScorer Scorer { get; }

    /// <summary>The list encoder, or null in Simple-DQN mode.</summary>
    public CdqnListEncoder? List { get; }

    /// <summary>A network of the same architecture with fresh weights (the target network, before it is synced).</summary>
    public CdqnNetwork CloneArchitecture(RandomGenerator rng) => new(StateSize, RepresentationSize, ListLength, Options, rng);

    /// <summary>
    /// Q-values [rows, M] of every slot of <paramref name="actions"/> (padding slots hold
    /// <see cref="ActionSetScorer.PaddingScore"/>), each row at the position after its prefix.
    /// </summary>
    /// <param name="states">[rows, S].</param>
    /// <param name="actions">The rows' remaining candidates (prefix items excluded).</param>
    /// <param name="representations">[items, D] the universe's representations (for the list embedding).</param>
    /// <param name="prefixes">[rows, N] the items chosen so far, then −1; ignored (may be empty) in Simple-DQN mode.</param>
    public Tensor QValues(Tensor states, ActionSetBatch actions, ReadOnlySpan<float> representations, ReadOnlySpan<int> prefixes) =>
        Scorer.Score(states, actions, Context(representations, prefixes, actions.Rows)).Scores;

    /// <summary>The scorer's context for the rows' prefixes: e_list [rows, ListEncoderSize], or null in Simple-DQN mode.</summary>
    public Tensor? Context(ReadOnlySpan<float> representations, ReadOnlySpan<int> prefixes, int rows) =>
        List?.Encode(representations, prefixes, rows);
}

using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// An agent whose policy scores action sets with an <see cref="ActionSetScorer"/> (PPO with action relations, the
/// cascaded DQN); lets <see cref="ActionAttention"/> look inside it.
/// </summary>
internal interface IActionSetScoringAgent
{
    /// <summary>The actor's scorer (CDQN: the Q-network at list position 0).</summary>
    ActionSetScorer Scorer { get; }

    /// <summary>The action universe whose representations the scorer reads.</summary>
    ActionSet Actions { get; }

    /// <summary>The scorer's context for <paramref name="rows"/> rows at the first decision (CDQN: the empty list), or null.</summary>
    Tensor? Context(int rows);

    /// <summary>The scorer's state input for raw observations [rows, obs] (override to normalise); identity by default.</summary>
    Tensor States(Tensor observations) => observations;
}

/// <summary>The attention an action-set policy pays between its available actions in one state.</summary>
/// <param name="ActionIds">The available action ids, ascending; index i of a layer's rows and columns is ActionIds[i].</param>
/// <param name="Layers">Per GAT layer, an M×M row-major matrix: row i = how action i weighs action j (heads averaged; rows sum to 1).</param>
public sealed record ActionAttentionMap(IReadOnlyList<int> ActionIds, IReadOnlyList<float[]> Layers);

/// <summary>Reads the graph attention of an agent's actor (AGILE's Fig. 3.6).</summary>
public static class ActionAttention
{
    /// <summary>The actor's attention between the available actions for one observation.</summary>
    /// <param name="agent">A PPO/A2C agent trained with action relations, or a cascaded DQN agent (list position 0).</param>
    /// <param name="observation">One observation (the observation space's flat size).</param>
    /// <param name="availability">[Count] which actions of the universe are available.</param>
    /// <exception cref="ArgumentException">
    /// If the agent does not score action sets, its encoder has no attention (not "gat"), the observation or
    /// availability has the wrong length, or nothing is available.
    /// </exception>
    public static ActionAttentionMap For(IAgent agent, ReadOnlySpan<float> observation, ReadOnlySpan<bool> availability)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent is not IActionSetScoringAgent scoring)
            throw new ArgumentException($"ActionAttention.For: agent '{agent.Algorithm}' ({agent.GetType().Name}) does not score action sets with action relations; use a PPO/A2C agent built with action relations or a CDQN agent.", nameof(agent));
        var scorer = scoring.Scorer;
        if (scorer.AttentionEncoder is not { HasAttention: true })
            throw new ArgumentException($"ActionAttention.For: the agent's relation encoder is '{scorer.Options.Encoder}', which has no attention; only \"gat\" does.", nameof(agent));
        var universe = scoring.Actions;
        if (availability.Length != universe.Count)
            throw new ArgumentException($"ActionAttention.For: availability has {availability.Length} entries; the action set has {universe.Count}.", nameof(availability));

        using var noGrad = Autograd.GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var actions = ActionSetBatch.FromAvailability(universe.Representations, universe.RepresentationSize, availability, 1);
        var observations = Tensor.FromSpan(observation, 1, observation.Length);
        var states = scoring.States(observations);
        if (states.Rank != 2 || states.Dim(1) != scorer.StateSize)
            throw new ArgumentException($"ActionAttention.For: the observation has {observation.Length} values; the scorer reads {scorer.StateSize}.", nameof(observation));
        var layers = new List<Tensor>();
        scorer.Score(states, actions, scoring.Context(1), layers);

        int width = actions.Width;
        var maps = new List<float[]>(layers.Count);
        foreach (var alpha in layers) // [1, heads, M, M]
        {
            var mean = alpha.Mean(1).ToArray(); // heads averaged
            if (mean.Length != width * width)
                throw new InvalidOperationException($"ActionAttention.For: an attention layer has {mean.Length} entries, expected {width}×{width}.");
            maps.Add(mean);
        }
        return new ActionAttentionMap(actions.Ids.ToArray(), maps);
    }
}

using RLKit.Algorithms.ActionRelations;
using RLKit.Envs.Grid;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>
/// The dig-lava state the attention graph is drawn for, and the graph of a trained agent there: the grid with both
/// dig skills offered (SpecialSkills = [DigOrange, DigPink], so the 7 available skills are the 4 moves, turn-left
/// and the two digs), after a scripted walk that digs through the orange lava and stops on the cell just before the
/// pink lava — the state where a shortcut-taking agent must relate "dig-pink is available" to "step into pink lava".
/// If the walk does not end there (it always should) the start state is used, and the title says which.
/// </summary>
internal static class AgileAttention
{
    /// <summary>The walk from the start (1, 5) facing right: into the orange lava at (3, 5), dig it, on to (6, 5).</summary>
    private static readonly DigLavaSkill[] Walk =
        [DigLavaSkill.MoveRight, DigLavaSkill.MoveRight, DigLavaSkill.DigOrange, DigLavaSkill.MoveRight, DigLavaSkill.MoveRight, DigLavaSkill.MoveRight];

    /// <summary>Whether the method's actor encoder is a GAT (the only encoder with attention weights).</summary>
    public static bool HasAttention(string method) => Relations.Methods.TryGetValue(method, out var relations) && relations.Encoder == "gat";

    /// <summary>The SVG of <paramref name="agent"/>'s attention at <see cref="State"/>.</summary>
    /// <exception cref="ArgumentException">If the agent has no attention (not a GAT encoder).</exception>
    public static string Render(IAgent agent, string method, ulong seed)
    {
        var (observation, availability, where) = State();
        var map = ActionAttention.For(agent, observation, availability);
        var skills = map.ActionIds.Select(id => (DigLavaSkill)id).ToList();
        // Edges above uniform attention (1/M): the pairs an action weighs more than it would with no preference.
        double threshold = 1.0 / skills.Count;
        return AgileAttentionSvg.Render(skills.Select(s => s.ToString()).ToList(), skills.Select(Colour).ToList(), map.Layers, threshold,
            $"{method} (seed {seed}): actor attention between the available skills on the dig-lava grid",
            [$"state: {where}; both digs offered ({skills.Count} skills available)",
             $"edge i → j (bowed to its left): how much skill i attends to skill j, width ∝ weight, drawn above uniform 1/{skills.Count}, labelled from 1.5/{skills.Count}; ring and node label: self-attention"]);
    }

    /// <summary>The observation and availability of the drawn state, and a description of it for the title.</summary>
    public static (float[] Observation, bool[] Availability, string Where) State()
    {
        var grid = new DigLavaGrid(new DigLavaGridOptions { SpecialSkills = [DigLavaSkill.DigOrange, DigLavaSkill.DigPink] });
        var start = grid.Reset(0).Observation.ToArray();
        var startAvailability = grid.Skills.Available.ToArray();
        float[] observation = start;
        foreach (var skill in Walk)
        {
            var step = grid.Step((int)skill);
            if (step.Done) break;
            observation = step.Observation.ToArray();
        }
        var (x, y) = grid.Agent;
        bool beforePink = !grid.InLava && (x, y) == (DigLavaGrid.PinkColumn - 1, DigLavaGrid.Start.Y) && grid.CellId(DigLavaGrid.PinkColumn, y) == DigLavaGrid.PinkLavaId;
        return beforePink
            ? (observation, grid.Skills.Available.ToArray(), $"agent at ({x}, {y}) just before the pink lava, after digging through the orange lava")
            : (start, startAvailability, "the start state (the scripted walk to the pink lava failed)");
    }

    /// <summary>A fill colour per skill: the digs in their lava's colour, the moves grey, the turns and forward green.</summary>
    public static string Colour(DigLavaSkill skill) => skill switch
    {
        DigLavaSkill.DigOrange => "#ff9933",
        DigLavaSkill.DigPink => "#ff77cc",
        <= DigLavaSkill.MoveUp => "#dddddd",
        _ => "#99dd99",
    };
}

using RLKit.Training;

namespace RLKit.Envs.Grid;

/// <summary>Options of the dig-lava grid (<see cref="DigLavaGrid"/>); reward defaults are seed 003 A.1 (AGILE).</summary>
public sealed record DigLavaGridOptions
{
    /// <summary>
    /// The two special skills offered every episode, or null (default) to draw 2 of {turn-right, move-forward,
    /// dig-orange, dig-pink} uniformly per reset as in the paper. When set: exactly 2 distinct skills from that set.
    /// </summary>
    public IReadOnlyList<DigLavaSkill>? SpecialSkills { get; init => field = OptionList.From(value); }

    /// <summary>Steps before the catalog's <c>TimeLimit</c> truncates the episode. Default 50. Allowed: 1 … 1000.</summary>
    public int MaxSteps { get; init; } = 50;

    /// <summary>Reward for each newly visited cell (R_Exploration), handed back at the next subgoal or goal. Default 0.01. Allowed: 0 … 1.</summary>
    public double ExplorationReward { get; init; } = 0.01;

    /// <summary>Reward for a successful dig (R_Dig). Default 0.01. Allowed: 0 … 1.</summary>
    public double DigReward { get; init; } = 0.01;

    /// <summary>The defaults.</summary>
    public static DigLavaGridOptions Default { get; } = new();

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(DigLavaGridOptions);
        OptionRules.InRange(MaxSteps, 1, 1000, record, nameof(MaxSteps));
        OptionRules.UnitInterval(ExplorationReward, record, nameof(ExplorationReward));
        OptionRules.UnitInterval(DigReward, record, nameof(DigReward));
        OptionRules.Require(SpecialSkills is null ? null : string.Join(", ", SpecialSkills),
            SpecialSkills is null || (SpecialSkills.Count == 2 && SpecialSkills[0] != SpecialSkills[1] && SpecialSkills.All(s => s is >= DigLavaSkill.TurnRight and <= DigLavaSkill.DigPink)),
            "null or 2 distinct skills from {TurnRight, MoveForward, DigOrange, DigPink}", record, nameof(SpecialSkills));
    }
}

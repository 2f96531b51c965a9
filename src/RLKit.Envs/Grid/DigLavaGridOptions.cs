namespace RLKit.Envs.Grid;

/// <summary>Options of the dig-lava grid (<see cref="DigLavaGrid"/>); reward defaults are seed 003 A.1 (AGILE).</summary>
public sealed record DigLavaGridOptions
{
    /// <summary>
    /// The two special skills offered every episode, or null (default) to draw 2 of {turn-right, move-forward,
    /// dig-orange, dig-pink} uniformly per reset as in the paper. When set: exactly 2 distinct skills from that set.
    /// </summary>
    public IReadOnlyList<DigLavaSkill>? SpecialSkills { get; init; }

    /// <summary>Steps before the catalog's <c>TimeLimit</c> truncates the episode. Default 50. Allowed: 1 … 1000.</summary>
    public int MaxSteps { get; init; } = 50;

    /// <summary>Reward for each newly visited cell (R_Exploration), handed back at the next subgoal or goal. Default 0.01. Allowed: 0 … 1.</summary>
    public double ExplorationReward { get; init; } = 0.01;

    /// <summary>Reward for a successful dig (R_Dig). Default 0.01. Allowed: 0 … 1.</summary>
    public double DigReward { get; init; } = 0.01;

    /// <summary>The defaults.</summary>
    public static DigLavaGridOptions Default { get; } = new();

    /// <summary>Throws if an option is outside its allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the option and its range.</exception>
    public void Validate()
    {
        if (MaxSteps is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "DigLavaGridOptions.MaxSteps must be in [1, 1000].");
        if (!(ExplorationReward is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(ExplorationReward), ExplorationReward, "DigLavaGridOptions.ExplorationReward must be in [0, 1].");
        if (!(DigReward is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(DigReward), DigReward, "DigLavaGridOptions.DigReward must be in [0, 1].");
        if (SpecialSkills is { } special)
        {
            if (special.Count != 2 || special[0] == special[1] || special.Any(s => s < DigLavaSkill.TurnRight || s > DigLavaSkill.DigPink))
                throw new ArgumentOutOfRangeException(nameof(SpecialSkills), string.Join(", ", special),
                    "DigLavaGridOptions.SpecialSkills must hold 2 distinct skills from {TurnRight, MoveForward, DigOrange, DigPink}.");
        }
    }
}

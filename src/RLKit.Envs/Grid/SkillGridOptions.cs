using RLKit.Training;

namespace RLKit.Envs.Grid;

/// <summary>Options of the skill grid (<see cref="SkillGrid"/>).</summary>
public sealed record SkillGridOptions
{
    /// <summary>
    /// Skills offered per episode (m): each reset marks m skills of <see cref="Split"/>, drawn without replacement
    /// from the environment's random stream, as available. Default 50 (REFERENCE.md, "actions per episode" in seed
    /// 003 Table A.3). A value above the split's size offers the whole split. Allowed range: 1 … 1024.
    /// </summary>
    public int ActionsPerEpisode { get; init; } = 50;

    /// <summary>Which part of the 2:1:1 split the episode's skills come from. Default <see cref="SkillSplit.Train"/>.</summary>
    public SkillSplit Split { get; init; } = SkillSplit.Train;

    /// <summary>Seed of the fixed 2:1:1 train/validation/test split of the 1024 skills. Default 2020.</summary>
    public ulong SplitSeed { get; init; } = 2020;

    /// <summary>
    /// Skills per episode before the catalog's <c>TimeLimit</c> truncates it. Default 10 (= 50 moves, seed 003
    /// A.1; the paper calls the end "terminated", RLKit reports a step limit as truncation). Allowed: 1 … 1000.
    /// </summary>
    public int MaxSkills { get; init; } = 10;

    /// <summary>A fixed lava river for every episode, or null (default) to draw one per reset as in the paper.</summary>
    public SkillGridLava? Lava { get; init; }

    /// <summary>The defaults.</summary>
    public static SkillGridOptions Default { get; } = new();

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(SkillGridOptions);
        OptionRules.InRange(ActionsPerEpisode, 1, SkillGrid.SkillCount, record, nameof(ActionsPerEpisode));
        OptionRules.Defined(Split, record, nameof(Split));
        OptionRules.InRange(MaxSkills, 1, 1000, record, nameof(MaxSkills));
        Lava?.Validate();
    }
}

using RLKit.Training;

namespace RLKit.Envs.Grid;

/// <summary>
/// The lava river of a <see cref="SkillGrid"/>: a full row (<paramref name="Horizontal"/>) or column at
/// <paramref name="Index"/> (3 … 5) across the 7 × 7 interior, open only at <paramref name="Gap"/> (1 … 7, the
/// column of a horizontal river or the row of a vertical one).
/// </summary>
/// <param name="Horizontal">True for a row of lava, false for a column.</param>
/// <param name="Index">The row (horizontal) or column (vertical) of the river, 3 … 5.</param>
/// <param name="Gap">The opening along the river, 1 … 7; it is the subgoal cell.</param>
public readonly record struct SkillGridLava(bool Horizontal, int Index, int Gap)
{
    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(SkillGridLava);
        OptionRules.InRange(Index, 3, 5, record, nameof(Index));
        OptionRules.InRange(Gap, 1, 7, record, nameof(Gap));
    }

    /// <summary>The gap cell as (x, y).</summary>
    public (int X, int Y) GapCell => Horizontal ? (Gap, Index) : (Index, Gap);
}

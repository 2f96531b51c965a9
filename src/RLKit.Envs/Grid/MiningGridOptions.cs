using RLKit.Training;

namespace RLKit.Envs.Grid;

/// <summary>
/// Options of the mining expedition grid (<see cref="MiningGrid"/>). Seed 003 does not give the grid size or the
/// mine counts; the defaults are RLKit's choice: with 10 mine types there are 10 × 10 = 100 pick-axes, so
/// 4 + 100 = 104 actions, the action count of seed 003 Table C.1.
/// </summary>
public sealed record MiningGridOptions
{
    /// <summary>Side of the square grid (no wall ring: the grid edge blocks). Default 10. Allowed: 4 … 32.</summary>
    public int GridSize { get; init; } = 10;

    /// <summary>Mine types K (the paper's mine-category-size); there are K² pick-axes. Default 10. Allowed: 1 … 20.</summary>
    public int MineTypes { get; init; } = 10;

    /// <summary>Mines placed uniformly at random (never on start or goal) on each reset. Default 20. Allowed: 0 … GridSize²/2.</summary>
    public int MineCount { get; init; } = 20;

    /// <summary>Steps before the catalog's <c>TimeLimit</c> truncates the episode. Default 100 (seed 003 C.1). Allowed: 1 … 10000.</summary>
    public int MaxSteps { get; init; } = 100;

    /// <summary>The defaults.</summary>
    public static MiningGridOptions Default { get; } = new();

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(MiningGridOptions);
        OptionRules.InRange(GridSize, 4, 32, record, nameof(GridSize));
        OptionRules.InRange(MineTypes, 1, 20, record, nameof(MineTypes));
        OptionRules.InRange(MineCount, 0, GridSize * GridSize / 2, record, nameof(MineCount));
        OptionRules.InRange(MaxSteps, 1, 10_000, record, nameof(MaxSteps));
    }
}

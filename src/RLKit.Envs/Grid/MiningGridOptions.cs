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

    /// <summary>Throws if an option is outside its allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the option and its range.</exception>
    public void Validate()
    {
        if (GridSize is < 4 or > 32)
            throw new ArgumentOutOfRangeException(nameof(GridSize), GridSize, "MiningGridOptions.GridSize must be in [4, 32].");
        if (MineTypes is < 1 or > 20)
            throw new ArgumentOutOfRangeException(nameof(MineTypes), MineTypes, "MiningGridOptions.MineTypes must be in [1, 20].");
        if (MineCount < 0 || MineCount > GridSize * GridSize / 2)
            throw new ArgumentOutOfRangeException(nameof(MineCount), MineCount, $"MiningGridOptions.MineCount must be in [0, {GridSize * GridSize / 2}] (GridSize²/2).");
        if (MaxSteps is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MiningGridOptions.MaxSteps must be in [1, 10000].");
    }
}

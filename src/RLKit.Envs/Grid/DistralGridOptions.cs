namespace RLKit.Envs.Grid;

/// <summary>Options of the Distral two-room grids (<see cref="DistralGrid"/>).</summary>
public sealed record DistralGridOptions
{
    /// <summary>
    /// Steps after which the catalog's <c>TimeLimit</c> wrapper truncates an episode (truncated, never terminated).
    /// Default 100, the Distral paper replication in seed 001 (10-step SQL, 1000 episodes); the thesis runs used
    /// 1000. Allowed range: 1 … 1,000,000.
    /// </summary>
    public int MaxEpisodeSteps { get; init; } = 100;

    /// <summary>The defaults.</summary>
    public static DistralGridOptions Default { get; } = new();

    /// <summary>Throws if an option is outside its allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the option and its range.</exception>
    public void Validate()
    {
        if (MaxEpisodeSteps is < 1 or > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(MaxEpisodeSteps), MaxEpisodeSteps, "DistralGridOptions.MaxEpisodeSteps must be in [1, 1000000].");
    }
}

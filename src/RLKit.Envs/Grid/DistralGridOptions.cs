using RLKit.Training;

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

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(DistralGridOptions);
        OptionRules.InRange(MaxEpisodeSteps, 1, 1_000_000, record, nameof(MaxEpisodeSteps));
    }
}

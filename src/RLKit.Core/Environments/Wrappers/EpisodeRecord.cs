namespace RLKit.Environments.Wrappers;

/// <summary>What <see cref="EpisodeStatistics"/> puts in info under <see cref="EpisodeStatistics.InfoKey"/> when an episode ends.</summary>
/// <param name="Return">The undiscounted sum of rewards of the episode.</param>
/// <param name="Length">The number of steps of the episode.</param>
/// <param name="Elapsed">Wall-clock time from the episode's reset to its last step.</param>
public sealed record EpisodeRecord(double Return, int Length, TimeSpan Elapsed);

namespace RLKit.Environments.Wrappers;

/// <summary>
/// The saveable state of a running normaliser (<see cref="ObservationNormalization"/>, <see cref="RewardScaling"/>):
/// the number of samples seen and the per-element mean and population variance. Checkpoints persist it so that a
/// loaded policy sees observations scaled as in training.
/// </summary>
/// <param name="Count">The number of samples merged so far.</param>
/// <param name="Mean">The per-element mean.</param>
/// <param name="Variance">The per-element population variance.</param>
public sealed record RunningStatistics(long Count, double[] Mean, double[] Variance);

namespace RLKit.Training.Metrics;

/// <summary>One logged point of a learning curve: the metric's <paramref name="Value"/> at environment step <paramref name="Step"/>.</summary>
/// <param name="Step">The environment step.</param>
/// <param name="Value">The metric, e.g. the mean evaluation return.</param>
public readonly record struct CurvePoint(long Step, double Value);

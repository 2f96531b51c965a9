using RLKit.Training;

namespace RLKit.Algorithms.Tests;

/// <summary>Reports on the training thread, so a test sees every update before Fit returns (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SynchronousProgress(Action<TrainingUpdate> report) : IProgress<TrainingUpdate>
{
    public void Report(TrainingUpdate value) => report(value);
}

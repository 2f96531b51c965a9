using RLKit.Training;

namespace RLKit.Algorithms.Tests;

/// <summary>Stops training at the first update at or past <paramref name="steps"/> steps, as an interruption would.</summary>
internal sealed class PauseAt(long steps) : ITrainingCallback
{
    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        if (update.Steps >= steps) control.Stop("paused");
    }
}

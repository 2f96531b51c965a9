namespace RLKit.Training;

/// <summary>
/// Observes training after every update and may stop it: checkpointing, periodic evaluation, early stopping.
/// Callbacks run on the training thread, between updates.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Called after each update with the latest report; call <see cref="TrainingControl.Stop"/> to end training.</summary>
    void OnUpdate(TrainingUpdate update, TrainingControl control);
}

/// <summary>What a callback may see and do: the agent being trained, and a way to stop.</summary>
public sealed class TrainingControl
{
    internal TrainingControl(IAgent agent) => Agent = agent;

    /// <summary>The agent as trained so far (its weights change as training continues).</summary>
    public IAgent Agent { get; internal set; }

    /// <summary>Why training was asked to stop, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Asks training to stop after the current update.</summary>
    public void Stop(string reason) => StopReason ??= reason ?? "stopped by a callback";
}

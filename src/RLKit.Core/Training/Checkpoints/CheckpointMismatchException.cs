namespace RLKit.Training.Checkpoints;

/// <summary>A checkpoint from another algorithm or architecture than the agent it is loaded into; <see cref="Problems"/> names each difference.</summary>
public sealed class CheckpointMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception with a message and the list of differences.</summary>
    public CheckpointMismatchException(string message, IReadOnlyList<string> problems) : base(message) => Problems = problems;

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointMismatchException(string message) : base(message) => Problems = [message];

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public CheckpointMismatchException(string message, Exception innerException) : base(message, innerException) => Problems = [message];

    /// <summary>Creates the exception with no message.</summary>
    public CheckpointMismatchException() => Problems = [];

    /// <summary>Each difference, e.g. "key 'actor.0.weight' has shape [64, 4] in the agent but [32, 4] in the checkpoint".</summary>
    public IReadOnlyList<string> Problems { get; }
}

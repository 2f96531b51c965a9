namespace RLKit.Training.Checkpoints;

/// <summary>A file that is not a readable RLKit checkpoint: truncated, corrupt, or a safetensors file without RLKit metadata.</summary>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception with a message.</summary>
    public CheckpointFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    public CheckpointFormatException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a message naming <paramref name="filePath"/>.</summary>
    public CheckpointFormatException(string message, string? filePath, Exception? innerException = null)
        : base(message, innerException) => FilePath = filePath;

    /// <summary>Creates the exception with no message.</summary>
    public CheckpointFormatException() { }

    /// <summary>The file that could not be read, when known.</summary>
    public string? FilePath { get; }
}

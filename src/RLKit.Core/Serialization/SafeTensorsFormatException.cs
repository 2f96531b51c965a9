namespace RLKit.Serialization;

/// <summary>
/// Thrown when a safetensors file or stream is corrupt, truncated or uses a data type RLKit cannot
/// load. The message names the file (when known) and the problem. It is an <see cref="IOException"/>
/// so one handler can cover both unreadable and corrupt files.
/// </summary>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public SafeTensorsFormatException()
        : base("The safetensors data is invalid.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public SafeTensorsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the error that caused it.</summary>
    public SafeTensorsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="source"/> (a file path, or null for a stream).</summary>
    internal SafeTensorsFormatException(string? source, string problem, Exception? innerException = null)
        : base(Describe(source, problem), innerException)
    {
        FilePath = source;
    }

    /// <summary>The path of the offending file, or null when it was read from a stream.</summary>
    public string? FilePath { get; }

    private static string Describe(string? source, string problem) =>
        source is null ? $"Invalid safetensors stream: {problem}" : $"Invalid safetensors file '{source}': {problem}";
}

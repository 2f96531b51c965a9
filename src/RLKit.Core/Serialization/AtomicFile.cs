namespace RLKit.Serialization;

/// <summary>
/// Writes files so that readers only ever see the old content or the complete new content: the data
/// goes to a uniquely named temporary file in the same directory, is flushed to disk, and then
/// replaces the target with a rename (atomic on the same file system).
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> with whatever <paramref name="write"/> writes to the stream it
    /// is given. If <paramref name="write"/> (or flushing) throws, the temporary file is deleted and
    /// the original file, if any, is left unchanged.
    /// </summary>
    /// <param name="path">The file to create or replace. Its directory must exist.</param>
    /// <param name="write">Writes the full content. It must not dispose the stream.</param>
    /// <exception cref="DirectoryNotFoundException">If the target directory does not exist.</exception>
    internal static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);

        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
            throw new ArgumentException($"AtomicFile.Write: path '{path}' names a directory, not a file.", nameof(path));
        string directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"AtomicFile.Write: path '{path}' has no parent directory.", nameof(path));
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot write '{fullPath}': directory '{directory}' does not exist.");

        // Same directory as the target so the final rename never crosses file systems; the leading
        // dot and the GUID keep concurrent writers and directory listings from tripping over it.
        string tempPath = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                // Durability before the rename: otherwise a crash could leave the new name pointing
                // at data that never reached the disk.
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>The pattern matching the temporary files <see cref="Write"/> creates for <paramref name="fileName"/>.</summary>
    internal static string TempFilePattern(string fileName) => $".{fileName}.*.tmp";

    private static void TryDelete(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (IOException)
        {
            // The original failure is the one worth reporting; a leftover temp file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

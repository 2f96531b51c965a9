namespace RLKit.Serialization;

/// <summary>
/// Writes files so that readers only ever see the old content or the complete new content: the data
/// goes to a uniquely named temporary file in the same directory, is flushed to disk, and then
/// replaces the target with a rename (atomic on the same file system).
/// </summary>
/// <remarks>
/// A process killed mid-write leaves its temporary file (<c>.{name}.{32 hex digits}.tmp</c>) behind; the next
/// write to the same path deletes such leftovers of that path, and only of that path (see <see cref="Write"/>).
/// </remarks>
internal static class AtomicFile
{
    /// <summary>A temporary file modified more recently than this may belong to a write still under way; it is kept.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    private const string TempSuffix = ".tmp";
    private const int GuidHexDigits = 32;

    /// <summary>
    /// Replaces <paramref name="path"/> with whatever <paramref name="write"/> writes to the stream it
    /// is given. If <paramref name="write"/> (or flushing) throws, the temporary file is deleted and
    /// the original file, if any, is left unchanged.
    /// </summary>
    /// <remarks>
    /// Before writing, it deletes the stale temporary files of earlier writes to <paramref name="path"/> that were
    /// killed before they could clean up: files named exactly <c>.{file name}.{32 hex digits}.tmp</c> in the same
    /// directory, that no writer holds open and that were last modified at least <see cref="StaleAfter"/> ago.
    /// Temporary files of other targets are never touched, and a leftover that cannot be deleted (a race with
    /// another process, an I/O or permission error) is skipped silently.
    /// </remarks>
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

        DeleteStaleTempFiles(directory, fileName);

        // Same directory as the target so the final rename never crosses file systems; the leading
        // dot and the GUID keep concurrent writers and directory listings from tripping over it.
        string tempPath = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}{TempSuffix}");
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
    internal static string TempFilePattern(string fileName) => $".{fileName}.*{TempSuffix}";

    /// <summary>
    /// Whether <paramref name="candidate"/> (a file name) is exactly a temporary file of <paramref name="fileName"/>:
    /// the wildcard of <see cref="TempFilePattern"/> also matches the temporary files of longer names
    /// (<c>.model.rlkit.bak.{guid}.tmp</c> for <c>model.rlkit</c>), so the part between must be one GUID.
    /// </summary>
    internal static bool IsTempFileOf(string candidate, string fileName)
    {
        int prefixLength = fileName.Length + 2;
        if (candidate.Length != prefixLength + GuidHexDigits + TempSuffix.Length
            || candidate[0] != '.' || candidate[prefixLength - 1] != '.'
            || !candidate.AsSpan(1, fileName.Length).SequenceEqual(fileName)
            || !candidate.EndsWith(TempSuffix, StringComparison.Ordinal))
            return false;
        foreach (char c in candidate.AsSpan(prefixLength, GuidHexDigits))
            if (!char.IsAsciiHexDigitLower(c))
                return false;
        return true;
    }

    private static void DeleteStaleTempFiles(string directory, string fileName)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, TempFilePattern(fileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        try
        {
            foreach (string candidate in candidates)
            {
                if (IsTempFileOf(Path.GetFileName(candidate), fileName)
                    && File.GetLastWriteTimeUtc(candidate) <= DateTime.UtcNow - StaleAfter)
                    TryDeleteUnlessOpen(candidate);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory changed under the enumeration; whatever is left goes at the next write.
        }
    }

    /// <summary>
    /// Deletes <paramref name="tempPath"/> unless a writer holds it open: opening it exclusively fails then (a sharing
    /// violation on Windows, the advisory lock .NET takes for <see cref="FileShare.None"/> elsewhere).
    /// </summary>
    private static void TryDeleteUnlessOpen(string tempPath)
    {
        try
        {
            using var _ = new FileStream(tempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // In use, already gone, or not ours to delete.
        }
    }

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

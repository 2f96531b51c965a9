namespace RLKit.Core.Tests;

/// <summary>A new directory under the temp path, deleted with everything in it on <see cref="Dispose"/>.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string prefix)
    {
        FullPath = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    /// <summary>The path of <paramref name="name"/> in the directory.</summary>
    public string File(string name) => Path.Combine(FullPath, name);

    public void Dispose()
    {
        if (Directory.Exists(FullPath)) Directory.Delete(FullPath, recursive: true);
    }
}

namespace RLKit.Cli;

/// <summary>The exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>
    /// A runtime failure: training or evaluation threw, a model file is corrupt or of an unknown algorithm, an
    /// environment failed its check, a file could not be written.
    /// </summary>
    public const int Failure = 1;

    /// <summary>A usage or configuration error, found before any work: a bad argument, an unknown option key, algorithm or environment id.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT; nothing half-written is left at the model path.</summary>
    public const int Cancelled = 130;
}

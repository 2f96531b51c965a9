namespace RLKit.Environments.Vector;

/// <summary>
/// Steps its sub-environments one after another on the calling thread (Gymnasium's <c>SyncVectorEnv</c>). Best for
/// cheap environments, where handing work to other threads costs more than the step itself.
/// </summary>
public sealed class SyncVectorEnvironment : VectorEnvironment
{
    /// <summary>
    /// Batches <paramref name="envs"/> (distinct instances with identical spaces); disposing this disposes them. The
    /// default <paramref name="mode"/>, <see cref="AutoresetMode.SameStep"/>, is the one <c>Fit</c> requires.
    /// </summary>
    /// <exception cref="ArgumentException">If the list is empty, holds null or the same instance twice, or the spaces differ.</exception>
    public SyncVectorEnvironment(IReadOnlyList<IEnvironment> envs, AutoresetMode mode = AutoresetMode.SameStep)
        : base(envs, mode, nameof(SyncVectorEnvironment)) { }

    private protected override void RunAll()
    {
        bool succeeded = false;
        try
        {
            Core.Run(0, Core.Count);
            succeeded = true;
        }
        finally
        {
            Core.Complete(succeeded);
        }
    }
}

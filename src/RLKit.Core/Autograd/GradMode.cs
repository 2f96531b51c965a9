namespace RLKit.Autograd;

/// <summary>
/// Per-thread autograd switches: gradient recording (on by default) and anomaly detection (off by default).
/// </summary>
/// <remarks>
/// Both settings are thread-static, so an agent evaluating without gradients on one thread never affects an
/// agent training on another. Use them with <c>using</c>; disposing restores the previous setting.
/// </remarks>
public static class GradMode
{
    [ThreadStatic] private static bool t_disabled;
    [ThreadStatic] private static bool t_detectAnomaly;

    /// <summary>Whether ops on this thread record their backward rule.</summary>
    public static bool IsEnabled => !t_disabled;

    /// <summary>Whether ops on this thread check their outputs (and gradients) for NaN and infinity.</summary>
    public static bool IsAnomalyDetectionEnabled => t_detectAnomaly;

    /// <summary>Stops gradient recording on this thread until the returned scope is disposed.</summary>
    public static Scope NoGrad()
    {
        var scope = new Scope(t_disabled, t_detectAnomaly);
        t_disabled = true;
        return scope;
    }

    /// <summary>Re-enables gradient recording on this thread until the returned scope is disposed.</summary>
    public static Scope EnableGrad()
    {
        var scope = new Scope(t_disabled, t_detectAnomaly);
        t_disabled = false;
        return scope;
    }

    /// <summary>
    /// Turns on anomaly detection on this thread: the first op whose output or gradient contains NaN or
    /// infinity throws an <see cref="AnomalyException"/> naming that op. Costs one pass over every output.
    /// </summary>
    public static Scope DetectAnomaly()
    {
        var scope = new Scope(t_disabled, t_detectAnomaly);
        t_detectAnomaly = true;
        return scope;
    }

    /// <summary>Restores the previous gradient-mode settings of this thread when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _previousDisabled;
        private readonly bool _previousAnomaly;

        internal Scope(bool previousDisabled, bool previousAnomaly)
        {
            _previousDisabled = previousDisabled;
            _previousAnomaly = previousAnomaly;
        }

        /// <summary>Restores the settings in force when the scope was created.</summary>
        public void Dispose()
        {
            t_disabled = _previousDisabled;
            t_detectAnomaly = _previousAnomaly;
        }
    }
}

/// <summary>Thrown in anomaly-detection mode when an op produces NaN or infinity.</summary>
public sealed class AnomalyException : ArithmeticException
{
    /// <summary>Creates the exception for the op <paramref name="opName"/>.</summary>
    public AnomalyException(string opName, string message) : base(message) => OpName = opName;

    /// <summary>The op (or "backward of" an op) that produced the non-finite value.</summary>
    public string OpName { get; }
}

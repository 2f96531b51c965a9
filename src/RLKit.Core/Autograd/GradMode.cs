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

    /// <summary>
    /// Whether this thread checks op outputs and the gradients written by backward for NaN and infinity
    /// (see <see cref="DetectAnomaly"/>).
    /// </summary>
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
    /// Turns on anomaly detection on this thread until the returned scope is disposed: the first NaN or infinity
    /// throws an <see cref="AnomalyException"/> naming the op that produced it.
    /// </summary>
    /// <remarks>
    /// <para>What is checked, in order:</para>
    /// <list type="bullet">
    /// <item><description>Forward: each op's output, as the op completes. The exception names that op.</description></item>
    /// <item><description>Backward: before it starts, the output gradient passed to <c>Backward(gradient)</c>; then,
    /// after each op's backward rule runs, every gradient it wrote into, that is the gradient buffer of each of its
    /// inputs that requires gradients (a leaf's <c>Grad</c>, or the gradient pending for an intermediate tensor). The
    /// exception names the op whose backward wrote the value, the input (index, leaf or not, shape), the flat index
    /// and the value, not the op that later consumes the gradient.</description></item>
    /// <item><description>A leaf's <c>Grad</c> that is already non-finite when this <c>Backward()</c> first adds into
    /// it (left by an earlier pass that was not zeroed) is reported as such, with
    /// <see cref="AnomalyException.OpName"/> "Backward", rather than blamed on the op about to add to it; so is a
    /// non-finite output gradient passed by the caller.</description></item>
    /// </list>
    /// <para>
    /// The checks only read values, so gradients are bit-identical with and without them. They cost one pass over
    /// every op output and one over every gradient buffer an op's backward writes (plus one over each leaf gradient
    /// before it is written). With anomaly detection off nothing is scanned.
    /// </para>
    /// </remarks>
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

/// <summary>
/// Thrown in anomaly-detection mode (<see cref="GradMode.DetectAnomaly"/>) at the first NaN or infinity: in an op's
/// output, or in a gradient an op's backward wrote into one of its inputs (including a leaf's <c>Grad</c>).
/// </summary>
/// <remarks>
/// The message names the op, and for a backward value the input (index, whether it is a leaf, shape), the flat
/// index and the value.
/// </remarks>
public sealed class AnomalyException : ArithmeticException
{
    /// <summary>Creates the exception for the op <paramref name="opName"/>.</summary>
    public AnomalyException(string opName, string message) : base(message) => OpName = opName;

    /// <summary>
    /// The recorded name of the op (for example "sqrt") whose forward output or whose backward rule produced the
    /// non-finite value; "Backward" when the value came from outside the graph (a non-finite output gradient passed
    /// to <c>Backward(gradient)</c>, or a leaf's <c>Grad</c> already non-finite before this backward pass).
    /// </summary>
    public string OpName { get; }
}

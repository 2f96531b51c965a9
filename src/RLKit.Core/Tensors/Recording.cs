using System.Runtime.CompilerServices;
using RLKit.Autograd;

namespace RLKit.Tensors;

public sealed partial class Tensor
{
    /// <summary>True when an op with input <paramref name="a"/> must record its backward rule.</summary>
    internal static bool ShouldRecord(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    /// <summary>True when an op with inputs <paramref name="a"/>, <paramref name="b"/> must record its backward rule.</summary>
    internal static bool ShouldRecord(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    /// <summary>True when an op with the given inputs must record its backward rule.</summary>
    internal static bool ShouldRecord(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs)
            if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Completes an op: attaches its backward node (when recording) and, in anomaly mode, checks the output
    /// for NaN and infinity, naming the op.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    internal Tensor Finish(string opName, GradNode? node)
    {
        if (node is not null)
        {
            Node = node;
            node.Output = this;
            _requiresGrad = true;
        }
        if (GradMode.IsAnomalyDetectionEnabled && BackwardEngine.FirstNonFinite(Data) is var i and >= 0)
            throw new AnomalyException(opName,
                $"Anomaly detected: op '{opName}' produced {Data[i]} at flat index {i} of its output (shape {ShapeString(_shape)}).");
        return this;
    }
}
